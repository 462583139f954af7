#include "core/alerts/alertmonitor.h"
#include "core/alerts/windowcounter.h"
#include "core/fleet/fleetstate.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

namespace {

constexpr qint64 kT0 = 1'790'000'000'000;

GpuSample gpu(int id, qint64 usedMb, qint64 tempC, qint64 ts)
{
    GpuSample s;
    s.id = id;
    s.timestampMs = ts;
    s.memUsedMb = usedMb;
    s.memTotalMb = 1000;
    s.tempC = tempC;
    return s;
}

ActivityEntry row(qint64 id, int status, qint64 ts)
{
    ActivityEntry e;
    e.id = id;
    e.timestampMs = ts;
    e.model = u"qwen"_s;
    e.respStatusCode = status;
    return e;
}

// `count` rows, of which every `failEvery`-th answered `failStatus`.
QList<ActivityEntry> rows(int count, int failEvery, int failStatus, qint64 ts, qint64 firstId = 1)
{
    QList<ActivityEntry> out;
    for (int i = 0; i < count; ++i)
        out << row(firstId + i, failEvery > 0 && i % failEvery == 0 ? failStatus : 200, ts);
    return out;
}

GatewayDispatchRow dispatch(const QString &policy, int attempts, int status, qint64 ts)
{
    GatewayDispatchRow r;
    r.dispatchId = u"d"_s + QString::number(ts);
    r.ts = ts;
    r.policy = policy;
    r.attempts = attempts;
    r.status = status;
    r.chosenProvider = u"h1"_s;
    return r;
}

QList<Alert::Kind> kinds(const QSignalSpy &spy)
{
    QList<Alert::Kind> out;
    for (const QList<QVariant> &args : spy)
        out << args.at(0).value<Alert>().kind;
    return out;
}

} // namespace

