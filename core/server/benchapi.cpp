#include "core/server/benchapi.h"

#include "core/bench/benchjobs.h"
#include "core/bench/benchstore.h"
#include "core/http/httpserver.h"
#include "core/server/apireply.h"
#include "core/server/controlfeed.h"
#include "core/server/controlserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

QJsonObject summaryJson(const BenchRunSummary &r)
{
    return QJsonObject{{u"id"_s, r.id},
                       {u"suite"_s, r.suite},
                       {u"started_at"_s, r.startedAtMs},
                       {u"finished_at"_s, r.finishedAtMs},
                       {u"cells"_s, r.cells},
                       {u"requests"_s, r.requests},
                       {u"errors"_s, r.errors},
                       {u"baseline"_s, r.baseline},
                       {u"compared_with"_s, r.comparedWith ? QJsonValue(*r.comparedWith) : QJsonValue()},
                       {u"regressions"_s, r.regressions},
                       {u"via"_s, r.via}};
}

// A suite may be a few targets times a few loads: this is generous for YAML and small enough
// that a client cannot make the server hold much.
constexpr qint64 kMaxSuiteBytes = 256 * 1024;

QJsonArray liveJson(ControlServer *server)
{
    QJsonArray live;
    if (BenchJobs *jobs = server->benchJobs()) {
        for (const BenchJob &job : jobs->jobs())
            live.append(job.toJson());
    }
    return live;
}

int statusFor(const Error &error)
{
    if (error.code == u"bench.suite" || error.code == u"bench.target")
        return 400;
    if (error.code == u"bench.unknown_job")
        return 404;
    if (error.code.startsWith(u"bench."))
        return 409;
    return 503;
}

HttpResponse jobError(const Error &error)
{
    // "bench.busy" -> "host_busy": the codes /api/leases uses for the same refusals.
    static const QHash<QString, QString> codes{{u"bench.suite"_s, u"invalid"_s},
                                               {u"bench.target"_s, u"invalid"_s},
                                               {u"bench.running"_s, u"bench_running"_s},
                                               {u"bench.leased"_s, u"host_leased"_s},
                                               {u"bench.busy"_s, u"host_busy"_s},
                                               {u"bench.needs_confirmation"_s, u"host_busy"_s},
                                               {u"bench.unavailable"_s, u"host_unavailable"_s},
                                               {u"bench.unknown_job"_s, u"not_found"_s},
                                               {u"bench.not_running"_s, u"not_running"_s}};
    return apireply::error(statusFor(error), codes.value(error.code, u"unavailable"_s), error.message);
}

// The suite and force from the body: raw YAML (force in ?force=1), or a JSON object.
Result<std::pair<QByteArray, bool>> startBody(const HttpRequest &request)
{
    const QByteArray body = request.body().trimmed();
    if (body.isEmpty())
        return makeError(u"bad_request"_s, u"the body is the suite: YAML, or JSON {\"suite\": ..., \"force\": false}"_s);
    const QString forceParam = request.queryValue(u"force"_s);
    bool force = forceParam == u"1" || forceParam == u"true";
    if (body.startsWith('{')) {
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
        if (parseError.error != QJsonParseError::NoError)
            return makeError(u"bad_request"_s, u"the body is not valid JSON: %1"_s.arg(parseError.errorString()));
        const QJsonObject object = doc.object();
        if (object.contains(u"suite"_s)) {
            const QJsonValue suite = object.value(u"suite"_s);
            const QJsonValue forceValue = object.value(u"force"_s);
            if (!forceValue.isUndefined() && !forceValue.isBool())
                return makeError(u"bad_request"_s, u"'force' must be true or false"_s);
            force = force || forceValue.toBool();
            if (suite.isString())
                return std::pair{suite.toString().toUtf8(), force};
            if (suite.isObject())
                return std::pair{QJsonDocument(suite.toObject()).toJson(QJsonDocument::Compact), force};
            return makeError(u"bad_request"_s, u"'suite' must be the suite's YAML text or an object"_s);
        }
        // The suite itself as JSON (JSON is YAML).
    }
    return std::pair{body, force};
}

void startRun(BenchJobs *jobs, const HttpRequest &request, HttpResponder responder)
{
    auto body = startBody(request);
    if (!body)
        return responder.respond(apireply::error(400, body.error().code, body.error().message));
    auto job = jobs->start(body->first, body->second ? HostAccessRequest::WhenBusy::Force : HostAccessRequest::WhenBusy::Refuse);
    if (!job)
        return responder.respond(jobError(job.error()));
    responder.respond(apireply::json(202, QJsonObject{{u"run"_s, job->toJson()}}));
}

