// Live state stays true after lost events. A host stalls while a burst runs: its event queue
// (1,024 messages per listener, as in llama-swap) overflows and the rest of the burst's events
// are dropped, silently — in-flight removes, activity announcements, the modelStatus of a swap.
// Within seconds FleetState's in-flight requests and model states must agree with the host
// again, whether traffic goes on (the ids that arrive give the loss away) or the host falls
// quiet (the connector asks the host what the stream should have said); no activity row may be
// missing from history; and a host that keeps losing events is not reconnected in a tight loop.

#include "core/fleet/fleetstate.h"
#include "core/ingest/fleetingest.h"
#include "core/server/controlserver.h"
#include "core/sim/simhost.h"
#include "core/sim/siminflighttracker.h"
#include "core/sim/simstreamgroup.h"
#include "core/sim/simtrafficgenerator.h"
#include "core/sim/simtrafficspec.h"
#include "tests/common/ingestharness.h"
#include "tests/common/testdatabases.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;
using boo::test::IngestHarness;
using boo::test::TestDatabase;

namespace {

constexpr int kAgreeWithinMs = 4000; // "within seconds of any loss"

ConnectorTimings timings()
{
    ConnectorTimings t = IngestHarness::fastTimings();
    t.idleProbeMs = 60000; // the silent-stream watchdog would reconnect on its own: keep it out
    // Longer than a stall of these tests lasts: the connector may reach the stalled host over a
    // kept-alive connection and would find the loss while the events still wait in the host's
    // queue. Here it has to find it after the stall, in what the stream delivers or leaves out.
    t.lossAuditQuietMs = 1500;
    t.resync = {1000, 4000};
    return t;
}

SimHostConfig hostConfig()
{
    auto config = SimHostConfig::fromSpec(u"name=h,models=alpha:beta,load-ms=80,tps=25,perf-ms=300"_s);
    if (!config)
        qFatal("%s", qPrintable(config.error().message));
    // Rows are not what these tests lose: a ring that outlasts every reconnect keeps gaps out.
    config->metricsMaxInMemory = 100000;
    return *config;
}

void traffic(SimHost *host, const QString &model, int count, SimTrafficSpec::Timing timing, int maxTokens = 0)
{
    SimTrafficSpec spec;
    spec.model = model;
    spec.count = count;
    spec.timing = timing;
    spec.maxTokens = maxTokens;
    host->generateTraffic(spec);
}

// What the host says, in FleetState's terms: "alpha=ready,beta=stopped".
QString simModels(SimHost *host)
{
    const QJsonObject models = host->stateJson().value(u"models"_s).toObject();
    QStringList parts;
    for (auto it = models.begin(); it != models.end(); ++it)
        parts << it.key() + u'=' + it.value().toString();
    parts.sort();
    return parts.join(u',');
}

QString fleetModels(FleetState *fleet)
{
    QStringList parts;
    const HostState host = *fleet->host(u"h"_s);
    for (const HostedModel &m : host.models)
        parts << m.id + u'=' + enumNameString(kModelStateNames, m.state);
    parts.sort();
    return parts.join(u',');
}

QString agreement(IngestHarness &h)
{
    SimHost *host = h.host(u"h"_s);
    const HostState state = *h.fleet()->host(u"h"_s);
    return u"in flight: host %1, FleetState %2 (%3 listed); models: host %4, FleetState %5"_s.arg(host->inflight()->count())
        .arg(state.inflightCount)
        .arg(state.inflight.size())
        .arg(simModels(host), fleetModels(h.fleet()));
}

bool agrees(IngestHarness &h)
{
    SimHost *host = h.host(u"h"_s);
    const HostState state = *h.fleet()->host(u"h"_s);
    return state.inflightCount == host->inflight()->count() && state.inflight.size() == host->inflight()->count()
        && simModels(host) == fleetModels(h.fleet());
}

} // namespace

