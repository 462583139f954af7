// A benchmark's way through the AccessGate (BenchHostAccess) against simulated hosts watched by
// a real FleetRuntime (SQLite): refused while another holder leases a host, refused while the
// host serves other traffic unless forced (and then recorded as forced), all hosts or none.

#include "core/actions/accessgate.h"
#include "core/actions/leasebook.h"
#include "core/bench/benchhostaccess.h"
#include "core/fleet/fleetstate.h"
#include "core/sim/simhost.h"
#include "core/store/database.h"
#include "tests/common/livefleet.h"
#include "tests/sim/simtestsupport.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

namespace {

using WhenBusy = HostAccessRequest::WhenBusy;

BenchTargetRoute directRoute(const QString &providerId)
{
    BenchTargetRoute route;
    route.endpoint.providerId = providerId;
    route.host = HostEndpoint(QUrl(u"http://127.0.0.1:1"_s), QString());
    return route;
}

} // namespace

class TestBenchHostAccess : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::LiveFleet> m_live;

    AccessGate *gate() const { return m_live->runtime()->accessGate(); }
    LeaseBook *leases() const { return m_live->runtime()->leases(); }

    QList<BenchHostClaim> bothHosts() const { return {{u"h1"_s, u"qwen3-8b"_s}, {u"h2"_s, u"qwen3-8b"_s}}; }

    qint64 decisions(const QString &outcome, bool forced) const
    {
        auto q = m_live->runtime()->database()->exec(
            u"SELECT COUNT(*) FROM control_access_decisions WHERE outcome = ? AND forced = ? AND holder = 'bench:s'"_s,
            {outcome, forced ? 1 : 0});
        return q && q->next() ? q->value(0).toLongLong() : -1;
    }

    QStringList holdersOn(const QString &providerId) const
    {
        QStringList holders;
        const auto active = leases()->active();
        if (!active)
            return {u"error: "_s + active.error().message};
        for (const HostLease &lease : active.value()) {
            if (lease.providerId == providerId)
                holders << lease.holder;
        }
        return holders;
    }

