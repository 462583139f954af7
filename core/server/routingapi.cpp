#include "core/server/routingapi.h"

#include "core/common/jsonreader.h"
#include "core/gateway/gateway.h"
#include "core/gateway/policystore.h"
#include "core/http/httprequest.h"
#include "core/http/httpresponder.h"
#include "core/http/httpserver.h"
#include "core/server/apireply.h"
#include "core/server/controlserver.h"
#include "core/store/gatewaylogquery.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

constexpr qint64 kMaxPolicyBody = 1024 * 1024;
// The answer's error code for a body that is not what the route takes; the message names the field.
constexpr JsonErrorCodes kRequestCodes{"bad_request", "bad_request", "bad_request"};

QJsonArray policiesJson(const Gateway *gateway)
{
    QJsonArray list;
    for (const RoutePolicy &p : gateway->policies())
        list.append(p.toJson());
    return list;
}

Result<QJsonObject> jsonBody(const HttpRequest &request)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(request.body(), &error);
    if (error.error != QJsonParseError::NoError)
        return makeError(u"bad_request"_s, u"the body is not valid JSON: %1 at byte %2"_s.arg(error.errorString()).arg(error.offset));
    if (!doc.isObject())
        return makeError(u"bad_request"_s, u"the body must be a JSON object"_s);
    return doc.object();
}

void putPolicies(Gateway *gateway, const HttpRequest &request, HttpResponder responder)
{
    auto body = jsonBody(request);
    if (!body)
        return responder.respond(apireply::error(400, body.error().code, body.error().message));
    auto policies = PolicyStore::fromJson(body->value(u"policies"_s));
    if (!policies)
        return responder.respond(apireply::error(400, u"bad_request"_s, policies.error().message));
    if (auto applied = gateway->setPolicies(*policies); !applied)
        return responder.respond(apireply::error(503, u"database"_s, applied.error().message));
    responder.respond(apireply::json(200, QJsonObject{{u"policies"_s, policiesJson(gateway)}}));
}

void testPolicy(Gateway *gateway, const HttpRequest &request, HttpResponder responder)
{
    auto body = jsonBody(request);
    if (!body)
        return responder.respond(apireply::error(400, body.error().code, body.error().message));
    JsonReader f(*body, QString(), kRequestCodes);
    RouteFacts facts;
    facts.source = f.nullableString(u"source"_s).value_or(u"unknown"_s);
    facts.promptTokens = f.integerIn(u"prompt_tokens"_s, 0, std::numeric_limits<qint64>::max()).value_or(0);
    facts.hasTools = f.boolean(u"tools"_s, false);
    facts.endpoint = f.enumValue(u"endpoint"_s, kGatewayEndpointShortNames).value_or(GatewayEndpoint::ChatCompletions);
    const std::optional<QJsonObject> edited = f.nullableObject(u"policy"_s);
    const std::optional<QString> model = f.nullableString(u"model"_s);
    if (f.failed())
        return responder.respond(apireply::error(400, f.error().code, f.error().message));

    QJsonObject answer;
    Ranking ranking;
    if (edited) {
        // An edited policy, tested before it is saved.
        auto policy = RoutePolicy::fromJson(*edited);
        if (!policy)
            return responder.respond(apireply::error(400, u"bad_request"_s, policy.error().message));
        facts.requestedModel = model.value_or(policy->name);
        QString why;
        answer.insert(u"rule_matches"_s, policy->rule.matches(policy->name, facts, &why));
        if (!why.isEmpty())
            answer.insert(u"rule_mismatch"_s, why);
        answer.insert(u"policy"_s, policy->name);
        ranking = gateway->rankPolicy(*policy, facts);
    } else {
        facts.requestedModel = model.value_or(QString());
        if (facts.requestedModel.isEmpty())
            return responder.respond(apireply::error(400, u"bad_request"_s, u"send {\"model\": \"auto\"} or {\"policy\": {...}}"_s));
        auto resolution = gateway->resolve(facts);
        if (!resolution)
            return responder.respond(
                apireply::error(resolution.error().code == u"policy.rule"_s ? 400 : 404, u"not_found"_s, resolution.error().message));
        answer.insert(u"rule_matches"_s, true);
        if (!resolution->policy.isEmpty())
            answer.insert(u"policy"_s, resolution->policy);
        if (!resolution->providerId.isEmpty())
            answer.insert(u"provider"_s, resolution->providerId);
        ranking = gateway->rank(*resolution, facts);
    }
    answer.insert(u"model"_s, facts.requestedModel);
    answer.insert(u"ranking"_s, ranking.toJson());
    responder.respond(apireply::json(200, answer));
}