class TestIngestResync : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<IngestHarness> m_h;

    HostConnector *connector() const { return m_h->ingest()->connector(u"h"_s); }

    // alpha loaded and idle, everything stored, nothing lost yet.
    void startWarm()
    {
        m_db = TestDatabase::create(SqlDialect::Sqlite);
        QVERIFY(m_db);
        m_h = std::make_unique<IngestHarness>(m_db->url(), QList<SimHostConfig>{hostConfig()}, timings());
        const auto started = m_h->start();
        QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().message));
        traffic(m_h->host(u"h"_s), u"alpha"_s, 5, SimTrafficSpec::Timing::Instant);
        QString why;
        QTRY_VERIFY2_WITH_TIMEOUT(m_h->settled(&why), qPrintable(why), 15000);
        QTRY_VERIFY2_WITH_TIMEOUT(agrees(*m_h), qPrintable(agreement(*m_h)), 5000);
        // The quiet-time check after this traffic has run, finding nothing: none runs during the
        // stall that follows (nothing arrives then), so a loss is found after it.
        QTest::qWait(timings().lossAuditQuietMs + 1000);
        QCOMPARE(connector()->counters().eventLosses, 0);
        QCOMPARE(connector()->counters().resyncs, 0);
    }

    // A stall during which requests on alpha, a burst on it and a swap to beta run to the end:
    // far more than 1,024 messages, so the host drops the rest of them (the removes of the first
    // requests and the swap's modelStatus among them). `realtimeAfter` requests for beta then
    // start, still within the stall (their announcements are dropped too), and run for seconds.
    void stallThroughBurstAndSwap(int realtimeAfter)
    {
        SimHost *host = m_h->host(u"h"_s);
        const qint64 droppedBefore = host->eventStreams()->droppedWrites();
        host->setStalled(true);
        // Requests that run for a second: announced at the head of the queue, their removes lost.
        traffic(host, u"alpha"_s, 6, SimTrafficSpec::Timing::RealTime, 25);
        QTRY_COMPARE_WITH_TIMEOUT(host->inflight()->count(), 6, 5000);
        traffic(host, u"alpha"_s, 400, SimTrafficSpec::Timing::Instant);
        traffic(host, u"beta"_s, 3, SimTrafficSpec::Timing::Instant);
        QTRY_VERIFY_WITH_TIMEOUT(
            host->inflight()->count() == 0 && host->traffic()->pending() == 0 && simModels(host) == u"alpha=stopped,beta=ready"_s, 15000);
        const qint64 dropped = host->eventStreams()->droppedWrites() - droppedBefore;
        QVERIFY2(dropped > 100, qPrintable(u"only %1 messages dropped"_s.arg(dropped)));
        if (realtimeAfter > 0) {
            traffic(host, u"beta"_s, realtimeAfter, SimTrafficSpec::Timing::RealTime, 150); // 6 s at 25 tokens/s
            QTRY_COMPARE_WITH_TIMEOUT(host->inflight()->count(), realtimeAfter, 5000);
        }
        QTest::qWait(100);
        host->setStalled(false);
    }

    void verifyHistoryComplete()
    {
        QString why;
        QTRY_VERIFY2_WITH_TIMEOUT(m_h->settled(&why), qPrintable(why), 20000);
        for (const IngestHarness::HostReport &r : m_h->report()) {
            const QString context = u"produced %1, stored %2, lost %3, unknown %4, gap %5"_s.arg(r.produced)
                                        .arg(r.stored)
                                        .arg(r.lost)
                                        .arg(r.unknown)
                                        .arg(r.gapSuspected);
            QVERIFY2(r.lost == 0 && r.unknown == 0 && r.heldNotStored == 0 && !r.gapSuspected, qPrintable(context));
        }
        QVERIFY(m_db->count(u"control_host_events"_s, u"kind = 'resync' AND provider_id = 'h'"_s) >= 1);

        // Counted where the other ingest counters are.
        QNetworkAccessManager nam;
        QNetworkReply *reply = nam.get(QNetworkRequest(QUrl(u"http://127.0.0.1:%1/metrics"_s.arg(m_h->server()->port()))));
        QSignalSpy finished(reply, &QNetworkReply::finished);
        QVERIFY(finished.wait(5000));
        const QByteArray metrics = reply->readAll();
        reply->deleteLater();
        const QByteArray resyncs = "boo_ingest_resyncs_total{host=\"h\"} " + QByteArray::number(connector()->counters().resyncs) + '\n';
        QVERIFY2(metrics.contains(resyncs), metrics.constData());
        QVERIFY(metrics.contains("boo_ingest_event_losses_total{host=\"h\"} "));
    }

