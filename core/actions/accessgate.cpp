#include "core/actions/accessgate.h"

#include "core/actions/leasebook.h"
#include "core/common/logging.h"
#include "core/fleet/fleetstate.h"
#include "core/store/database.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

using Outcome = HostAccessDecision::Outcome;
using WhenBusy = HostAccessRequest::WhenBusy;

// True when `ms` falls while one of `leases` was held, give or take the grace (host timestamps
// may be whole seconds, events arrive late).
bool duringLease(qint64 ms, const QList<HostLease> &leases)
{
    for (const HostLease &lease : leases) {
        const qint64 end = std::min(lease.releasedAt.value_or(lease.expiresAt), lease.expiresAt);
        if (ms >= lease.grantedAt - AccessGate::kOwnTrafficGraceMs && ms <= end + AccessGate::kOwnTrafficGraceMs)
            return true;
    }
    return false;
}

// The most recent finished request of any model on the host that was not the lease holders'
// own: a benchmark's requests must not make the host look busy to the next run.
std::optional<qint64> lastRequestMs(const HostState &host, const QList<HostLease> &heldLeases)
{
    std::optional<qint64> last;
    for (const HostedModel &model : host.models) {
        if (!model.lastUsedMs || duringLease(*model.lastUsedMs, heldLeases))
            continue;
        if (!last || *model.lastUsedMs > *last)
            last = model.lastUsedMs;
    }
    return last;
}

} // namespace

QJsonObject HostAccessDecision::toJson(qint64 nowMs) const
{
    QJsonObject o{{u"outcome"_s, enumNameString(kOutcomeNames, outcome)},
                  {u"granted"_s, granted()},
                  {u"forced"_s, forced},
                  {u"inflight"_s, inflight},
                  {u"reason"_s, reason}};
    o.insert(u"last_request_ago_ms"_s, lastRequestAgoMs ? QJsonValue(*lastRequestAgoMs) : QJsonValue());
    o.insert(u"lease"_s, lease ? QJsonValue(lease->toJson(nowMs)) : QJsonValue());
    o.insert(u"blocked_by"_s, blocker ? QJsonValue(blocker->toJson(nowMs)) : QJsonValue());
    return o;
}

AccessGate::AccessGate(FleetState *fleet, LeaseBook *leases, Database *database, QObject *parent)
    : QObject(parent)
    , m_fleet(fleet)
    , m_leases(leases)
    , m_database(database)
{
}

HostAccessDecision AccessGate::decide(const HostAccessRequest &request, const QList<HostLease> &recentLeases, qint64 nowMs)
{
    HostAccessDecision d;
    const auto host = m_fleet ? m_fleet->host(request.providerId) : std::nullopt;
    if (!host) {
        d.reason = u"no watched host '%1'"_s.arg(request.providerId);
        return d;
    }
    const QString name = host->name.isEmpty() ? host->id : host->name;
    if (host->liveness == Liveness::Down) {
        d.reason = u"%1 is down"_s.arg(name);
        return d;
    }
    d.inflight = host->inflightCount;
    if (const auto last = lastRequestMs(*host, recentLeases); last && nowMs - *last < m_quietWindowMs)
        d.lastRequestAgoMs = std::max<qint64>(0, nowMs - *last);
    const bool inUse = d.inflight > 0 || d.lastRequestAgoMs.has_value();
    if (inUse && request.whenBusy != WhenBusy::Force) {
        d.outcome = request.whenBusy == WhenBusy::Ask ? Outcome::NeedsConfirmation : Outcome::Busy;
        d.reason = d.inflight > 0
            ? u"%1 is serving %2 request(s) now"_s.arg(name).arg(d.inflight)
            : u"%1 served a request %2 s ago (quiet window %3 s)"_s.arg(name).arg(*d.lastRequestAgoMs / 1000).arg(m_quietWindowMs / 1000);
        return d;
    }
    d.forced = inUse;
    d.outcome = Outcome::Granted;
    d.reason = inUse ? u"granted over live traffic (forced)"_s : u"granted: %1 is quiet"_s.arg(name);
    return d;
}

Result<HostAccessDecision> AccessGate::acquireHostAccess(const HostAccessRequest &request)
{
    if (!m_leases)
        return makeError(u"access.no_leases"_s, u"host access needs the lease book"_s);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    // Someone else's lease first: not even Force takes a host from a running benchmark.
    auto blocker = m_leases->heldByOther(request.providerId, request.holder);
    if (!blocker)
        return blocker.error();
    HostAccessDecision decision;
    if (*blocker) {
        decision.outcome = Outcome::Leased;
        decision.blocker = *blocker;
        decision.reason = u"held by %1"_s.arg((*blocker)->describe());
    } else {
        // Leases of the quiet window: requests made under them were the holders' own.
        auto recentLeases = m_leases->inForceSince(request.providerId, now - m_quietWindowMs - kOwnTrafficGraceMs);
        if (!recentLeases)
            return recentLeases.error();
        decision = decide(request, *recentLeases, now);
    }
    if (decision.granted()) {
        HostLease lease;
        lease.providerId = request.providerId;
        lease.model = request.model;
        lease.holder = request.holder;
        lease.reason = request.purpose;
        lease.expiresAt = now + (request.ttlMs > 0 ? std::min(request.ttlMs, LeaseBook::kMaxTtlMs) : LeaseBook::kDefaultTtlMs);
        auto granted = m_leases->grant(lease);
        if (!granted)
            return granted.error();
        decision.lease = *granted;
    }
    record(request, decision, now);
    return decision;
}

void AccessGate::record(const HostAccessRequest &request, const HostAccessDecision &decision, qint64 nowMs)
{
    qCInfo(lcApp).noquote() << "host access" << request.providerId << "for" << request.holder << request.purpose << "->"
                            << enumName(HostAccessDecision::kOutcomeNames, decision.outcome) << decision.reason;
    if (!m_database)
        return;
    // A decision that cannot be stored is still the decision: the log line above keeps it.
    auto stored
        = m_database->exec(u"INSERT INTO control_access_decisions (ts, provider_id, holder, purpose, outcome, forced, reason) "
                           u"VALUES (?, ?, ?, ?, ?, ?, ?)"_s,
                           {nowMs, request.providerId, request.holder, request.purpose,
                            enumNameString(HostAccessDecision::kOutcomeNames, decision.outcome), decision.forced ? 1 : 0, decision.reason});
    if (!stored)
        qCWarning(lcApp).noquote() << "could not record the host access decision:" << stored.error().message;
}

Result<QList<QJsonObject>> AccessGate::recentDecisions(int limit)
{
    if (!m_database)
        return makeError(u"access.no_database"_s, u"decisions are kept in the history database"_s);
    auto q = m_database->exec(u"SELECT ts, provider_id, holder, purpose, outcome, forced, reason FROM control_access_decisions "
                              u"ORDER BY id DESC LIMIT ?"_s,
                              {limit});
    if (!q)
        return q.error();
    QList<QJsonObject> rows;
    while (q->next()) {
        rows << QJsonObject{{u"ts"_s, q->value(0).toLongLong()},    {u"provider"_s, q->value(1).toString()},
                            {u"holder"_s, q->value(2).toString()},  {u"purpose"_s, q->value(3).toString()},
                            {u"outcome"_s, q->value(4).toString()}, {u"forced"_s, q->value(5).toInt() != 0},
                            {u"reason"_s, q->value(6).toString()}};
    }
    return rows;
}

} // namespace boo