private Q_SLOTS:
    void init()
    {
        QString error;
        m_live = test::LiveFleet::start({simtest::fastHost(u"h1"_s), simtest::fastHost(u"h2"_s)}, &error);
        QVERIFY2(m_live, qPrintable(error));
        QVERIFY(m_live->waitConnected());
    }

    void cleanup() { m_live.reset(); }

    void claimsAreOnePerDirectHost()
    {
        BenchSuite suite;
        suite.name = u"s"_s;
        suite.targets = {{u"h1/qwen3-8b"_s, u"h1"_s, u"qwen3-8b"_s},
                         {u"h1/gpt-oss-20b"_s, u"h1"_s, u"gpt-oss-20b"_s},
                         {u"h2/qwen3-8b"_s, u"h2"_s, u"qwen3-8b"_s},
                         {u"auto"_s, QString(), u"auto"_s}};
        QMap<QString, BenchTargetRoute> routes{{u"h1/qwen3-8b"_s, directRoute(u"h1"_s)},
                                               {u"h1/gpt-oss-20b"_s, directRoute(u"h1"_s)},
                                               {u"h2/qwen3-8b"_s, directRoute(u"h2"_s)},
                                               {u"auto"_s, BenchTargetRoute{}}};
        const QList<BenchHostClaim> claims = BenchHostAccess::claimsFor(suite, routes);
        QCOMPARE(claims.size(), 2);
        QCOMPARE(claims[0].providerId, u"h1"_s);
        QCOMPARE(claims[0].model, QString()); // two models measured there: the host as it is
        QCOMPARE(claims[1].providerId, u"h2"_s);
        QCOMPARE(claims[1].model, u"qwen3-8b"_s);
    }

    void quietHostsAreLeasedUntilReleased()
    {
        BenchHostAccess access(gate(), leases());
        auto granted = access.acquire(bothHosts(), u"bench:s"_s, WhenBusy::Refuse);
        QVERIFY2(granted.ok(), qPrintable(granted.ok() ? QString() : granted.error().message));
        QCOMPARE(granted->size(), 2);
        QVERIFY(!granted->at(0).forced);
        QCOMPARE(holdersOn(u"h1"_s), QStringList{u"bench:s"_s});
        QCOMPARE(holdersOn(u"h2"_s), QStringList{u"bench:s"_s});
        access.release();
        QVERIFY(holdersOn(u"h1"_s).isEmpty());
        QVERIFY(holdersOn(u"h2"_s).isEmpty());
    }

    void refusedWhileAnotherHolderLeasesAHostEvenWhenForced()
    {
        HostAccessRequest other;
        other.providerId = u"h2"_s;
        other.holder = u"operator"_s;
        other.purpose = u"maintenance"_s;
        auto held = gate()->acquireHostAccess(other);
        QVERIFY(held && held->granted());

        BenchHostAccess access(gate(), leases());
        for (WhenBusy how : {WhenBusy::Refuse, WhenBusy::Force}) {
            auto refused = access.acquire(bothHosts(), u"bench:s"_s, how);
            QVERIFY(!refused.ok());
            QCOMPARE(refused.error().code, u"bench.leased"_s);
            QVERIFY2(refused.error().message.contains(u"h2: held by operator (maintenance)"_s), qPrintable(refused.error().message));
            // All or none: h1, granted first, is free again.
            QVERIFY(holdersOn(u"h1"_s).isEmpty());
            QCOMPARE(holdersOn(u"h2"_s), QStringList{u"operator"_s});
        }
        QCOMPARE(decisions(u"leased"_s, false), 2);
    }

    void busyHostIsRefusedUnlessForcedAndTheForceIsRecorded()
    {
        SimTrafficSpec spec;
        spec.model = u"qwen3-8b"_s;
        spec.timing = SimTrafficSpec::Timing::RealTime;
        spec.maxTokens = 100000;
        m_live->host(u"h1"_s)->generateTraffic(spec);
        QTRY_VERIFY_WITH_TIMEOUT(m_live->fleet()->host(u"h1"_s)->inflightCount > 0, 10000);

        BenchHostAccess access(gate(), leases());
        auto refused = access.acquire(bothHosts(), u"bench:s"_s, WhenBusy::Refuse);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, u"bench.busy"_s);
        QVERIFY2(refused.error().message.contains(u"h1: "_s) && refused.error().message.contains(u"request(s) now"_s),
                 qPrintable(refused.error().message));
        QVERIFY(holdersOn(u"h1"_s).isEmpty());

        auto asked = access.acquire(bothHosts(), u"bench:s"_s, WhenBusy::Ask);
        QVERIFY(!asked.ok());
        QCOMPARE(asked.error().code, u"bench.needs_confirmation"_s);

        auto forced = access.acquire(bothHosts(), u"bench:s"_s, WhenBusy::Force);
        QVERIFY2(forced.ok(), qPrintable(forced.ok() ? QString() : forced.error().message));
        QVERIFY(forced->at(0).forced);  // h1 was busy
        QVERIFY(!forced->at(1).forced); // h2 was quiet
        QCOMPARE(decisions(u"busy"_s, false), 1);
        QCOMPARE(decisions(u"granted"_s, true), 1);
        QCOMPARE(holdersOn(u"h1"_s), QStringList{u"bench:s"_s});
    }

    void aDownHostIsUnavailable()
    {
        BenchHostAccess access(gate(), leases());
        auto refused = access.acquire({{u"nowhere"_s, QString()}}, u"bench:s"_s, WhenBusy::Force);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, u"bench.unavailable"_s);
        QVERIFY2(refused.error().message.contains(u"no watched host 'nowhere'"_s), qPrintable(refused.error().message));
    }
};

QTEST_GUILESS_MAIN(TestBenchHostAccess)
#include "tst_benchhostaccess.moc"
