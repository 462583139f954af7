#include "core/fleet/fleetstate.h"
#include "models/fleetfilterproxy.h"
#include "models/fleetmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

namespace {

constexpr qint64 kT0 = 1'790'000'000'000;

ModelStatus status(const QString &id, ModelState state)
{
    ModelStatus s;
    s.id = id;
    s.state = state;
    s.stateText = modelStateName(state);
    return s;
}

QJsonObject job(qint64 id, ActionJob::State state, qint64 at)
{
    HostAction a;
    a.id = id;
    a.hostId = u"b"_s;
    a.kind = HostAction::Kind::Warm;
    a.model = u"qwen"_s;
    return ActionJob{a, state, {}, at, std::nullopt}.toJson();
}

} // namespace

class TestFleetModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rowsFollowTheFleet()
    {
        FleetState fleet;
        fleet.addHost(u"c"_s, u"Charlie"_s, u"http://c"_s);
        fleet.addHost(u"a"_s, u"Alpha"_s, u"http://a"_s);
        FleetModel model(&fleet);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0).data(FleetModel::HostIdRole).toString(), u"a"_s);
        QCOMPARE(model.index(0).data().toString(), u"Alpha"_s);

        fleet.addHost(u"b"_s, u"Bravo"_s, u"http://b"_s); // sorted in between
        QCOMPARE(model.rowOf(u"b"_s), 1);
        fleet.removeHost(u"c"_s);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.rowOf(u"c"_s), -1);
    }

    void changesAreCoalesced()
    {
        FleetState fleet;
        fleet.addHost(u"a"_s, u"Alpha"_s, u"http://a"_s);
        FleetModel model(&fleet);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        fleet.setLiveness(u"a"_s, Liveness::Connected, kT0);
        fleet.applyModelStatus(u"a"_s, {status(u"qwen"_s, ModelState::Ready)}, kT0);
        fleet.setVersion(u"a"_s, u"v250"_s, u"Paged"_s);
        fleet.appendLog(u"a"_s, u"proxy"_s, {LogLineSplitter::makeLine("x")}); // not shown on cards
        QCOMPARE(changed.size(), 0);
        QTRY_COMPARE(changed.size(), 1);
        const auto view = model.index(0).data(FleetModel::HostStateRole).value<HostState>();
        QCOMPARE(view.liveness, Liveness::Connected);
        QCOMPARE(view.version, u"v250"_s);
        QCOMPARE(view.models.size(), 1);
        QVERIFY(model.index(0).data(FleetModel::SearchTextRole).toString().contains(u"qwen"_s));
    }

    void jobsPerHost()
    {
        FleetState fleet;
        fleet.addHost(u"b"_s, u"Bravo"_s, u"http://b"_s);
        FleetModel model(&fleet);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        fleet.publishJob(u"b"_s, job(1, ActionJob::State::Running, kT0));
        fleet.publishJob(u"b"_s, job(2, ActionJob::State::Queued, kT0 + 1));
        fleet.publishJob(u"b"_s, job(1, ActionJob::State::Succeeded, kT0 + 2));
        for (int i = 3; i < 12; ++i)
            fleet.publishJob(u"b"_s, job(i, ActionJob::State::Failed, kT0 + i));
        model.flush();
        const auto jobs = model.index(0).data(FleetModel::JobsRole).value<QList<ActionJob>>();
        QCOMPARE(jobs.size(), 1 + FleetModel::kFinishedJobsKept);
        QCOMPARE(jobs.at(0).action.id, 2);  // unfinished first
        QCOMPARE(jobs.at(1).action.id, 11); // then the newest results
        QCOMPARE(jobs.at(1).state, ActionJob::State::Failed);
    }

    void proxyFiltersByTextAndProblems()
    {
        FleetState fleet;
        fleet.addHost(u"gpu-box"_s, u"GPU box"_s, u"http://a"_s);
        fleet.addHost(u"mac"_s, u"Mac Studio"_s, u"http://b"_s);
        fleet.addHost(u"mini"_s, u"Mini"_s, u"http://c"_s);
        fleet.setLiveness(u"gpu-box"_s, Liveness::Connected, kT0);
        fleet.setLiveness(u"mac"_s, Liveness::Connected, kT0);
        fleet.applyModelStatus(u"mac"_s, {status(u"llama-3.3-70b"_s, ModelState::Stopped)}, kT0);
        FleetModel model(&fleet);
        FleetFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(proxy.rowCount(), 3);
        proxy.setText(u"LLAMA"_s);
        QCOMPARE(proxy.rowCount(), 1);
        QCOMPARE(proxy.index(0, 0).data(FleetModel::HostIdRole).toString(), u"mac"_s);
        proxy.setText(u"box gpu"_s); // every word, any order
        QCOMPARE(proxy.rowCount(), 1);
        proxy.setText({});
        proxy.setProblemsOnly(true);
        QCOMPARE(proxy.rowCount(), 1); // only "mini" has not connected
        QCOMPARE(proxy.index(0, 0).data(FleetModel::HostIdRole).toString(), u"mini"_s);
        fleet.setGapSuspected(u"mac"_s, true, kT0);
        model.flush();
        QCOMPARE(proxy.rowCount(), 2);
    }
};

QTEST_MAIN(TestFleetModel)
#include "tst_fleetmodel.moc"