class TestAlertMonitor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void hostDownAndBack()
    {
        FleetState fleet;
        fleet.addHost(u"h1"_s, u"GPU box"_s, u"http://h1"_s);
        AlertMonitor monitor(&fleet);
        QSignalSpy alerts(&monitor, &AlertMonitor::alert);
        fleet.setLiveness(u"h1"_s, Liveness::Connected, kT0);        // first connection: not news
        fleet.setLiveness(u"h1"_s, Liveness::Reconnecting, kT0 + 1); // a blip: not news either
        fleet.setLiveness(u"h1"_s, Liveness::Down, kT0 + 2, u"refused"_s);
        fleet.setLiveness(u"h1"_s, Liveness::Reconnecting, kT0 + 3);
        fleet.setLiveness(u"h1"_s, Liveness::Connected, kT0 + 4); // from reconnecting: not "back"
        fleet.setLiveness(u"h1"_s, Liveness::Down, kT0 + 5);
        fleet.setLiveness(u"h1"_s, Liveness::Connected, kT0 + 6);
        QCOMPARE(kinds(alerts), (QList<Alert::Kind>{Alert::Kind::HostDown, Alert::Kind::HostDown, Alert::Kind::HostBack}));
        const Alert back = alerts.constLast().at(0).value<Alert>();
        QCOMPARE(back.hostId, u"h1"_s);
        QCOMPARE(back.describe(), u"GPU box is back"_s);
    }

    void thresholdsWithHysteresis()
    {
        FleetState fleet;
        fleet.addHost(u"h1"_s, u"h1"_s, u"http://h1"_s);
        AlertMonitor monitor(&fleet);
        monitor.setThresholds(AlertThresholds{90, 80, 5});
        QSignalSpy alerts(&monitor, &AlertMonitor::alert);
        fleet.addGpuSamples(u"h1"_s, {gpu(0, 500, 60, kT0), gpu(1, 950, 60, kT0)}); // GPU 1 VRAM 95 %
        fleet.addGpuSamples(u"h1"_s, {gpu(1, 960, 81, kT0 + 1)});                   // still high; now hot too
        fleet.addGpuSamples(u"h1"_s, {gpu(1, 870, 77, kT0 + 2)});                   // 87 %, 77 °C: inside the hysteresis band
        fleet.addGpuSamples(u"h1"_s, {gpu(1, 920, 79, kT0 + 3)});                   // so no new VRAM alert
        fleet.addGpuSamples(u"h1"_s, {gpu(1, 800, 70, kT0 + 4)});                   // re-armed
        fleet.addGpuSamples(u"h1"_s, {gpu(1, 990, 85, kT0 + 5)});
        QCOMPARE(
            kinds(alerts),
            (QList<Alert::Kind>{Alert::Kind::VramHigh, Alert::Kind::TemperatureHigh, Alert::Kind::VramHigh, Alert::Kind::TemperatureHigh}));
        const Alert first = alerts.at(0).at(0).value<Alert>();
        QCOMPARE(first.gpu, 1);
        QCOMPARE(first.value, 95.0);
        QCOMPARE(first.describe(), u"h1: GPU 1 VRAM at 95% (threshold 90%)"_s);
    }

    void gapSuspectedOnceUntilAcknowledged()
    {
        FleetState fleet;
        fleet.addHost(u"h1"_s, u"GPU box"_s, u"http://h1"_s);
        AlertMonitor monitor(&fleet);
        QSignalSpy alerts(&monitor, &AlertMonitor::alert);
        fleet.setGapSuspected(u"h1"_s, true, kT0);
        fleet.setLiveness(u"h1"_s, Liveness::Connected, kT0 + 1); // still suspected: no second alert
        QVERIFY(fleet.acknowledgeGap(u"h1"_s, kT0 + 2));
        fleet.setGapSuspected(u"h1"_s, true, kT0 + 3);
        QCOMPARE(kinds(alerts), (QList<Alert::Kind>{Alert::Kind::GapSuspected, Alert::Kind::GapSuspected}));
        const Alert gap = alerts.at(0).at(0).value<Alert>();
        QCOMPARE(gap.dedupKey(), u"gap_suspected/h1"_s);
        QCOMPARE(gap.severity(), AlertSeverity::Warning);
        QCOMPARE(gap.describe(), u"GPU box may have missed activity rows (gap suspected)"_s);
    }

    void hostErrorRateOverWindow()
    {
        FleetState fleet;
        fleet.addHost(u"h1"_s, u"GPU box"_s, u"http://h1"_s);
        fleet.addHost(u"h2"_s, u"h2"_s, u"http://h2"_s);
        AlertMonitor monitor(&fleet);
        qint64 now = kT0;
        monitor.setClock([&now] { return now; });
        AlertThresholds t;
        t.errorRateWindowMs = 60'000;
        t.errorRateMinRequests = 10;
        t.errorRatePercent = 25;
        monitor.setThresholds(t);
        QSignalSpy alerts(&monitor, &AlertMonitor::alert);

        // 2 of 6 failed: too few requests to judge.
        fleet.addActivity(u"h1"_s, rows(6, 3, 500, now));
        QCOMPARE(alerts.count(), 0);
        // h2's failures are not h1's.
        fleet.addActivity(u"h2"_s, rows(4, 1, 502, now));
        QCOMPARE(alerts.count(), 0);
        // One client abort (499) among 4 more: 3 of 10 = 30 %.
        now += 1000;
        fleet.addActivity(u"h1"_s, rows(4, 4, 499, now, 100));
        QCOMPARE(kinds(alerts), QList<Alert::Kind>{Alert::Kind::ErrorRate});
        const Alert a = alerts.at(0).at(0).value<Alert>();
        QCOMPARE(a.hostId, u"h1"_s);
        QCOMPARE(a.hostName, u"GPU box"_s);
        QCOMPARE(a.value, 30.0);
        QCOMPARE(a.threshold, 25.0);
        QCOMPARE(a.dedupKey(), u"error_rate/h1"_s);
        QCOMPARE(a.severity(), AlertSeverity::Critical);
        QCOMPARE(a.describe(), u"GPU box: 30% of requests failed (threshold 25%): 3 of 10 requests in the last 1 min"_s);

        // Still failing: no repeat while it fires.
        fleet.addActivity(u"h1"_s, rows(10, 1, 503, now, 300));
        QCOMPARE(alerts.count(), 1);
        // Rows replayed from before the window (a reconnect's activity sync) count for nothing.
        now += 120'000;
        fleet.addActivity(u"h1"_s, rows(50, 1, 500, now - 90'000, 400));
        QCOMPARE(alerts.count(), 1);
        // The old window has slid out: healthy traffic re-arms the rule, new failures fire again.
        fleet.addActivity(u"h1"_s, rows(20, 0, 0, now, 500));
        QCOMPARE(alerts.count(), 1);
        now += 1000;
        fleet.addActivity(u"h1"_s, rows(20, 1, 500, now, 600));
        QCOMPARE(kinds(alerts), (QList<Alert::Kind>{Alert::Kind::ErrorRate, Alert::Kind::ErrorRate}));
        QCOMPARE(qRound(alerts.at(1).at(0).value<Alert>().value), 50);
    }

    void policyErrorRateAndFailoverStorm()
    {
        FleetState fleet;
        fleet.addHost(u"h1"_s, u"h1"_s, u"http://h1"_s);
        AlertMonitor monitor(&fleet);
        qint64 now = kT0;
        monitor.setClock([&now] { return now; });
        AlertThresholds t;
        t.errorRateWindowMs = 60'000;
        t.errorRateMinRequests = 4;
        t.errorRatePercent = 50;
        t.failoverWindowMs = 30'000;
        t.failoverCount = 3;
        monitor.setThresholds(t);
        QSignalSpy alerts(&monitor, &AlertMonitor::alert);

        // Direct ids (no policy) never make a policy rate; failed-over dispatches that succeeded
        // are no errors, but three of them are a storm.
        fleet.announce(QString(), DispatchFinished{dispatch(QString(), 1, 502, now)});
        fleet.announce(QString(), DispatchFinished{dispatch(u"auto"_s, 2, 200, now)});
        fleet.announce(QString(), DispatchFinished{dispatch(u"auto"_s, 3, 200, now)});
        QCOMPARE(alerts.count(), 0);
        fleet.announce(QString(), DispatchFinished{dispatch(u"auto:code"_s, 2, 200, now)});
        QCOMPARE(kinds(alerts), QList<Alert::Kind>{Alert::Kind::FailoverStorm});
        const Alert storm = alerts.at(0).at(0).value<Alert>();
        QCOMPARE(storm.value, 3.0);
        QCOMPARE(storm.dedupKey(), u"failover_storm"_s);
        QCOMPARE(storm.describe(),
                 u"the gateway failed over 3 times (threshold 3): 3 of 4 dispatches in the last 30 s needed another host"_s);

        // auto: 2 of 4 failed (one the client gave up on) = 50 %.
        fleet.announce(QString(), DispatchFinished{dispatch(u"auto"_s, 1, 503, now)});
        fleet.announce(QString(), DispatchFinished{dispatch(u"auto"_s, 1, 499, now)});
        QCOMPARE(kinds(alerts), (QList<Alert::Kind>{Alert::Kind::FailoverStorm, Alert::Kind::ErrorRate}));
        const Alert rate = alerts.at(1).at(0).value<Alert>();
        QVERIFY(rate.hostId.isEmpty());
        QCOMPARE(rate.subject, u"policy:auto"_s);
        QCOMPARE(rate.dedupKey(), u"error_rate/policy:auto"_s);
        QCOMPARE(rate.value, 50.0);

        // The storm is over once the window slid past it; a new one alerts again.
        now += 40'000;
        fleet.announce(QString(), DispatchFinished{dispatch(u"auto"_s, 1, 200, now)});
        for (int i = 0; i < 3; ++i)
            fleet.announce(QString(), DispatchFinished{dispatch(u"auto"_s, 2, 200, now)});
        QCOMPARE(kinds(alerts), (QList<Alert::Kind>{Alert::Kind::FailoverStorm, Alert::Kind::ErrorRate, Alert::Kind::FailoverStorm}));
    }

    void raisedAlertsLeaveThroughTheSameSignal()
    {
        FleetState fleet;
        AlertMonitor monitor(&fleet);
        monitor.setClock([] { return kT0; });
        QSignalSpy alerts(&monitor, &AlertMonitor::alert);
        Alert limited;
        limited.kind = Alert::Kind::KeyLimited;
        limited.subject = u"notes-app"_s;
        limited.detail = u"120 requests per minute"_s;
        monitor.raise(limited);
        QCOMPARE(alerts.count(), 1);
        const Alert a = alerts.at(0).at(0).value<Alert>();
        QCOMPARE(a.atMs, kT0);
        QCOMPARE(a.dedupKey(), u"key_limited/notes-app"_s);
        QCOMPARE(a.describe(), u"notes-app: 120 requests per minute"_s);
        QCOMPARE(a.toJson().value(u"kind"_s).toString(), u"key_limited"_s);
        QCOMPARE(a.toJson().value(u"severity"_s).toString(), u"info"_s);
        limited.severityOverride = AlertSeverity::Critical;
        QCOMPARE(limited.toJson().value(u"severity"_s).toString(), u"critical"_s);
    }

    void windowCounterSlidesByBuckets()
    {
        WindowCounter w(30'000); // 30 buckets of a second
        w.advance(kT0);
        w.add(kT0, true);
        w.add(kT0 + 500, false, 3);
        w.add(kT0 + 60'000, true); // ahead of the newest: counted as now
        w.add(kT0 - 31'000, true); // older than the window: a replay, not counted
        QCOMPARE(w.total(), 5);
        QCOMPARE(w.hits(), 2);
        w.advance(kT0 + 10'000);
        w.add(kT0 + 10'000, true);
        QCOMPARE(w.total(), 6);
        w.advance(kT0 + 30'000); // the first second's bucket slid out
        QCOMPARE(w.total(), 1);
        QCOMPARE(w.hits(), 1);
        w.advance(kT0 + 10'000 + 30'000);
        QVERIFY(w.isEmpty());
    }

    void everyKindHasANameAndATitle()
    {
        for (const auto &row : kAlertKindNames) {
            Alert a;
            a.kind = row.value;
            QVERIFY(!a.title().isEmpty());
            QCOMPARE(enumFromName(kAlertKindNames, row.name), std::optional<Alert::Kind>(row.value));
        }
        QCOMPARE(int(std::size(kAlertKindNames)), int(Alert::Kind::Test) + 1);
    }

    void snapshotIsTheStartingPoint()
    {
        FleetState fleet;
        AlertMonitor monitor(&fleet);
        QSignalSpy alerts(&monitor, &AlertMonitor::alert);
        FleetState::Snapshot snapshot;
        FleetState::HostSnapshot host;
        host.state.id = u"h1"_s;
        host.state.liveness = Liveness::Down;
        host.state.seq = 5;
        snapshot.hosts << host;
        fleet.loadSnapshot(snapshot);
        HostState connected = host.state;
        connected.seq = 6;
        connected.liveness = Liveness::Connected;
        QVERIFY(fleet.apply(FleetDelta{u"h1"_s, 6, HostChanged{connected}}));
        QCOMPARE(kinds(alerts), QList<Alert::Kind>{Alert::Kind::HostBack});
    }
};

QTEST_GUILESS_MAIN(TestAlertMonitor)
#include "tst_alertmonitor.moc"
