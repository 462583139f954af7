#include "core/fleet/fleetstate.h"
#include "tests/common/fleetdeltas.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

#include <numeric>

using namespace Qt::StringLiterals;
using namespace boo;

namespace {

constexpr qint64 kT0 = 1'790'000'000'000;

ModelStatus status(const QString &id, ModelState state)
{
    ModelStatus s;
    s.id = id;
    s.name = id.toUpper();
    s.state = state;
    s.stateText = modelStateName(state);
    return s;
}

InFlightRequest request(const QString &id, const QString &model)
{
    InFlightRequest r;
    r.id = id;
    r.model = model;
    r.timestampMs = kT0;
    r.method = u"POST"_s;
    r.reqPath = u"/v1/chat/completions"_s;
    return r;
}

ActivityEntry activity(qint64 id, const QString &model, qint64 ts)
{
    ActivityEntry e;
    e.id = id;
    e.model = model;
    e.timestampMs = ts;
    e.reqPath = u"/v1/chat/completions"_s;
    e.respStatusCode = 200;
    e.inputTokens = 100;
    e.outputTokens = 10;
    e.promptPerSecond = 2000;
    e.tokensPerSecond = 80.5;
    return e;
}

InFlightUpdate upsert(const InFlightRequest &r)
{
    InFlightUpdate u;
    u.operation = InFlightUpdate::Operation::Upsert;
    u.request = r;
    return u;
}

} // namespace