private Q_SLOTS:
    void cleanup()
    {
        if (m_h)
            m_h->stop();
        m_h.reset();
        m_db.reset();
    }

    // Requests keep running after the stall: the first message of one whose announcement was
    // dropped carries an in-flight id beyond the last one seen.
    void lossSeenInTheIdsThatArrive()
    {
        startWarm();
        stallThroughBurstAndSwap(2);
        QTRY_VERIFY2_WITH_TIMEOUT(agrees(*m_h), qPrintable(agreement(*m_h)), kAgreeWithinMs);
        QCOMPARE(m_h->fleet()->host(u"h"_s)->inflightCount, 2); // the live requests, not the burst's leftovers
        QVERIFY(connector()->counters().resyncs >= 1);
        QVERIFY(connector()->counters().eventLosses >= 1);
        QTRY_VERIFY2_WITH_TIMEOUT(m_h->host(u"h"_s)->inflight()->count() == 0 && agrees(*m_h), qPrintable(agreement(*m_h)), 15000);
        verifyHistoryComplete();
    }

    // The host falls quiet after the stall: no later message gives the loss away, so the
    // connector checks what the quiet stream should have said.
    void lossAtTheEndOfABurstFoundWhenQuiet()
    {
        startWarm();
        stallThroughBurstAndSwap(0);
        QTRY_VERIFY2_WITH_TIMEOUT(agrees(*m_h), qPrintable(agreement(*m_h)), kAgreeWithinMs);
        QCOMPARE(m_h->fleet()->host(u"h"_s)->inflightCount, 0);
        QCOMPARE(connector()->counters().resyncs, 1);
        verifyHistoryComplete();
        // Once in step, a quiet host is left alone.
        QTest::qWait(1500);
        QCOMPARE(connector()->counters().resyncs, 1);
    }

    // A host that loses events again and again is resynchronised at a bounded rate (1 s, then
    // 2 s, then 4 s apart here), and still ends up in step.
    void constantLossIsRateLimited()
    {
        startWarm();
        SimHost *host = m_h->host(u"h"_s);
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < 5000) {
            host->setStalled(true);
            traffic(host, u"alpha"_s, 300, SimTrafficSpec::Timing::Instant);
            QTRY_VERIFY_WITH_TIMEOUT(host->traffic()->pending() == 0 && host->inflight()->count() == 0, 10000);
            host->setStalled(false);
            QTest::qWait(400);
        }
        const qint64 resyncs = connector()->counters().resyncs;
        const qint64 losses = connector()->counters().eventLosses;
        // At most at 0, 1, 3, 7, 11, ... s: never once per loss.
        const qint64 elapsed = clock.elapsed();
        const qint64 bound = 3 + (std::max<qint64>(0, elapsed - 3000) + 3999) / 4000;
        const QString counts = u"%1 resyncs for %2 losses in %3 ms"_s.arg(resyncs).arg(losses).arg(elapsed);
        QVERIFY2(resyncs >= 2 && resyncs <= bound, qPrintable(counts));
        // Losses found while a resync waited were folded into it (without the limiter, one each).
        QVERIFY2(losses > resyncs, qPrintable(counts));
        QTRY_VERIFY2_WITH_TIMEOUT(agrees(*m_h), qPrintable(agreement(*m_h)), 10000);
        verifyHistoryComplete();
    }
};

QTEST_GUILESS_MAIN(TestIngestResync)
#include "tst_ingestresync.moc"
