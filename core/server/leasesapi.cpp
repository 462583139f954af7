#include "core/server/leasesapi.h"

#include "core/actions/accessgate.h"
#include "core/actions/leasebook.h"
#include "core/common/jsonreader.h"
#include "core/http/httprequest.h"
#include "core/http/httpresponder.h"
#include "core/http/httpserver.h"
#include "core/server/apireply.h"

#include <QDateTime>
#include <QJsonArray>
#include <QPointer>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

constexpr JsonErrorCodes kRequestCodes{"bad_request", "bad_request", "bad_request"};
constexpr qint64 kMaxTtlSeconds = LeaseBook::kMaxTtlMs / 1000;

qint64 now()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// An empty body is an empty object: DELETE and a bare heartbeat send none.
Result<QJsonObject> bodyObject(const HttpRequest &request)
{
    if (request.body().trimmed().isEmpty())
        return QJsonObject();
    return JsonReader::parseObject(request.body(), u"the request body"_s, kRequestCodes);
}

std::optional<qint64> leaseId(const HttpRequest &request)
{
    bool ok = false;
    const qint64 id = request.pathParam(u"id").toLongLong(&ok);
    return ok && id > 0 ? std::optional<qint64>(id) : std::nullopt;
}

HttpResponse storeError(const Error &error)
{
    if (error.code == u"lease.gone"_s)
        return apireply::error(404, u"lease_gone"_s, error.message);
    return apireply::error(503, u"database"_s, error.message);
}

void list(LeaseBook *leases, AccessGate *gate, HttpResponder responder)
{
    const qint64 t = now();
    auto active = leases->active();
    auto recent = leases->recent(t - LeasesApi::kRecentWindowMs, 100);
    auto decisions = gate->recentDecisions(50);
    if (!active || !recent || !decisions)
        return responder.respond(storeError(!active ? active.error() : !recent ? recent.error() : decisions.error()));
    QJsonArray inForce, history, answers;
    for (const HostLease &lease : std::as_const(*active))
        inForce.append(lease.toJson(t));
    for (const HostLease &lease : std::as_const(*recent))
        history.append(lease.toJson(t));
    for (const QJsonObject &decision : std::as_const(*decisions))
        answers.append(decision);
    responder.respond(apireply::json(200, QJsonObject{{u"leases"_s, inForce}, {u"recent"_s, history}, {u"decisions"_s, answers}}));
}

void acquire(AccessGate *gate, const HttpRequest &request, HttpResponder responder)
{
    auto body = bodyObject(request);
    if (!body)
        return responder.respond(apireply::error(400, body.error().code, body.error().message));
    JsonReader f(*body, u"lease"_s, kRequestCodes);
    HostAccessRequest ask;
    ask.providerId = f.string(u"provider"_s, JsonReader::Required);
    ask.model = f.string(u"model"_s);
    ask.holder = f.string(u"holder"_s);
    ask.purpose = f.string(u"purpose"_s);
    ask.ttlMs = f.integerIn(u"ttl_s"_s, 1, kMaxTtlSeconds).value_or(0) * 1000;
    ask.whenBusy = f.boolean(u"force"_s, false) ? HostAccessRequest::WhenBusy::Force : HostAccessRequest::WhenBusy::Refuse;
    if (f.failed())
        return responder.respond(apireply::error(400, f.error().code, f.error().message));
    if (ask.holder.isEmpty())
        ask.holder = u"api:%1"_s.arg(request.peerAddress().toString());
    auto decision = gate->acquireHostAccess(ask);
    if (!decision)
        return responder.respond(storeError(decision.error()));
    const qint64 t = now();
    using Outcome = HostAccessDecision::Outcome;
    const int status = decision->granted() ? 201 : decision->outcome == Outcome::Unavailable ? 404 : 409;
    QJsonObject answer{{u"decision"_s, decision->toJson(t)}};
    if (decision->lease)
        answer.insert(u"lease"_s, decision->lease->toJson(t));
    if (!decision->granted())
        answer.insert(u"error"_s,
                      QJsonObject{{u"code"_s, enumNameString(HostAccessDecision::kOutcomeNames, decision->outcome)},
                                  {u"message"_s, decision->reason}});
    responder.respond(apireply::json(status, answer));
}

void heartbeat(LeaseBook *leases, const HttpRequest &request, HttpResponder responder)
{
    const auto id = leaseId(request);
    if (!id)
        return responder.respond(apireply::error(404, u"lease_gone"_s, u"no lease '%1'"_s.arg(request.pathParam(u"id"))));
    auto body = bodyObject(request);
    if (!body)
        return responder.respond(apireply::error(400, body.error().code, body.error().message));
    JsonReader f(*body, u"heartbeat"_s, kRequestCodes);
    const qint64 ttlMs = f.integerIn(u"ttl_s"_s, 1, kMaxTtlSeconds).value_or(LeaseBook::kDefaultTtlMs / 1000) * 1000;
    if (f.failed())
        return responder.respond(apireply::error(400, f.error().code, f.error().message));
    auto lease = leases->heartbeat(*id, ttlMs);
    if (!lease)
        return responder.respond(storeError(lease.error()));
    responder.respond(apireply::json(200, QJsonObject{{u"lease"_s, lease->toJson(now())}}));
}

void release(LeaseBook *leases, const HttpRequest &request, HttpResponder responder)
{
    const auto id = leaseId(request);
    if (!id)
        return responder.respond(apireply::error(404, u"lease_gone"_s, u"no lease '%1'"_s.arg(request.pathParam(u"id"))));
    if (auto released = leases->release(*id); !released)
        return responder.respond(storeError(released.error()));
    responder.respond(apireply::json(200, QJsonObject{{u"released"_s, *id}}));
}

} // namespace

void LeasesApi::install(HttpServer *http, AccessGate *gate, LeaseBook *leases)
{
    const auto unavailable
        = [](HttpResponder &responder) { responder.respond(apireply::error(503, u"no_leases"_s, u"this server keeps no leases"_s)); };
    http->route(
        "GET", u"/api/leases"_s,
        [gate = QPointer(gate), leases = QPointer(leases), unavailable](const HttpRequest &, HttpResponder responder) {
            if (!gate || !leases)
                return unavailable(responder);
            list(leases, gate, std::move(responder));
        },
        0);
    http->route(
        "POST", u"/api/leases"_s,
        [gate = QPointer(gate), unavailable](const HttpRequest &request, HttpResponder responder) {
            if (!gate)
                return unavailable(responder);
            acquire(gate, request, std::move(responder));
        },
        kMaxBodyBytes);
    http->route(
        "POST", u"/api/leases/{id}/heartbeat"_s,
        [leases = QPointer(leases), unavailable](const HttpRequest &request, HttpResponder responder) {
            if (!leases)
                return unavailable(responder);
            heartbeat(leases, request, std::move(responder));
        },
        kMaxBodyBytes);
    http->route(
        "DELETE", u"/api/leases/{id}"_s,
        [leases = QPointer(leases), unavailable](const HttpRequest &request, HttpResponder responder) {
            if (!leases)
                return unavailable(responder);
            release(leases, request, std::move(responder));
        },
        0);
}

} // namespace boo