class TestFleetState : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { qRegisterMetaType<FleetDelta>(); }

    void everyChangeBumpsSeqAndPublishesADelta()
    {
        FleetState state;
        QSignalSpy changed(&state, &FleetState::changed);
        state.addHost(u"h1"_s, u"Host 1"_s, u"http://h1:8080"_s);
        state.setLiveness(u"h1"_s, Liveness::Connected, kT0);
        state.setLiveness(u"h1"_s, Liveness::Connected, kT0 + 5); // no change, no delta
        state.setVersion(u"h1"_s, u"v250"_s, u"Paged236to250"_s);
        state.addActivity(u"h1"_s, {activity(1, u"m"_s, kT0)});
        state.appendLog(u"h1"_s, u"proxy"_s, {LogLine{u"[INFO] hi"_s, u"[INFO] hi"_s, false}});
        const QList<FleetDelta> changes = test::stateChangesIn(changed);
        QCOMPARE(changes.count(), 5);
        quint64 previous = 0;
        for (const FleetDelta &delta : changes) {
            QCOMPARE(delta.hostId, u"h1"_s);
            QVERIFY(delta.seq > previous);
            previous = delta.seq;
        }
        QCOMPARE(state.host(u"h1"_s)->seq, previous);
        QVERIFY(changes.at(3).is<RequestsFinished>());
        QCOMPARE(changes.at(4).wireType(), u"control_log"_s);
        // The liveness transition is also announced as a fact for history, without a seq of its own.
        const QList<FleetDelta> all = test::deltasIn(changed);
        QCOMPARE(all.size(), 6);
        QVERIFY(all.at(2).is<LivenessChanged>());
        QVERIFY(!all.at(2).isStateChange());
        QCOMPARE(all.at(2).wireType(), QString());
        QCOMPARE(all.at(2).seq, all.at(1).seq);
    }

    void livenessTransitionsAreAnnounced()
    {
        FleetState state;
        QSignalSpy changed(&state, &FleetState::changed);
        state.addHost(u"h1"_s, u"Host 1"_s, u"http://h1"_s);
        state.setLiveness(u"h1"_s, Liveness::Connected, kT0);
        state.setLiveness(u"h1"_s, Liveness::Reconnecting, kT0 + 1000, u"connection refused"_s);
        state.setLiveness(u"h1"_s, Liveness::Down, kT0 + 9000, u"connection refused"_s);
        const auto transitions = test::factsIn<LivenessChanged>(changed);
        QCOMPARE(transitions.count(), 3);
        QCOMPARE(transitions.at(2).from, Liveness::Reconnecting);
        QCOMPARE(transitions.at(2).to, Liveness::Down);
        QCOMPARE(transitions.at(2).atMs, kT0 + 9000);
        QCOMPARE(transitions.at(2).error, u"connection refused"_s);
        const HostState h = *state.host(u"h1"_s);
        QCOMPARE(h.lastSeenMs, std::optional<qint64>(kT0)); // last seen stays at the last contact
        QCOMPARE(h.lastError, u"connection refused"_s);
    }

    void anAcknowledgedGapIsClearedAndRecorded()
    {
        FleetState state;
        state.addHost(u"h1"_s, u"Host 1"_s, u"http://h1"_s);
        state.setGapSuspected(u"h1"_s, true, kT0);
        QSignalSpy changed(&state, &FleetState::changed);
        QVERIFY(state.acknowledgeGap(u"h1"_s, kT0 + 5000, u"the desktop"_s));
        const HostState h = *state.host(u"h1"_s);
        QVERIFY(!h.gapSuspected);
        QCOMPARE(h.gapSuspectedMs, std::optional<qint64>(kT0)); // when it was suspected stays known
        QCOMPARE(test::stateChangesIn(changed).count(), 1);     // attached cockpits see it go
        const auto incidents = test::factsIn<HostIncident>(changed);
        QCOMPARE(incidents.count(), 1); // the recorder stores it with the host's status
        QCOMPARE(incidents.first().kind, u"gap_acknowledged"_s);
        QCOMPARE(incidents.first().atMs, kT0 + 5000);
        QVERIFY(incidents.first().detail.contains(u"the desktop"_s));

        // Again, or on a host without a gap: nothing changes, and it is no error.
        changed.clear();
        QVERIFY(state.acknowledgeGap(u"h1"_s, kT0 + 6000));
        QCOMPARE(changed.count(), 0);
        QVERIFY(!state.acknowledgeGap(u"nope"_s, kT0 + 6000));
        // A new loss sets it again.
        state.setGapSuspected(u"h1"_s, true, kT0 + 9000);
        QVERIFY(state.host(u"h1"_s)->gapSuspected);
        QCOMPARE(state.host(u"h1"_s)->gapSuspectedMs, std::optional<qint64>(kT0 + 9000));
    }

    void lastSeenIsPublishedOnlyNowAndThen()
    {
        FleetState state;
        state.addHost(u"h1"_s, u"Host 1"_s, u"http://h1"_s);
        state.setLiveness(u"h1"_s, Liveness::Connected, kT0);
        QSignalSpy changed(&state, &FleetState::changed);
        for (int i = 1; i <= 100; ++i)
            state.markSeen(u"h1"_s, kT0 + i * 100);
        QCOMPARE(changed.count(), 0);
        QCOMPARE(state.host(u"h1"_s)->lastSeenMs, std::optional<qint64>(kT0 + 10'000));
        state.markSeen(u"h1"_s, kT0 + FleetState::kLastSeenPublishMs);
        QCOMPARE(changed.count(), 1);
    }

    void modelTransitionsSwapsLoadTimesAndTtl()
    {
        FleetState state;
        QSignalSpy changed(&state, &FleetState::changed);
        const auto transitions = [&changed] { return test::factsIn<ModelStateChanged>(changed); };
        state.addHost(u"h1"_s, u"Host 1"_s, u"http://h1"_s);
        state.applyModelStatus(u"h1"_s, {status(u"a"_s, ModelState::Ready), status(u"b"_s, ModelState::Stopped)}, kT0);
        QCOMPARE(transitions().count(), 1); // first sight of the loaded model only
        state.setModelTtls(u"h1"_s, {{u"a"_s, 300}});

        // A swap: a stops, b starts, b becomes ready 4.5 s later.
        state.applyModelStatus(u"h1"_s, {status(u"a"_s, ModelState::Stopping), status(u"b"_s, ModelState::Stopped)}, kT0 + 1000);
        state.applyModelStatus(u"h1"_s, {status(u"a"_s, ModelState::Stopped), status(u"b"_s, ModelState::Starting)}, kT0 + 1500);
        state.applyModelStatus(u"h1"_s, {status(u"a"_s, ModelState::Stopped), status(u"b"_s, ModelState::Ready)}, kT0 + 6000);
        QCOMPARE(transitions().count(), 5);
        QCOMPARE(transitions().at(3).model, u"b"_s);
        QCOMPARE(transitions().at(3).to, ModelState::Starting);

        const HostState h = *state.host(u"h1"_s);
        QVERIFY(h.lastSwap.has_value());
        QCOMPARE(h.lastSwap->from, QStringList{u"a"_s});
        QCOMPARE(h.lastSwap->to, u"b"_s);
        QCOMPARE(h.lastSwap->startedMs, kT0 + 1500);
        QCOMPARE(h.lastSwap->readyMs, std::optional<qint64>(kT0 + 6000));
        QCOMPARE(h.model(u"b"_s)->lastLoadMs, std::optional<qint64>(4500));
        QCOMPARE(h.model(u"a"_s)->ttlSeconds, std::optional<qint64>(300)); // kept across status updates

        // TTL countdown: from the later of ready and last use; paused while busy.
        state.setModelTtls(u"h1"_s, {{u"b"_s, 60}});
        HostedModel b = *state.host(u"h1"_s)->model(u"b"_s);
        QCOMPARE(b.ttlRemainingSeconds(kT0 + 6000), std::optional<qint64>(60));
        QCOMPARE(b.ttlRemainingSeconds(kT0 + 36000), std::optional<qint64>(30));
        QCOMPARE(b.ttlRemainingSeconds(kT0 + 100000), std::optional<qint64>(0));
        state.addActivity(u"h1"_s, {activity(1, u"b"_s, kT0 + 30000)});
        b = *state.host(u"h1"_s)->model(u"b"_s);
        QCOMPARE(b.ttlRemainingSeconds(kT0 + 36000), std::optional<qint64>(54));
        state.applyInFlight(u"h1"_s, upsert(request(u"7"_s, u"b"_s)));
        b = *state.host(u"h1"_s)->model(u"b"_s);
        QCOMPARE(b.inflight, 1);
        QVERIFY(!b.ttlRemainingSeconds(kT0 + 36000).has_value());
        QVERIFY(!state.host(u"h1"_s)->model(u"a"_s)->ttlRemainingSeconds(kT0).has_value()); // stopped
    }

    void uptimeAndGlobalLimitFromNewerHosts()
    {
        FleetState state;
        state.addHost(u"h1"_s, u"Host 1"_s, u"http://h1"_s);
        ModelStatus a = status(u"a"_s, ModelState::Ready);
        a.readySinceMs = kT0 - 120'000; // the host's clock may differ from ours
        a.uptimeMs = 61'000;
        state.applyModelStatus(u"h1"_s, {a, status(u"b"_s, ModelState::Stopped)}, kT0);
        const HostedModel m = *state.host(u"h1"_s)->model(u"a"_s);
        QCOMPARE(m.readySinceMs, std::optional<qint64>(kT0 - 120'000));
        // The host's count, plus our time since it said so; not now minus the host's clock.
        QCOMPARE(m.uptimeMs(kT0 + 4'000), std::optional<qint64>(65'000));
        QVERIFY(!state.host(u"h1"_s)->model(u"b"_s)->uptimeMs(kT0).has_value());
        const QJsonObject json = m.toJson(kT0 + 4'000);
        QCOMPARE(json.value(u"uptime_ms"_s).toInteger(), 65'000);
        QCOMPARE(json.value(u"ready_since"_s).toInteger(), kT0 - 120'000);
        const auto back = HostedModel::fromJson(json);
        QVERIFY(back.ok());
        QCOMPARE(back->uptimeMs(kT0 + 5'000), std::optional<qint64>(66'000)); // an attached cockpit counts on
        // Older hosts send neither: nothing is made up.
        state.applyModelStatus(u"h1"_s, {status(u"a"_s, ModelState::Ready)}, kT0 + 10'000);
        QVERIFY(!state.host(u"h1"_s)->model(u"a"_s)->uptimeMs(kT0 + 10'000).has_value());
        QVERIFY(!state.host(u"h1"_s)->model(u"a"_s)->toJson(kT0).contains(u"uptime_ms"_s));

        QSignalSpy changed(&state, &FleetState::changed);
        state.setGlobalConcurrencyLimit(u"h1"_s, 4);
        state.setGlobalConcurrencyLimit(u"h1"_s, 4);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(HostState::fromJson(state.host(u"h1"_s)->toJson(kT0))->globalConcurrencyLimit, std::optional<qint64>(4));
    }

    void inflightInEveryShape()
    {
        FleetState state;
        state.addHost(u"h1"_s, u"Host 1"_s, u"http://h1"_s);
        state.applyModelStatus(u"h1"_s, {status(u"m"_s, ModelState::Ready)}, kT0);
        state.applyInFlight(u"h1"_s, upsert(request(u"1"_s, u"m"_s)));
        state.applyInFlight(u"h1"_s, upsert(request(u"2"_s, u"m"_s)));
        InFlightRequest updated = request(u"1"_s, u"m"_s);
        updated.respBytes = 512;
        state.applyInFlight(u"h1"_s, upsert(updated));
        QCOMPARE(state.host(u"h1"_s)->inflightCount, 2);
        QCOMPARE(state.host(u"h1"_s)->inflight.at(0).respBytes, std::optional<qint64>(512));
        QCOMPARE(state.host(u"h1"_s)->model(u"m"_s)->inflight, 2);

        InFlightUpdate remove;
        remove.operation = InFlightUpdate::Operation::Remove;
        remove.removedId = u"1"_s;
        state.applyInFlight(u"h1"_s, remove);
        QCOMPARE(state.host(u"h1"_s)->inflightCount, 1);

        InFlightUpdate snapshot; // a snapshot without requests is an empty list
        snapshot.operation = InFlightUpdate::Operation::Snapshot;
        state.applyInFlight(u"h1"_s, snapshot);
        QCOMPARE(state.host(u"h1"_s)->inflightCount, 0);
        QCOMPARE(state.host(u"h1"_s)->model(u"m"_s)->inflight, 0);

        InFlightUpdate count; // <= v234
        count.operation = InFlightUpdate::Operation::Count;
        count.shape = InFlightUpdate::Shape::Total;
        count.total = 3;
        state.applyInFlight(u"h1"_s, count);
        QCOMPARE(state.host(u"h1"_s)->inflightCount, 3);
        QVERIFY(state.host(u"h1"_s)->inflight.isEmpty());
    }

    void activityFeedsRateCountersAndRecentRing()
    {
        FleetState state;
        state.addHost(u"h1"_s, u"Host 1"_s, u"http://h1"_s);
        QList<ActivityEntry> rows;
        for (int i = 0; i < 250; ++i)
            rows << activity(i + 1, u"m"_s, kT0 + i * 1000); // 250 s worth: spans 5 minutes
        state.addActivity(u"h1"_s, rows);
        const HostState h = *state.host(u"h1"_s);
        QCOMPARE(h.lastActivityId, 250);
        QCOMPARE(h.requestsSeen, 250);
        QCOMPARE(h.inputTokensSeen, 25000);
        QCOMPARE(h.outputTokensSeen, 2500);
        QCOMPARE(state.recentActivity(u"h1"_s).size(), FleetState::kRecentActivity);
        QCOMPARE(state.recentActivity(u"h1"_s).constFirst().id, 51);
        const QList<int> rate = h.requestRateAt(kT0 + 249'000);
        int total = 0;
        for (int n : rate)
            total += n;
        QCOMPARE(total, 250);
        QCOMPARE(rate.size(), HostState::kRateMinutes);
        // An hour later the window holds nothing.
        const QList<int> later = h.requestRateAt(kT0 + 3600'000);
        QCOMPARE(std::accumulate(later.begin(), later.end(), 0), 0);
        // After a host restart the ids start again: the last id follows the host.
        state.addActivity(u"h1"_s, {activity(1, u"m"_s, kT0 + 400'000)});
        QCOMPARE(state.host(u"h1"_s)->lastActivityId, 1);
    }

    // The one rate: requests that finished in the 60 whole seconds up to now, read every second.
    void requestRateIsTheLastSixtySeconds()
    {
        FleetState state;
        state.addHost(u"h1"_s, u"Host 1"_s, u"http://h1"_s);
        // Seconds 0 .. 89 after a whole minute t0, one request each.
        const qint64 t0 = kT0 - kT0 % 60'000;
        QList<ActivityEntry> rows;
        for (int i = 0; i < 90; ++i)
            rows << activity(i + 1, u"m"_s, t0 + i * 1000 + 500);
        state.addActivity(u"h1"_s, rows);
        const HostState h = *state.host(u"h1"_s);
        // At second 89: seconds 30..89 count, whatever the minute buckets say (30 in the current one).
        QCOMPARE(h.rateAt(t0 + 89'999).requests, 60);
        QCOMPARE(h.requestRateAt(t0 + 89'999).constLast(), 30);
        QCOMPARE(h.rateAt(t0 + 89'999).inputTokens, 6000);
        QCOMPARE(h.rateAt(t0 + 89'999).outputTokens, 600);
        QCOMPARE(h.rateAt(t0 + 89'999).outputTokensPerSecond(), 10.0);
        QCOMPARE(h.rateAt(t0 + 89'999).requestsPerSecond(), 1.0);
        // The window slides a second at a time, not a minute.
        QCOMPARE(h.rateAt(t0 + 90'000).requests, 59);
        QCOMPARE(h.rateAt(t0 + 100'000).requests, 49);
        QCOMPARE(h.rateAt(t0 + 149'000).requests, 0);
        // Only the newest row's 60 s are kept: read back at second 40, seconds 30..40 remain.
        QCOMPARE(h.rateAt(t0 + 40'000).requests, 11);
        // A row older than the window behind the newest is dropped, one inside it counts.
        state.addActivity(u"h1"_s, {activity(91, u"m"_s, t0 + 10'000), activity(92, u"m"_s, t0 + 50'000)});
        QCOMPARE(state.host(u"h1"_s)->rateAt(t0 + 89'999).requests, 61);
        // It travels with the host's view, so an attached cockpit reads the same.
        const auto back = HostState::fromJson(state.host(u"h1"_s)->toJson(t0 + 89'999));
        QVERIFY(back.ok());
        QCOMPARE(back->recentRate, state.host(u"h1"_s)->recentRate);
        QCOMPARE(state.host(u"h1"_s)->toJson(t0 + 89'999).value(u"requests_last_minute"_s).toInteger(), 61);
        QVERIFY(!RequestRate::fromJson(QJsonArray{QJsonArray{1, 2, 3}}).ok());
        QVERIFY(!RequestRate::fromJson(QJsonArray{QJsonArray{5, 1, 0, 0}, QJsonArray{4, 1, 0, 0}}).ok());
    }

    void gpusKeepTheLatestSampleOfEach()
    {
        FleetState state;
        state.addHost(u"h1"_s, u"Host 1"_s, u"http://h1"_s);
        GpuSample g0{kT0, 0, u"RTX"_s, u"GPU-0"_s, 50, 0, 30, 50, 12000, 24000, 30, 200};
        GpuSample g1 = g0;
        g1.id = 1;
        GpuSample g0later = g0;
        g0later.timestampMs += 5000;
        g0later.tempC = 70;
        state.addGpuSamples(u"h1"_s, {g1, g0later, g0});
        const HostState h = *state.host(u"h1"_s);
        QCOMPARE(h.gpus.size(), 2);
        QCOMPARE(h.gpus.at(0).id, 0);
        QCOMPARE(h.gpus.at(0).tempC, 70); // the older sample arriving later does not win
        QCOMPARE(h.gpus.at(1).id, 1);
    }

    void logTailKeepsTheLastLines()
    {
        FleetState state;
        state.addHost(u"h1"_s, u"Host 1"_s, u"http://h1"_s);
        for (int batch = 0; batch < 25; ++batch) {
            QList<LogLine> lines;
            for (int i = 0; i < 100; ++i) {
                const QString text = u"line %1"_s.arg(batch * 100 + i);
                lines << LogLine{text, text, false};
            }
            state.appendLog(u"h1"_s, u"upstream"_s, lines);
        }
        const auto tail = state.logTail(u"h1"_s, u"upstream"_s);
        QCOMPARE(tail.size(), LogTail::kDefaultCapacity);
        QCOMPARE(tail.constFirst().text, u"line 500"_s);
        QCOMPARE(tail.constLast().text, u"line 2499"_s);
        QVERIFY(state.logTail(u"h1"_s, u"proxy"_s).isEmpty());
    }

    // The attached cockpit must hold exactly what the server holds: a snapshot plus the deltas
    // after it, both through JSON, reproduce the server's state; older deltas are discarded.
    void clientFollowsServerThroughJson()
    {
        FleetState server;
        server.addHost(u"h1"_s, u"Host 1"_s, u"http://h1"_s);
        server.addHost(u"h2"_s, u"Host 2"_s, u"http://h2"_s);
        server.setLiveness(u"h1"_s, Liveness::Connected, kT0);
        server.applyModelStatus(u"h1"_s, {status(u"a"_s, ModelState::Ready)}, kT0);
        server.addActivity(u"h1"_s, {activity(1, u"a"_s, kT0)});
        server.appendLog(u"h1"_s, u"proxy"_s, {LogLine{u"\x1b[32mok\x1b[0m"_s, u"ok"_s, false}});

        QList<QJsonObject> deltasBeforeSnapshot;
        QList<QJsonObject> deltasAfterSnapshot;
        QList<QJsonObject> *sink = &deltasBeforeSnapshot;
        // What the control feed sends: changes of the state, not the facts for history.
        connect(&server, &FleetState::changed, this, [&](const FleetDelta &d) {
            if (d.isStateChange())
                sink->append(d.toJson(kT0));
        });

        server.applyInFlight(u"h1"_s, upsert(request(u"9"_s, u"a"_s)));
        const QByteArray snapshotJson = QJsonDocument(server.snapshot().toJson(kT0)).toJson(QJsonDocument::Compact);
        sink = &deltasAfterSnapshot;
        server.addActivity(u"h1"_s, {activity(2, u"a"_s, kT0 + 1000)});
        GpuSample g{kT0, 0, u"RTX"_s, u"GPU-0"_s, 50, 0, 30, 50, 12000, 24000, 30, 200};
        server.addGpuSamples(u"h2"_s, {g});
        server.setLiveness(u"h2"_s, Liveness::Down, kT0 + 2000, u"timeout"_s);
        server.appendLog(u"h1"_s, u"proxy"_s, {LogLine{u"second"_s, u"second"_s, false}});
        server.removeHost(u"h2"_s);

        FleetState client;
        auto snapshot = FleetState::Snapshot::fromJson(QJsonDocument::fromJson(snapshotJson).object());
        QVERIFY2(snapshot.ok(), qPrintable(snapshot.ok() ? QString() : snapshot.error().message));
        client.loadSnapshot(*snapshot);
        for (const QJsonObject &json : std::as_const(deltasBeforeSnapshot)) {
            auto delta = FleetDelta::fromJson(json);
            QVERIFY(delta.ok());
            QVERIFY(!client.apply(*delta)); // already in the snapshot
        }
        for (const QJsonObject &json : std::as_const(deltasAfterSnapshot)) {
            auto delta = FleetDelta::fromJson(json);
            QVERIFY2(delta.ok(), qPrintable(delta.ok() ? QString() : delta.error().message));
            QVERIFY(client.apply(*delta));
        }

        QCOMPARE(client.hostIds(), server.hostIds());
        QCOMPARE(client.hostIds(), QStringList{u"h1"_s});
        const HostState s = *server.host(u"h1"_s);
        const HostState c = *client.host(u"h1"_s);
        QCOMPARE(c.seq, s.seq);
        QCOMPARE(c.models, s.models);
        QCOMPARE(c.inflight, s.inflight);
        QCOMPARE(c.requestsPerMinute, s.requestsPerMinute);
        QCOMPARE(c.lastActivityId, 2);
        QCOMPARE(c, s);
        QCOMPARE(client.logTail(u"h1"_s, u"proxy"_s), server.logTail(u"h1"_s, u"proxy"_s));
        QCOMPARE(client.logTail(u"h1"_s, u"proxy"_s).constFirst().plain, u"ok"_s);
        QCOMPARE(client.recentActivity(u"h1"_s), server.recentActivity(u"h1"_s));

        // A fact for history changes nothing in a client.
        QVERIFY(!client.apply(FleetDelta{u"h1"_s, c.seq + 1, HostIncident{u"gap"_s, u"test"_s, kT0}}));
        QCOMPARE(client.host(u"h1"_s)->seq, c.seq);
    }

    void malformedDeltasAreRejectedWithAReason_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("no seq") << QByteArray("{\"type\":\"control_fleet\",\"host\":\"h1\"}") << u"seq"_s;
        QTest::newRow("unknown type") << QByteArray("{\"type\":\"control_x\",\"host\":\"h1\",\"seq\":3}")
                                      << u"unknown delta type 'control_x'"_s;
        QTest::newRow("bad liveness") << QByteArray(
            "{\"type\":\"control_fleet\",\"host\":\"h1\",\"seq\":3,\"data\":{\"id\":\"h1\",\"seq\":3,\"liveness\":\"sleepy\"}}")
                                      << u"field \"liveness\" is \"sleepy\", must be one of reconnecting, connected or down"_s;
        QTest::newRow("bad activity") << QByteArray("{\"type\":\"control_activity\",\"host\":\"h1\",\"seq\":3,\"data\":[{\"id\":\"x\"}]}")
                                      << u"control_activity for host h1 item 0"_s;
        const auto host = [](const char *extra) -> QByteArray {
            return "{\"type\":\"control_fleet\",\"host\":\"h1\",\"seq\":3,\"data\":{\"id\":\"h1\",\"seq\":3,\"liveness\":\"down\","_ba
                + extra + "}}";
        };
        QTest::newRow("model not an object") << host("\"models\":[1]") << u"field \"models[0]\" is a number, expected an object"_s;
        QTest::newRow("rate not a number") << host("\"requests_per_minute\":[\"3\"]") << u"field \"requests_per_minute[0]\" is a string"_s;
        QTest::newRow("swap target not a string") << host("\"last_swap\":{\"to\":5}") << u"swap: field \"to\" is a number"_s;
        QTest::newRow("log line not a string") << QByteArray(
            "{\"type\":\"control_log\",\"host\":\"h1\",\"seq\":3,\"source\":\"proxy\",\"data\":[5]}")
                                               << u"field \"data[0]\" is a number, expected a string"_s;
    }

    void malformedDeltasAreRejectedWithAReason()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, mentions);
        const auto delta = FleetDelta::fromJson(QJsonDocument::fromJson(json).object());
        QVERIFY(!delta.ok());
        QVERIFY2(delta.error().message.contains(mentions), qPrintable(delta.error().message));
    }

    void malformedSnapshotsAreRejectedWithAReason_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("mentions");
        const auto snapshot = [](const char *extra) -> QByteArray {
            return "{\"type\":\"control_snapshot\",\"hosts\":[{\"id\":\"h1\",\"seq\":3,\"liveness\":\"down\""_ba + extra + "}]}";
        };
        QTest::newRow("host not an object") << "{\"hosts\":[7]}"_ba << u"field \"hosts[0]\" is a number, expected an object"_s;
        QTest::newRow("logs not an object") << snapshot(",\"logs\":[]") << u"field \"logs\" is an array, expected an object"_s;
        QTest::newRow("log line not a string") << snapshot(",\"logs\":{\"proxy\":[\"ok\",1]}") << u"field \"logs.proxy[1]\" is a number"_s;
        QTest::newRow("activity not a list") << snapshot(",\"recent_activity\":{}") << u"field \"recent_activity\" is an object"_s;
    }
    void malformedSnapshotsAreRejectedWithAReason()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, mentions);
        const auto snapshot = FleetState::Snapshot::fromJson(QJsonDocument::fromJson(json).object());
        QVERIFY(!snapshot.ok());
        QVERIFY2(snapshot.error().message.contains(mentions), qPrintable(snapshot.error().message));
        // The same host without the broken field reads back: the field is what was refused.
        const QByteArray base = "{\"hosts\":[{\"id\":\"h1\",\"seq\":3,\"liveness\":\"down\"}]}";
        QVERIFY(FleetState::Snapshot::fromJson(QJsonDocument::fromJson(base).object()).ok());
    }
};

QTEST_GUILESS_MAIN(TestFleetState)
#include "tst_fleetstate.moc"
