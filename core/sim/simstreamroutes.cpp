#include "core/http/httpserver.h"
#include "core/http/httpstream.h"
#include "core/sim/simhost.h"
#include "core/sim/simlogmonitor.h"
#include "core/sim/simmodelmanager.h"
#include "core/sim/simroutes.h"
#include "core/sim/simstreamgroup.h"

using namespace Qt::StringLiterals;

namespace boo {

namespace {

void logStream(SimHost *host, const HttpRequest &request, HttpResponder r, const QString &id)
{
    QString tag;
    SimLogMonitor *monitor = nullptr;
    if (id.isEmpty()) {
        tag = u"mux"_s;
        monitor = host->proxyLog();
    } else if (id == u"proxy") {
        tag = u"proxy"_s;
        monitor = host->proxyLog();
    } else if (id == u"upstream") {
        tag = u"upstream"_s;
        monitor = host->upstreamLog();
    } else if (const SimModelConfig *m = host->models()->resolve(id)) {
        tag = u"model:"_s + m->id;
        monitor = host->modelLog(m->id);
    }
    if (!monitor) {
        r.respond(HttpResponse::text(400, "invalid logger. Use 'proxy', 'upstream' or a model's ID\n"_ba));
        return;
    }
    auto stream = r.startStream(
        200, {{"Content-Type"_ba, "text/plain"_ba}, {"X-Content-Type-Options"_ba, "nosniff"_ba}, {"X-Accel-Buffering"_ba, "no"_ba}});
    if (!stream)
        return;
    if (!request.hasQueryItem(u"no-history"))
        stream->write(monitor->history());
    host->logStreams()->add(std::move(stream), tag);
}

std::unique_ptr<HttpStream> startEventStream(HttpResponder &r)
{
    return r.startStream(200,
                         {{"Content-Type"_ba, "text/event-stream"_ba},
                          {"Cache-Control"_ba, "no-cache"_ba},
                          {"Connection"_ba, "keep-alive"_ba},
                          {"X-Content-Type-Options"_ba, "nosniff"_ba},
                          {"X-Accel-Buffering"_ba, "no"_ba}});
}

// v260's `GET /api/events/logs?stream=proxy&stream=upstream[&stream=http]`: the log lines that
// left /api/events, as `logData` messages, each source's history first.
void logEvents(SimHost *host, const HttpRequest &request, HttpResponder r)
{
    const QStringList sources = request.queryValues(u"stream");
    static const QStringList kKnown{u"proxy"_s, u"upstream"_s, u"http"_s};
    if (sources.isEmpty()) {
        r.respond(host->errorResponse(request, 400, u"at least one stream is required: proxy, upstream or http"_s));
        return;
    }
    for (const QString &source : sources) {
        if (!kKnown.contains(source)) {
            r.respond(host->errorResponse(request, 400, u"invalid stream \"%1\": use proxy, upstream or http"_s.arg(source)));
            return;
        }
    }
    auto stream = startEventStream(r);
    if (!stream)
        return;
    QByteArray snapshot;
    for (const QString &source : kKnown) {
        if (sources.contains(source))
            snapshot += host->logHistoryFrame(source);
    }
    stream->write(snapshot);
    host->logEvents()->add(std::move(stream), SimHost::logEventTag(sources));
}

} // namespace

void SimStreamRoutes::install(SimHost *host)
{
    HttpServer *s = host->server();
    if (host->compat() == SimCompat::V260) {
        s->route("GET"_ba, u"/api/events/logs"_s,
                 [host](const HttpRequest &request, HttpResponder r) { logEvents(host, request, std::move(r)); });
    }

    s->route("GET"_ba, u"/api/events"_s, [host](const HttpRequest &, HttpResponder r) {
        auto stream = startEventStream(r);
        if (!stream)
            return;
        // Snapshot in llama-swap's order, then live messages; no heartbeat ever.
        QByteArray snapshot;
        for (const QByteArray &frame : host->snapshotFrames())
            snapshot += frame;
        stream->write(snapshot);
        host->eventStreams()->add(std::move(stream));
    });

    s->route("GET"_ba, u"/logs"_s, [host](const HttpRequest &request, HttpResponder r) {
        if (request.header("accept").contains("text/html")) {
            HttpResponse response(302);
            response.setHeader("Location"_ba, "/ui/"_ba);
            r.respond(std::move(response));
            return;
        }
        r.respond(HttpResponse::text(200, host->proxyLog()->history()));
    });
    s->route("GET"_ba, u"/logs/stream"_s,
             [host](const HttpRequest &request, HttpResponder r) { logStream(host, request, std::move(r), QString()); });
    s->route("GET"_ba, u"/logs/stream/{id...}"_s,
             [host](const HttpRequest &request, HttpResponder r) { logStream(host, request, std::move(r), request.pathParam(u"id")); });
}

} // namespace boo
