#include "core/server/benchapi.h"

#include "core/bench/benchstore.h"
#include "core/http/httpserver.h"
#include "core/server/apireply.h"
#include "core/server/controlserver.h"

#include <QJsonArray>

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
        [](const Result<QList<BenchRunSummary>> &list) {
            if (!list)
                return apireply::queryError(list.error());
            QJsonArray items;
            for (const BenchRunSummary &r : *list)
                items.append(summaryJson(r));
            return apireply::json(200, QJsonObject{{u"runs"_s, items}});
        });
}

void run(ControlServer *server, const HttpRequest &request, HttpResponder responder)
{
    if (!server->hasHistory())
        return responder.respond(apireply::error(503, u"no_database"_s, u"this server keeps no history"_s));
    bool ok = false;
    const qint64 id = request.pathParam(u"id").toLongLong(&ok);
    if (!ok || id <= 0)
        return responder.respond(apireply::error(400, u"bad_request"_s, u"a run id is a positive whole number"_s));
    server->answerFromHistory<BenchRunResult>(
        std::move(responder), [id](Database &db) { return BenchStore::load(db, id); },
        [](const Result<BenchRunResult> &loaded) {
            if (!loaded) {
                if (loaded.error().code == u"bench.unknown_run")
                    return apireply::error(404, u"not_found"_s, loaded.error().message);
                return apireply::queryError(loaded.error());
            }
            return apireply::json(200, loaded->toJson());
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

} // namespace boo
