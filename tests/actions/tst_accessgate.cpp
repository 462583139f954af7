// The access gate, the lease book and the lease keeper against a simulated llama-swap host on
// loopback, watched by a real FleetRuntime (SQLite): what a benchmark asks before it uses a host.

#include "core/actions/accessgate.h"
#include "core/actions/actionqueue.h"
#include "core/actions/leasebook.h"
#include "core/actions/leasekeeper.h"
#include "core/fleet/fleetstate.h"
#include "core/sim/simhost.h"
#include "core/store/database.h"
#include "tests/common/livefleet.h"
#include "tests/sim/simtestsupport.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

namespace {

using Outcome = HostAccessDecision::Outcome;
using WhenBusy = HostAccessRequest::WhenBusy;

HostAccessRequest ask(const QString &holder, WhenBusy whenBusy = WhenBusy::Refuse, qint64 ttlMs = 0)
{
    HostAccessRequest r;
    r.providerId = u"h1"_s;
    r.model = u"qwen3-8b"_s;
    r.holder = holder;
    r.purpose = u"benchmark"_s;
    r.whenBusy = whenBusy;
    r.ttlMs = ttlMs;
    return r;
}

HostAction warm(const QString &holder = {})
{
    HostAction a;
    a.hostId = u"h1"_s;
    a.kind = HostAction::Kind::Warm;
    a.model = u"qwen3-8b"_s;
    a.holder = holder;
    return a;
}

} // namespace

class TestAccessGate : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::LiveFleet> m_live;

    AccessGate *gate() const { return m_live->runtime()->accessGate(); }
    LeaseBook *leases() const { return m_live->runtime()->leases(); }

    qint64 decisionsStored(const QString &outcome) const
    {
        auto q = m_live->runtime()->database()->exec(u"SELECT COUNT(*) FROM control_access_decisions WHERE outcome = ?"_s, {outcome});
        return q && q->next() ? q->value(0).toLongLong() : -1;
    }

    // A request that runs for many seconds, so the host is busy while the test asks.
    void startLongRequest()
    {
        SimTrafficSpec spec;
        spec.model = u"qwen3-8b"_s;
        spec.timing = SimTrafficSpec::Timing::RealTime;
        spec.maxTokens = 100000;
        m_live->host(u"h1"_s)->generateTraffic(spec);
        QTRY_VERIFY_WITH_TIMEOUT(m_live->fleet()->host(u"h1"_s)->inflightCount > 0, 10000);
    }