void cancelRun(BenchJobs *jobs, const HttpRequest &request, HttpResponder responder)
{
    auto job = jobs->cancel(request.pathParam(u"id"));
    if (!job)
        return responder.respond(jobError(job.error()));
    responder.respond(apireply::json(200, QJsonObject{{u"run"_s, job->toJson()}}));
}

void runs(ControlServer *server, const HttpRequest &request, HttpResponder responder)
{
    if (!server->hasHistory())
        return responder.respond(apireply::error(503, u"no_database"_s, u"this server keeps no history"_s));
    auto limit = apireply::integerParam(request, u"limit"_s, 1, 1000);
    if (!limit)
        return responder.respond(apireply::error(400, limit.error().code, limit.error().message));
    const QString suite = request.queryValue(u"suite"_s);
    server->answerFromHistory<QList<BenchRunSummary>>(
        std::move(responder), [suite, limit = int(limit->value_or(50))](Database &db) { return BenchStore::list(db, suite, limit); },
        [live = liveJson(server)](const Result<QList<BenchRunSummary>> &list) {
            if (!list)
                return apireply::queryError(list.error());
            QJsonArray items;
            for (const BenchRunSummary &r : *list)
                items.append(summaryJson(r));
            return apireply::json(200, QJsonObject{{u"runs"_s, items}, {u"live"_s, live}});
        });
}

void run(ControlServer *server, const HttpRequest &request, HttpResponder responder)
{
    if (request.pathParam(u"id").startsWith(u"live-")) {
        const auto job = server->benchJobs() ? server->benchJobs()->job(request.pathParam(u"id")) : std::nullopt;
        if (!job)
            return responder.respond(apireply::error(404, u"not_found"_s, u"no run %1 on this server"_s.arg(request.pathParam(u"id"))));
        return responder.respond(apireply::json(200, job->toJson(true)));
    }
    if (!server->hasHistory())
        return responder.respond(apireply::error(503, u"no_database"_s, u"this server keeps no history"_s));
    bool ok = false;
    const qint64 id = request.pathParam(u"id").toLongLong(&ok);
    if (!ok || id <= 0)
        return responder.respond(
            apireply::error(400, u"bad_request"_s, u"a run id is a positive whole number (or live-N for a run in progress)"_s));
    server->answerFromHistory<BenchRunResult>(
        std::move(responder), [id](Database &db) { return BenchStore::load(db, id); },
        [](const Result<BenchRunResult> &loaded) {
            if (!loaded) {
                if (loaded.error().code == u"bench.unknown_run")
                    return apireply::error(404, u"not_found"_s, loaded.error().message);
                return apireply::queryError(loaded.error());
            }
            QJsonObject body = loaded->toJson();
            body.insert(u"state"_s, u"finished"_s);
            return apireply::json(200, body);
        });
}

} // namespace

void BenchApi::install(ControlServer *server)
{
    HttpServer *http = server->http();
    http->route(
        "GET", u"/api/bench/runs"_s, [server](const HttpRequest &q, HttpResponder r) { runs(server, q, std::move(r)); }, 0);
    http->route(
        "GET", u"/api/bench/runs/{id}"_s, [server](const HttpRequest &q, HttpResponder r) { run(server, q, std::move(r)); }, 0);
}

void BenchApi::installRuns(ControlServer *server, BenchJobs *jobs)
{
    server->setBenchJobs(jobs);
    HttpServer *http = server->http();
    const QPointer<BenchJobs> guard(jobs);
    http->route(
        "POST", u"/api/bench/runs"_s,
        [guard](const HttpRequest &q, HttpResponder r) {
            if (!guard)
                return r.respond(apireply::error(503, u"unavailable"_s, u"the bench is shutting down"_s));
            startRun(guard, q, std::move(r));
        },
        kMaxSuiteBytes);
    http->route(
        "DELETE", u"/api/bench/runs/{id}"_s,
        [guard](const HttpRequest &q, HttpResponder r) {
            if (!guard)
                return r.respond(apireply::error(503, u"unavailable"_s, u"the bench is shutting down"_s));
            cancelRun(guard, q, std::move(r));
        },
        0);
    // Progress to every WebSocket client: the run's job, as GET /api/bench/runs/{id} shows it.
    QObject::connect(jobs, &BenchJobs::jobChanged, server->feed(), [feed = server->feed()](const BenchJob &job) {
        feed->broadcastMessage(QJsonObject{{u"type"_s, u"bench_progress"_s}, {u"run"_s, job.toJson()}});
    });
}

} // namespace boo
