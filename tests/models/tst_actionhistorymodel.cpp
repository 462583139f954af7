#include "core/fleet/fleetstate.h"
#include "models/actionhistorymodel.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

namespace {

ActionJob job(qint64 id, ActionJob::State state, const QString &message = {})
{
    HostAction a;
    a.id = id;
    a.hostId = u"h1"_s;
    a.kind = HostAction::Kind::Unload;
    a.model = u"qwen"_s;
    return ActionJob{a, state, message, 1'790'000'000'000 + id,
                     state == ActionJob::State::Succeeded ? std::optional<qint64>(1500) : std::nullopt};
}

} // namespace

class TestActionHistoryModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void actionsRefusalsAndAlerts()
    {
        FleetState fleet;
        fleet.addHost(u"h1"_s, u"h1"_s, u"http://h1"_s);
        ActionHistoryModel model(&fleet);
        auto *tester = new QAbstractItemModelTester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        fleet.publishJob(u"h1"_s, job(1, ActionJob::State::Queued).toJson());
        fleet.publishJob(u"h1"_s, job(1, ActionJob::State::Running).toJson());
        QCOMPARE(model.rowCount(), 1);
        fleet.publishJob(u"h1"_s, job(1, ActionJob::State::Succeeded, u"unloaded"_s).toJson());
        QCOMPARE(model.rowCount(), 1); // one row per action, updated in place
        QCOMPARE(model.index(0, ActionHistoryModel::WhatColumn).data().toString(), u"Unload qwen"_s);
        QCOMPARE(model.index(0, ActionHistoryModel::StateColumn).data().toString(), u"done"_s);
        QCOMPARE(model.index(0, ActionHistoryModel::MessageColumn).data().toString(), u"unloaded (after 1.50 s)"_s);

        HostAction refused;
        refused.hostId = u"h1"_s;
        refused.kind = HostAction::Kind::Warm;
        refused.model = u"big"_s;
        model.addRefusal(refused, u"h1 is down"_s);
        Alert alert;
        alert.kind = Alert::Kind::TemperatureHigh;
        alert.hostId = u"h1"_s;
        alert.gpu = 0;
        alert.value = 90;
        alert.threshold = 85;
        model.addAlert(alert);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(0, ActionHistoryModel::WhatColumn).data().toString(), u"GPU hot"_s);
        QCOMPARE(model.index(0, 0).data(ActionHistoryModel::KindRole).toInt(), int(ActionHistoryModel::Kind::Alert));
        QCOMPARE(model.index(1, ActionHistoryModel::StateColumn).data().toString(), u"refused"_s);
        QCOMPARE(model.index(1, ActionHistoryModel::MessageColumn).data().toString(), u"h1 is down"_s);
        QVERIFY(model.index(1, ActionHistoryModel::StateColumn).data(Qt::ForegroundRole).isValid());

        delete tester; // it re-checks every row on every insert: too slow for the cap below
        for (int i = 0; i < ActionHistoryModel::kMaxEntries; ++i)
            model.addAlert(alert);
        QCOMPARE(model.rowCount(), ActionHistoryModel::kMaxEntries);
    }
};

QTEST_MAIN(TestActionHistoryModel)
#include "tst_actionhistorymodel.moc"
