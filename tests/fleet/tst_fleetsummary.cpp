#include "core/fleet/fleetstate.h"
#include "core/fleet/fleetsummary.h"

#include <QJsonArray>
#include <QTest>

#include <numeric>

using namespace Qt::StringLiterals;
using namespace boo;

namespace {

constexpr qint64 kNow = 1'790'000'040'000;

HostState host(const QString &id, Liveness liveness)
{
    HostState h;
    h.id = id;
    h.liveness = liveness;
    return h;
}

HostedModel model(const QString &id, ModelState state)
{
    HostedModel m;
    m.id = id;
    m.state = state;
    return m;
}

GpuSample gpu(int id, qint64 usedMb, qint64 totalMb, qint64 tempC)
{
    GpuSample g;
    g.id = id;
    g.memUsedMb = usedMb;
    g.memTotalMb = totalMb;
    g.tempC = tempC;
    return g;
}

} // namespace

class TestFleetSummary : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void emptyFleet()
    {
        const FleetSummary s = FleetSummary::of(QList<HostState>{}, kNow);
        QCOMPARE(s.hosts, 0);
        QCOMPARE(s.vramPercent(), 0.0);
        QCOMPARE(s.requestsPerMinute.size(), HostState::kRateMinutes);
        QCOMPARE(s.toJson().value(u"hosts"_s).toObject().value(u"total"_s).toInt(), 0);
    }

    void totalsAcrossTheFleet()
    {
        HostState a = host(u"a"_s, Liveness::Connected);
        a.models = {model(u"m1"_s, ModelState::Ready), model(u"m2"_s, ModelState::Starting), model(u"m3"_s, ModelState::Stopped)};
        a.gpus = {gpu(0, 20'000, 24'000, 70), gpu(1, 23'500, 24'000, 60)}; // GPU 1 at 97.9 % VRAM
        a.inflightCount = 2;
        a.recentRate.count(kNow - 10'000, 100, 600);
        a.recentRate.count(kNow - 70'000, 100, 600); // outside the 60 s
        HostState b = host(u"b"_s, Liveness::Connected);
        b.gapSuspected = true;
        b.models = {model(u"m1"_s, ModelState::Ready)};
        b.gpus = {gpu(0, 8'000, 16'000, 90)}; // 90 °C
        b.recentRate.count(kNow - 1'000, 50, 1200);
        b.inflightCount = 1;
        HostState c = host(u"c"_s, Liveness::Down);
        c.models = {model(u"old"_s, ModelState::Ready)}; // last known; not the fleet's now
        c.gpus = {gpu(0, 80'000, 80'000, 95)};
        c.recentRate.count(kNow - 30'000, 10, 600);
        HostState d = host(u"d"_s, Liveness::Reconnecting);
        HostState e = host(u"e"_s, Liveness::Connected);
        e.gpus = {gpu(0, 64'000, 64'000, 0)}; // unified memory: no temperature, VRAM full

        const FleetSummary s = FleetSummary::of({a, b, c, d, e}, kNow);
        QCOMPARE(s.hosts, 5);
        QCOMPARE(s.hostsUp, 3);
        QCOMPARE(s.hostsDown, 1);
        QCOMPARE(s.hostsReconnecting, 1);
        QCOMPARE(s.hostsNeedingAttention, 3); // b (gap), c, d
        QCOMPARE(s.gapsSuspected, 1);
        // c down; a's GPU 1 VRAM; b's temperature; e's VRAM (100 %, no temperature to judge).
        QCOMPARE(s.alerts, 4);
        QCOMPARE(s.gpus, 4);
        QCOMPARE(s.vramUsedMb, 20'000 + 23'500 + 8'000 + 64'000);
        QCOMPARE(s.vramTotalMb, 24'000 + 24'000 + 16'000 + 64'000);
        QCOMPARE(s.modelsLoaded, 3);
        QCOMPARE(s.inflight, 3);
        // The rate is every host's own reading, down ones included (they finished those requests).
        QCOMPARE(s.rate.requests, 3);
        QCOMPARE(s.rate.outputTokens, 2400);
        QCOMPARE(s.rate.outputTokensPerSecond(), 40.0);
        QCOMPARE(s.rate, a.rateAt(kNow) += b.rateAt(kNow) += c.rateAt(kNow));

        // Thresholds are the operator's: higher ones leave only the host down and e's full VRAM.
        const FleetSummary relaxed = FleetSummary::of({a, b, c, d, e}, kNow, FleetSummary::Thresholds{99, 95});
        QCOMPARE(relaxed.alerts, 2);

        const QJsonObject json = s.toJson();
        QCOMPARE(json.value(u"hosts"_s).toObject().value(u"needing_attention"_s).toInt(), 3);
        QCOMPARE(json.value(u"vram_used_mb"_s).toInteger(), s.vramUsedMb);
        QCOMPARE(json.value(u"requests_last_minute"_s).toInt(), 3);
        QCOMPARE(json.value(u"requests_per_second"_s).toDouble(), 0.05);
        QCOMPARE(json.value(u"alerts"_s).toInt(), 4);
        QCOMPARE(json.value(u"requests_per_minute"_s).toArray().size(), HostState::kRateMinutes);
    }

    void perMinuteHistoryIsTheSumOfTheHosts()
    {
        FleetState fleet;
        fleet.addHost(u"a"_s, u"A"_s, u"http://a"_s);
        fleet.addHost(u"b"_s, u"B"_s, u"http://b"_s);
        ActivityEntry e;
        e.model = u"m"_s;
        for (int i = 0; i < 4; ++i) {
            e.id = i + 1;
            e.timestampMs = kNow - i * 60'000;
            fleet.addActivity(i % 2 ? u"a"_s : u"b"_s, {e});
        }
        const FleetSummary s = FleetSummary::of(fleet, kNow);
        QList<int> expected(HostState::kRateMinutes, 0);
        for (const QString &id : {u"a"_s, u"b"_s}) {
            const QList<int> host = fleet.host(id)->requestRateAt(kNow);
            for (int i = 0; i < expected.size(); ++i)
                expected[i] += host.at(i);
        }
        QCOMPARE(s.requestsPerMinute, expected);
        QCOMPARE(std::accumulate(s.requestsPerMinute.cbegin(), s.requestsPerMinute.cend(), 0), 4);
        QCOMPARE(s.rate.requests, 1); // only the one of the last 60 s
    }
};

QTEST_GUILESS_MAIN(TestFleetSummary)
#include "tst_fleetsummary.moc"
