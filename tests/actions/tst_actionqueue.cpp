// ActionQueue against simulated llama-swap hosts on loopback, watched by a real FleetRuntime.

#include "core/actions/actionqueue.h"
#include "core/fleet/fleetstate.h"
#include "core/sim/simhost.h"
#include "core/sim/simmodelmanager.h"
#include "tests/common/livefleet.h"
#include "tests/sim/simtestsupport.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

namespace {

HostAction action(HostAction::Kind kind, const QString &model = {}, const QString &requestId = {})
{
    HostAction a;
    a.hostId = u"h1"_s;
    a.kind = kind;
    a.model = model;
    a.requestId = requestId;
    return a;
}

// The states one action went through, from the control_job deltas FleetState published.
QStringList statesOf(const QList<ActionJob> &jobs, qint64 id)
{
    QStringList states;
    for (const ActionJob &job : jobs) {
        if (job.action.id == id)
            states << ActionJob::stateName(job.state);
    }
    return states;
}

} // namespace

class TestActionQueue : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::LiveFleet> m_live;
    QList<ActionJob> m_jobs;

    ActionQueue *queue() const { return m_live->runtime()->actions(); }
    SimModelState simState(const QString &model) const { return m_live->host(u"h1"_s)->models()->state(model); }

    void startFleet(int loadMs = 60)
    {
        SimHostConfig config = simtest::fastHost(u"h1"_s);
        for (SimModelConfig &m : config.models)
            m.loadMs = loadMs;
        QString error;
        m_live = test::LiveFleet::start({config}, &error);
        QVERIFY2(m_live, qPrintable(error));
        QVERIFY(m_live->waitConnected());
        m_jobs.clear();
        // What an attached cockpit would see: the jobs as deltas of the host.
        connect(m_live->fleet(), &FleetState::changed, this, [this](const FleetDelta &delta) {
            const auto *update = delta.as<JobUpdated>();
            if (!update)
                return;
            auto job = ActionJob::fromJson(update->job);
            QVERIFY2(job.ok(), qPrintable(job.ok() ? QString() : job.error().message));
            m_jobs << *job;
        });
    }

    bool waitFinished(qint64 id, int timeoutMs = 10000)
    {
        return QTest::qWaitFor(
            [&] {
                return std::any_of(m_jobs.cbegin(), m_jobs.cend(),
                                   [id](const ActionJob &j) { return j.action.id == id && j.isFinished(); });
            },
            timeoutMs);
    }

