#include "core/alerts/alertmonitor.h"
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
