#pragma once

#include "core/actions/accessgate.h"
#include "core/bench/benchrunner.h"
#include "core/common/result.h"

#include <QList>
#include <QObject>
#include <QPointer>

namespace boo {

class LeaseKeeper;

// A host a suite measures directly, and the model held there (empty: several models are
// measured on it, so the host is held as it is).
struct BenchHostClaim
{
    QString providerId;
    QString model;
};

// A benchmark's way through the AccessGate (issue 12, "safe by construction"): every host the
// suite measures directly is asked for, all or none; a refusal becomes an error the operator can
// read ("bench.busy", "bench.leased", "bench.needs_confirmation", "bench.unavailable"); the leases
// granted are heartbeated by LeaseKeepers until release(). Targets reached through a gateway
// (virtual models) claim no host: the gateway picks one and honours the leases of others.
class BenchHostAccess final : public QObject
{
    Q_OBJECT

public:
    BenchHostAccess(AccessGate *gate, LeaseBook *leases, QObject *parent = nullptr);
    ~BenchHostAccess() override;
    Q_DISABLE_COPY_MOVE(BenchHostAccess)

    static QList<BenchHostClaim> claimsFor(const BenchSuite &suite, const QMap<QString, BenchTargetRoute> &routes);

    // On success every claimed host is leased to `holder` ("bench:<suite>") and the decisions are
    // returned (forced ones say so); on a refusal the hosts granted before it are released again.
    Result<QList<HostAccessDecision>> acquire(const QList<BenchHostClaim> &claims, const QString &holder,
                                              HostAccessRequest::WhenBusy whenBusy);
    // Ends every lease held (also done on destruction).
    void release();
    bool holding() const { return !m_keepers.isEmpty(); }

Q_SIGNALS:
    // A lease ended under the run (an operator revoked it): the run should stop.
    void lost(const QString &providerId, const QString &reason);

private:
    QPointer<AccessGate> m_gate;
    QPointer<LeaseBook> m_leases;
    QList<LeaseKeeper *> m_keepers;
};

} // namespace boo