private Q_SLOTS:
    void cleanup() { m_live.reset(); }

    void warmLoadsTheModel()
    {
        startFleet();
        QCOMPARE(simState(u"qwen3-8b"_s), SimModelState::Stopped);
        const auto accepted = queue()->submit(action(HostAction::Kind::Warm, u"qwen3-8b"_s));
        QVERIFY(accepted.ok());
        QCOMPARE(accepted->id, 1);
        QVERIFY(accepted->queuedMs > 0);
        QVERIFY(waitFinished(accepted->id));
        QCOMPARE(statesOf(m_jobs, accepted->id), (QStringList{u"queued"_s, u"running"_s, u"succeeded"_s}));
        QCOMPARE(simState(u"qwen3-8b"_s), SimModelState::Ready);
        QTRY_COMPARE(m_live->fleet()->host(u"h1"_s)->model(u"qwen3-8b"_s)->state, ModelState::Ready);
        QVERIFY(m_jobs.constLast().durationMs.has_value());
    }

    void unloadAndUnloadAll()
    {
        startFleet();
        const auto warmA = queue()->submit(action(HostAction::Kind::Warm, u"qwen3-8b"_s));
        QVERIFY(warmA.ok());
        QVERIFY(waitFinished(warmA->id));
        QTRY_COMPARE(m_live->fleet()->host(u"h1"_s)->model(u"qwen3-8b"_s)->state, ModelState::Ready);

        const auto unload = queue()->submit(action(HostAction::Kind::Unload, u"qwen3-8b"_s));
        QVERIFY(unload.ok());
        QVERIFY(waitFinished(unload->id));
        QCOMPARE(statesOf(m_jobs, unload->id).constLast(), u"succeeded"_s);
        QCOMPARE(simState(u"qwen3-8b"_s), SimModelState::Stopped);

        const auto warmB = queue()->submit(action(HostAction::Kind::Warm, u"gpt-oss-20b"_s));
        QVERIFY(warmB.ok());
        QVERIFY(waitFinished(warmB->id));
        const auto all = queue()->submit(action(HostAction::Kind::UnloadAll));
        QVERIFY(all.ok());
        QVERIFY(waitFinished(all->id));
        QCOMPARE(statesOf(m_jobs, all->id).constLast(), u"succeeded"_s);
        QCOMPARE(simState(u"gpt-oss-20b"_s), SimModelState::Stopped);
    }

    void unloadOfAStoppedModelIsSkipped()
    {
        startFleet();
        QTRY_VERIFY(m_live->fleet()->host(u"h1"_s)->model(u"qwen3-8b"_s) != nullptr);
        const auto unload = queue()->submit(action(HostAction::Kind::Unload, u"qwen3-8b"_s));
        QVERIFY(unload.ok());
        QVERIFY(waitFinished(unload->id));
        QCOMPARE(m_jobs.constLast().state, ActionJob::State::Skipped);
        QCOMPARE(m_jobs.constLast().message, u"qwen3-8b is not loaded"_s);
    }

    void cancelEndsAnInFlightRequest()
    {
        startFleet();
        SimTrafficSpec spec;
        spec.model = u"qwen3-8b"_s;
        spec.timing = SimTrafficSpec::Timing::RealTime;
        spec.maxTokens = 100000; // runs for many seconds
        m_live->host(u"h1"_s)->generateTraffic(spec);
        QTRY_VERIFY_WITH_TIMEOUT(!m_live->fleet()->host(u"h1"_s)->inflight.isEmpty(), 10000);
        const QString id = m_live->fleet()->host(u"h1"_s)->inflight.constFirst().id;

        const auto cancel = queue()->submit(action(HostAction::Kind::Cancel, {}, id));
        QVERIFY(cancel.ok());
        QVERIFY(waitFinished(cancel->id));
        QCOMPARE(statesOf(m_jobs, cancel->id).constLast(), u"succeeded"_s);
        QTRY_VERIFY_WITH_TIMEOUT(m_live->fleet()->host(u"h1"_s)->inflight.isEmpty(), 10000);

        // The same request again: it is gone, so the action has nothing to do.
        const auto again = queue()->submit(action(HostAction::Kind::Cancel, {}, id));
        QVERIFY(again.ok());
        QVERIFY(waitFinished(again->id));
        QCOMPARE(m_jobs.constLast().state, ActionJob::State::Skipped);
        QCOMPARE(m_jobs.constLast().message, u"the request had already finished"_s);
    }

    void refusesInvalidUnknownAndDown()
    {
        startFleet();
        auto invalid = queue()->submit(action(HostAction::Kind::Warm));
        QVERIFY(!invalid.ok());
        QCOMPARE(invalid.error().code, u"action.invalid"_s);
        HostAction elsewhere = action(HostAction::Kind::UnloadAll);
        elsewhere.hostId = u"nope"_s;
        auto unknown = queue()->submit(elsewhere);
        QVERIFY(!unknown.ok());
        QCOMPARE(unknown.error().code, u"action.host_unknown"_s);

        m_live->host(u"h1"_s)->goDown();
        QTRY_COMPARE_WITH_TIMEOUT(m_live->fleet()->host(u"h1"_s)->liveness, Liveness::Down, 10000);
        auto down = queue()->submit(action(HostAction::Kind::Warm, u"qwen3-8b"_s));
        QVERIFY(!down.ok());
        QCOMPARE(down.error().code, u"action.host_down"_s);
        QVERIFY(m_jobs.isEmpty()); // refusals are answers, not jobs
    }

    void queueHoldsFourWaitingInOrder()
    {
        startFleet(400);
        QList<qint64> ids;
        const QStringList models{u"qwen3-8b"_s, u"gpt-oss-20b"_s, u"qwen3-8b"_s, u"gpt-oss-20b"_s, u"qwen3-8b"_s};
        for (const QString &model : models) {
            const auto accepted = queue()->submit(action(HostAction::Kind::Warm, model));
            QVERIFY2(accepted.ok(), qPrintable(accepted.ok() ? QString() : accepted.error().message));
            ids << accepted->id;
        }
        QVERIFY(queue()->running(u"h1"_s).has_value());
        QCOMPARE(queue()->waitingCount(u"h1"_s), ActionQueue::kMaxWaiting);
        const auto sixth = queue()->submit(action(HostAction::Kind::Warm, u"qwen3-8b"_s));
        QVERIFY(!sixth.ok());
        QCOMPARE(sixth.error().code, u"action.queue_full"_s);

        QVERIFY(waitFinished(ids.constLast(), 20000));
        // FIFO: each one started only after the one before it finished.
        QList<qint64> runOrder;
        for (const ActionJob &job : std::as_const(m_jobs)) {
            if (job.state == ActionJob::State::Running)
                runOrder << job.action.id;
        }
        QCOMPARE(runOrder, ids);
        for (qint64 id : std::as_const(ids))
            QCOMPARE(statesOf(m_jobs, id).constLast(), u"succeeded"_s);
    }

    void staleActionsAreSkippedAtTheirTurn()
    {
        startFleet(500);
        queue()->setStaleAfterMs(150);
        const auto first = queue()->submit(action(HostAction::Kind::Warm, u"qwen3-8b"_s));
        const auto second = queue()->submit(action(HostAction::Kind::Warm, u"gpt-oss-20b"_s));
        QVERIFY(first.ok() && second.ok());
        QVERIFY(waitFinished(second->id));
        QCOMPARE(statesOf(m_jobs, first->id).constLast(), u"succeeded"_s);
        QCOMPARE(statesOf(m_jobs, second->id), (QStringList{u"queued"_s, u"skipped"_s}));
        QVERIFY2(m_jobs.constLast().message.startsWith(u"waited "_s), qPrintable(m_jobs.constLast().message));
        QCOMPARE(simState(u"gpt-oss-20b"_s), SimModelState::Stopped);
    }

    void livenessIsCheckedAgainAtDequeue()
    {
        startFleet(400);
        const auto first = queue()->submit(action(HostAction::Kind::Warm, u"qwen3-8b"_s));
        const auto second = queue()->submit(action(HostAction::Kind::Warm, u"gpt-oss-20b"_s));
        QVERIFY(first.ok() && second.ok());
        // The host is declared down while the second action waits.
        m_live->fleet()->setLiveness(u"h1"_s, Liveness::Down, QDateTime::currentMSecsSinceEpoch(), u"test"_s);
        QVERIFY(waitFinished(second->id));
        QCOMPARE(statesOf(m_jobs, second->id), (QStringList{u"queued"_s, u"skipped"_s}));
        QCOMPARE(m_jobs.constLast().message, u"the host went down while the action waited"_s);
    }

    void takeoverNeedsConfirmation_data()
    {
        QTest::addColumn<int>("inflight");
        QTest::addColumn<qint64>("lastUsedAgoMs");
        QTest::addColumn<bool>("expected");
        QTest::newRow("idle for long") << 0 << qint64(600'000) << false;
        QTest::newRow("used 30 s ago") << 0 << qint64(30'000) << true;
        QTest::newRow("used 61 s ago") << 0 << qint64(61'000) << false;
        QTest::newRow("serving now") << 1 << qint64(600'000) << true;
    }

    void takeoverNeedsConfirmation()
    {
        QFETCH(int, inflight);
        QFETCH(qint64, lastUsedAgoMs);
        QFETCH(bool, expected);
        const qint64 now = 1'790'000'000'000;
        HostState host;
        host.id = u"h1"_s;
        HostedModel model;
        model.id = u"m"_s;
        model.state = ModelState::Ready;
        model.inflight = inflight;
        model.lastUsedMs = now - lastUsedAgoMs;
        host.models = {model};
        QCOMPARE(ActionQueue::needsConfirmation(host, action(HostAction::Kind::Unload, u"m"_s), now), expected);
        QCOMPARE(ActionQueue::needsConfirmation(host, action(HostAction::Kind::UnloadAll), now), expected);
        QCOMPARE(ActionQueue::needsConfirmation(host, action(HostAction::Kind::Warm, u"m"_s), now), false);
        QCOMPARE(ActionQueue::needsConfirmation(host, action(HostAction::Kind::Unload, u"other"_s), now), false);
    }

    void jobJsonRoundTrips()
    {
        ActionJob job{action(HostAction::Kind::Cancel, {}, u"12"_s), ActionJob::State::Failed, u"HTTP 500: boom"_s, 42, 7};
        job.action.id = 9;
        job.action.queuedMs = 40;
        const auto back = ActionJob::fromJson(job.toJson());
        QVERIFY(back.ok());
        QCOMPARE(back->action, job.action);
        QCOMPARE(back->state, job.state);
        QCOMPARE(back->message, job.message);
        QCOMPARE(back->atMs, 42);
        QCOMPARE(back->durationMs, std::optional<qint64>(7));
        QVERIFY(!ActionJob::fromJson(QJsonObject{{u"job"_s, u"retention"_s}}).ok());
    }
};

QTEST_GUILESS_MAIN(TestActionQueue)
#include "tst_actionqueue.moc"