private Q_SLOTS:
    void init()
    {
        QString error;
        m_live = test::LiveFleet::start({simtest::fastHost(u"h1"_s)}, &error);
        QVERIFY2(m_live, qPrintable(error));
        QVERIFY(m_live->waitConnected());
    }

    void cleanup() { m_live.reset(); }

    void quietHostIsGrantedAndTheDecisionRecorded()
    {
        auto decision = gate()->acquireHostAccess(ask(u"bench:a"_s));
        QVERIFY2(decision.ok(), qPrintable(decision.ok() ? QString() : decision.error().message));
        QCOMPARE(decision->outcome, Outcome::Granted);
        QVERIFY(!decision->forced);
        QVERIFY(decision->lease);
        QCOMPARE(decision->lease->holder, u"bench:a"_s);
        QVERIFY(decision->lease->expiresAt > decision->lease->grantedAt);
        QCOMPARE(leases()->active()->size(), 1);
        QCOMPARE(decisionsStored(u"granted"_s), 1);
        QCOMPARE(gate()->recentDecisions(10)->constFirst().value(u"holder"_s).toString(), u"bench:a"_s);
    }

    void aHeldHostIsRefusedToOthersEvenWhenForced()
    {
        auto first = gate()->acquireHostAccess(ask(u"bench:a"_s));
        QVERIFY(first && first->granted());
        for (WhenBusy how : {WhenBusy::Refuse, WhenBusy::Ask, WhenBusy::Force}) {
            auto second = gate()->acquireHostAccess(ask(u"bench:b"_s, how));
            QVERIFY(second.ok());
            QCOMPARE(second->outcome, Outcome::Leased);
            QVERIFY(second->blocker);
            QCOMPARE(second->blocker->holder, u"bench:a"_s);
            QVERIFY2(second->reason.contains(u"bench:a (benchmark)"_s), qPrintable(second->reason));
        }
        QCOMPARE(decisionsStored(u"leased"_s), 3);
        // Released, the host is free again.
        QVERIFY(leases()->release(first->lease->id));
        auto third = gate()->acquireHostAccess(ask(u"bench:b"_s));
        QVERIFY(third && third->granted());
        // Releasing twice says the lease is gone.
        auto again = leases()->release(first->lease->id);
        QVERIFY(!again.ok());
        QCOMPARE(again.error().code, u"lease.gone"_s);
    }

    void aBusyHostIsRefusedAskedOrForced()
    {
        startLongRequest();
        auto refused = gate()->acquireHostAccess(ask(u"bench:a"_s, WhenBusy::Refuse));
        QVERIFY(refused.ok());
        QCOMPARE(refused->outcome, Outcome::Busy);
        QVERIFY(refused->inflight >= 1);
        QVERIFY(!refused->lease);
        auto asked = gate()->acquireHostAccess(ask(u"bench:a"_s, WhenBusy::Ask));
        QCOMPARE(asked->outcome, Outcome::NeedsConfirmation);
        QCOMPARE(leases()->active()->size(), 0);

        auto forced = gate()->acquireHostAccess(ask(u"bench:a"_s, WhenBusy::Force));
        QCOMPARE(forced->outcome, Outcome::Granted);
        QVERIFY(forced->forced);
        QCOMPARE(decisionsStored(u"busy"_s), 1);
        QCOMPARE(decisionsStored(u"needs_confirmation"_s), 1);
        auto q = m_live->runtime()->database()->exec(u"SELECT COUNT(*) FROM control_access_decisions WHERE forced = 1"_s);
        QVERIFY(q && q->next());
        QCOMPARE(q->value(0).toLongLong(), 1);
    }

    void aRecentRequestKeepsTheHostBusyForTheQuietWindow()
    {
        QNetworkAccessManager nam;
        const auto reply
            = simtest::post(nam, m_live->host(u"h1"_s)->port(), u"/v1/chat/completions"_s, simtest::chatBody(u"qwen3-8b"_s, false));
        QCOMPARE(reply.status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(m_live->fleet()->host(u"h1"_s)->model(u"qwen3-8b"_s)
                                     && m_live->fleet()->host(u"h1"_s)->model(u"qwen3-8b"_s)->lastUsedMs,
                                 10000);
        QTRY_COMPARE_WITH_TIMEOUT(m_live->fleet()->host(u"h1"_s)->inflightCount, 0, 10000);
        auto busy = gate()->acquireHostAccess(ask(u"bench:a"_s));
        QCOMPARE(busy->outcome, Outcome::Busy);
        QVERIFY(busy->lastRequestAgoMs);
        QVERIFY2(busy->reason.contains(u"quiet window"_s), qPrintable(busy->reason));
        gate()->setQuietWindowMs(0);
        QVERIFY(gate()->acquireHostAccess(ask(u"bench:a"_s))->granted());
    }

    void aRunsOwnRequestsDoNotMakeTheHostBusyForTheNext()
    {
        auto first = gate()->acquireHostAccess(ask(u"bench:a"_s));
        QVERIFY(first && first->granted());
        // The run's own request, made while it holds the host.
        QNetworkAccessManager nam;
        const auto reply
            = simtest::post(nam, m_live->host(u"h1"_s)->port(), u"/v1/chat/completions"_s, simtest::chatBody(u"qwen3-8b"_s, false));
        QCOMPARE(reply.status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(m_live->fleet()->host(u"h1"_s)->model(u"qwen3-8b"_s)
                                     && m_live->fleet()->host(u"h1"_s)->model(u"qwen3-8b"_s)->lastUsedMs,
                                 10000);
        QTRY_COMPARE_WITH_TIMEOUT(m_live->fleet()->host(u"h1"_s)->inflightCount, 0, 10000);
        QVERIFY(leases()->release(first->lease->id));
        // The next run, at once: the host served a request seconds ago, but under the lease.
        auto next = gate()->acquireHostAccess(ask(u"bench:b"_s));
        QVERIFY(next.ok());
        QCOMPARE(next->outcome, Outcome::Granted);
        QVERIFY(!next->forced);
        QVERIFY(!next->lastRequestAgoMs);
        QVERIFY(leases()->release(next->lease->id));

        // A request after the lease and its grace is someone else's: busy again.
        auto q = m_live->runtime()->database()->exec(
            u"UPDATE control_host_leases SET granted_at = granted_at - 100000, expires_at = expires_at - 100000, "
            u"released_at = released_at - 100000"_s);
        QVERIFY(q.ok());
        auto busy = gate()->acquireHostAccess(ask(u"bench:c"_s));
        QVERIFY(busy.ok());
        QCOMPARE(busy->outcome, Outcome::Busy);
    }

    void unknownAndDownHostsAreUnavailable()
    {
        HostAccessRequest r = ask(u"bench:a"_s);
        r.providerId = u"nowhere"_s;
        auto unknown = gate()->acquireHostAccess(r);
        QCOMPARE(unknown->outcome, Outcome::Unavailable);
        m_live->host(u"h1"_s)->stop();
        QTRY_COMPARE_WITH_TIMEOUT(m_live->fleet()->host(u"h1"_s)->liveness, Liveness::Down, 10000);
        auto down = gate()->acquireHostAccess(ask(u"bench:a"_s, WhenBusy::Force));
        QCOMPARE(down->outcome, Outcome::Unavailable);
        QVERIFY2(down->reason.contains(u"down"_s), qPrintable(down->reason));
        QCOMPARE(decisionsStored(u"unavailable"_s), 2);
    }

    void actionsHonourLeases()
    {
        auto held = gate()->acquireHostAccess(ask(u"bench:a"_s));
        QVERIFY(held && held->granted());
        ActionQueue *queue = m_live->runtime()->actions();
        auto refused = queue->submit(warm());
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, u"action.host_leased"_s);
        QVERIFY2(refused.error().message.contains(u"bench:a"_s), qPrintable(refused.error().message));
        HostAction unload = warm();
        unload.kind = HostAction::Kind::UnloadAll;
        QCOMPARE(queue->submit(unload).error().code, u"action.host_leased"_s);
        // The holder warms its own host; a cancel is never blocked.
        QVERIFY(queue->submit(warm(u"bench:a"_s)).ok());
        HostAction cancel = warm();
        cancel.kind = HostAction::Kind::Cancel;
        cancel.model.clear();
        cancel.requestId = u"1"_s;
        QVERIFY(queue->submit(cancel).ok());
        // Released: the operator's warm goes through.
        QVERIFY(leases()->release(held->lease->id));
        QVERIFY(queue->submit(warm()).ok());
    }

    void aKeeperHeartbeatsReleasesAndNoticesALostLease()
    {
        auto held = gate()->acquireHostAccess(ask(u"bench:a"_s, WhenBusy::Refuse, 600));
        QVERIFY(held && held->granted());
        {
            LeaseKeeper keeper(leases(), *held->lease, 600);
            // Three TTLs later the lease is still in force: the keeper moved its end.
            QTest::qWait(1800);
            QCOMPARE(leases()->active()->size(), 1);
            QVERIFY(keeper.lease().expiresAt > held->lease->expiresAt);
        }
        // Destroyed, the keeper released it.
        QCOMPARE(leases()->active()->size(), 0);

        auto next = gate()->acquireHostAccess(ask(u"bench:a"_s, WhenBusy::Refuse, 600));
        QVERIFY(next && next->granted());
        LeaseKeeper keeper(leases(), *next->lease, 600);
        QSignalSpy lost(&keeper, &LeaseKeeper::lost);
        QVERIFY(leases()->release(next->lease->id)); // the operator takes it back
        QVERIFY(lost.wait(2000));
        QVERIFY(!keeper.holding());
    }

    void aLeaseNobodyHeartbeatsEndsOnItsOwn()
    {
        auto held = gate()->acquireHostAccess(ask(u"bench:crashed"_s, WhenBusy::Refuse, 300));
        QVERIFY(held && held->granted());
        QTRY_COMPARE_WITH_TIMEOUT(leases()->active()->size(), 0, 3000);
        QVERIFY(gate()->acquireHostAccess(ask(u"bench:b"_s))->granted());
        auto late = leases()->heartbeat(held->lease->id, 1000);
        QVERIFY(!late.ok());
        QCOMPARE(late.error().code, u"lease.gone"_s);
    }
};

QTEST_GUILESS_MAIN(TestAccessGate)
#include "tst_accessgate.moc"
