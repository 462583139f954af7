#include "core/bench/benchhostaccess.h"

#include "core/actions/leasebook.h"
#include "core/actions/leasekeeper.h"

using namespace Qt::StringLiterals;

namespace boo {

BenchHostAccess::BenchHostAccess(AccessGate *gate, LeaseBook *leases, QObject *parent)
    : QObject(parent)
    , m_gate(gate)
    , m_leases(leases)
{
}

BenchHostAccess::~BenchHostAccess()
{
    release();
}

QList<BenchHostClaim> BenchHostAccess::claimsFor(const BenchSuite &suite, const QMap<QString, BenchTargetRoute> &routes)
{
    QList<BenchHostClaim> claims;
    for (const BenchTarget &target : suite.targets) {
        const BenchTargetRoute route = routes.value(target.text);
        if (!route.host || route.endpoint.providerId.isEmpty())
            continue;
        auto it = std::find_if(claims.begin(), claims.end(),
                               [&](const BenchHostClaim &c) { return c.providerId == route.endpoint.providerId; });
        if (it == claims.end())
            claims << BenchHostClaim{route.endpoint.providerId, target.model};
        else if (it->model != target.model)
            it->model.clear();
    }
    return claims;
}

Result<QList<HostAccessDecision>> BenchHostAccess::acquire(const QList<BenchHostClaim> &claims, const QString &holder,
                                                           HostAccessRequest::WhenBusy whenBusy)
{
    release();
    if (!m_gate || !m_leases)
        return makeError(u"bench.no_gate"_s, u"a benchmark needs the host access gate and the lease book"_s);
    QList<HostAccessDecision> decisions;
    for (const BenchHostClaim &claim : claims) {
        HostAccessRequest request;
        request.providerId = claim.providerId;
        request.model = claim.model;
        request.holder = holder;
        request.purpose = u"benchmark"_s;
        request.whenBusy = whenBusy;
        auto decision = m_gate->acquireHostAccess(request);
        if (!decision) {
            release();
            return decision.error();
        }
        if (!decision->granted()) {
            release();
            const QString outcome = enumNameString(HostAccessDecision::kOutcomeNames, decision->outcome);
            return makeError(u"bench."_s + outcome, u"%1: %2"_s.arg(claim.providerId, decision->reason));
        }
        auto *keeper = new LeaseKeeper(m_leases, *decision->lease, LeaseBook::kDefaultTtlMs, this);
        connect(keeper, &LeaseKeeper::lost, this, [this, id = claim.providerId](const QString &reason) { Q_EMIT lost(id, reason); });
        m_keepers << keeper;
        decisions << *decision;
    }
    return decisions;
}

void BenchHostAccess::release()
{
    for (LeaseKeeper *keeper : std::as_const(m_keepers)) {
        keeper->release();
        keeper->deleteLater();
    }
    m_keepers.clear();
}

} // namespace boo