void log(ControlServer *server, const HttpRequest &request, HttpResponder responder)
{
    if (!server->hasHistory())
        return responder.respond(apireply::error(503, u"no_database"_s, u"this server keeps no history"_s));
    GatewayLogFilter filter;
    filter.source = request.queryValue(u"source"_s);
    filter.model = request.queryValue(u"model"_s);
    filter.policy = request.queryValue(u"policy"_s);
    filter.provider = request.queryValue(u"host"_s);
    const QString status = request.queryValue(u"status"_s);
    if (!status.isEmpty()) {
        if (status.size() != 3 || !status.endsWith(u"xx"_s) || status.at(0) < u'1' || status.at(0) > u'5')
            return responder.respond(apireply::error(400, u"bad_request"_s, u"'status' must be one of 1xx, 2xx, 3xx, 4xx, 5xx"_s));
        filter.statusClass = status.at(0).digitValue();
    }
    auto limit = apireply::integerParam(request, u"limit"_s, 1, GatewayLogFilter::kMaxLimit);
    auto before = apireply::integerParam(request, u"before_id"_s, 1, std::numeric_limits<qint64>::max());
    auto since = apireply::timeParam(request, u"since"_s);
    auto until = apireply::timeParam(request, u"until"_s);
    for (const Result<std::optional<qint64>> *param : {&limit, &before, &since, &until}) {
        if (!*param)
            return responder.respond(apireply::error(400, param->error().code, param->error().message));
    }
    filter.limit = int(limit->value_or(100));
    filter.beforeId = *before;
    filter.sinceMs = *since;
    filter.untilMs = *until;
    server->answerFromHistory<GatewayLogPage>(
        std::move(responder), [filter](Database &db) { return GatewayLogQuery::fetch(db, filter); },
        [](const Result<GatewayLogPage> &page) {
            if (!page)
                return apireply::queryError(page.error());
            QJsonArray entries;
            for (const GatewayLogEntry &e : std::as_const(page->entries))
                entries.append(e.toJson());
            return apireply::keysetPage(u"entries"_s, entries, page->nextBeforeId);
        });
}

void sources(ControlServer *server, const HttpRequest &request, HttpResponder responder)
{
    if (!server->hasHistory())
        return responder.respond(apireply::error(503, u"no_database"_s, u"this server keeps no history"_s));
    auto since = apireply::timeParam(request, u"since"_s);
    auto until = apireply::timeParam(request, u"until"_s);
    for (const Result<std::optional<qint64>> *param : {&since, &until}) {
        if (!*param)
            return responder.respond(apireply::error(400, param->error().code, param->error().message));
    }
    server->answerFromHistory<QList<SourceTotals>>(
        std::move(responder), [since = *since, until = *until](Database &db) { return GatewayLogQuery::sourceTotals(db, since, until); },
        [](const Result<QList<SourceTotals>> &totals) {
            if (!totals)
                return apireply::queryError(totals.error());
            QJsonArray list;
            for (const SourceTotals &t : std::as_const(*totals))
                list.append(t.toJson());
            return apireply::json(200, QJsonObject{{u"sources"_s, list}});
        });
}

} // namespace

void RoutingApi::install(Gateway *gateway, ControlServer *server)
{
    HttpServer *http = server->http();
    http->route(
        "GET", u"/api/routing/policies"_s,
        [gateway](const HttpRequest &, HttpResponder r) {
            r.respond(apireply::json(200, QJsonObject{{u"policies"_s, policiesJson(gateway)}}));
        },
        0);
    http->route(
        "PUT", u"/api/routing/policies"_s, [gateway](const HttpRequest &q, HttpResponder r) { putPolicies(gateway, q, std::move(r)); },
        kMaxPolicyBody);
    http->route(
        "POST", u"/api/routing/test"_s, [gateway](const HttpRequest &q, HttpResponder r) { testPolicy(gateway, q, std::move(r)); },
        kMaxPolicyBody);
    http->route(
        "GET", u"/api/gateway/log"_s, [server](const HttpRequest &q, HttpResponder r) { log(server, q, std::move(r)); }, 0);
    http->route(
        "GET", u"/api/gateway/sources"_s, [server](const HttpRequest &q, HttpResponder r) { sources(server, q, std::move(r)); }, 0);
}

} // namespace boo
