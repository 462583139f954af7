// What the cockpit's polling costs a host's access log: one activity query per coalescing
// window however many requests finished in it, and `/running` only when a model's state changed.
// Counted on a simulated host, which records every request it receives.

#include "core/fleet/fleetstate.h"
#include "core/sim/simhost.h"
#include "core/sim/simtrafficspec.h"
#include "tests/common/ingestharness.h"
#include "tests/common/testdatabases.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;
using boo::test::IngestHarness;
using boo::test::TestDatabase;

namespace {

int received(const SimHost *host, QByteArrayView pathPrefix)
{
    int n = 0;
    for (const SimReceivedRequest &r : host->receivedRequests())
        n += r.target.startsWith(pathPrefix);
    return n;
}

} // namespace

class TestQuietPolling : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pollsLessThanRequestsFinish()
    {
        auto db = TestDatabase::create(SqlDialect::Sqlite);
        auto config = SimHostConfig::fromSpec(u"name=q,models=alpha:beta,load-ms=50,perf-ms=1000"_s);
        QVERIFY(config.ok());
        ConnectorTimings timings = IngestHarness::fastTimings();
        timings.activityCoalesceMs = ConnectorTimings().activityCoalesceMs; // the real default
        IngestHarness h(db->url(), {*config}, timings);
        QVERIFY(h.start().ok());
        SimHost *host = h.host(u"q"_s);
        QTRY_VERIFY_WITH_TIMEOUT(h.fleet()->host(u"q"_s)->liveness == Liveness::Connected, 10000);

        // Load alpha, and let the connect-time checks and the load settle.
        SimTrafficSpec warm;
        warm.model = u"alpha"_s;
        warm.timing = SimTrafficSpec::Timing::Instant;
        host->generateTraffic(warm);
        QTRY_COMPARE_WITH_TIMEOUT(h.fleet()->host(u"q"_s)->requestsSeen, 1, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(h.fleet()->host(u"q"_s)->model(u"alpha"_s)->state == ModelState::Ready, 10000);
        QTest::qWait(2 * timings.lossAuditQuietMs + 500);
        host->clearReceivedRequests();

        // 40 requests over 4 s for the model that is ready: no state changes.
        SimTrafficSpec spec;
        spec.count = 40;
        spec.rate = 10;
        spec.model = u"alpha"_s;
        spec.timing = SimTrafficSpec::Timing::Instant;
        host->generateTraffic(spec);
        QTRY_COMPARE_WITH_TIMEOUT(h.fleet()->host(u"q"_s)->requestsSeen, 41, 15000);
        QTest::qWait(2 * timings.lossAuditQuietMs + 500); // the quiet-time check after the burst

        const int activity = received(host, "/api/metrics/activity");
        const int running = received(host, "/running");
        qInfo() << "40 requests finished:" << activity << "activity queries," << running << "/running";
        // About one per second of traffic and the checks after quiet spells, not one per request.
        QVERIFY2(activity <= 12, qPrintable(u"%1 activity queries"_s.arg(activity)));
        QVERIFY(activity >= 2);
        QCOMPARE(running, 0); // no model changed state

        // A model that loads: its TTL is read from /running, and the quiet check compares states.
        host->clearReceivedRequests();
        SimTrafficSpec load;
        load.model = u"beta"_s;
        load.timing = SimTrafficSpec::Timing::Instant;
        host->generateTraffic(load);
        QTRY_VERIFY_WITH_TIMEOUT(h.fleet()->host(u"q"_s)->model(u"beta"_s)->state == ModelState::Ready, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(received(host, "/running") >= 1, 5000);
    }
};

QTEST_GUILESS_MAIN(TestQuietPolling)
#include "tst_quietpolling.moc"
