#include "core/fleet/fleetstate.h"
#include "core/fleet/fleetsummary.h"
#include "models/fleetfilterproxy.h"
#include "models/fleetmodel.h"
#include "views/fleetsummarystrip.h"
#include "views/fleetview.h"
#include "views/hostcard.h"

#include <QCheckBox>
#include <QDateTime>
#include <QJsonDocument>
#include <QLabel>
#include <QTest>
#include <QToolButton>

using namespace Qt::StringLiterals;
using namespace boo;
using Scope = FleetFilterProxy::Scope;

namespace {

ModelStatus status(const QString &id, ModelState state)
{
    ModelStatus s;
    s.id = id;
    s.state = state;
    s.stateText = modelStateName(state);
    return s;
}

// Three hosts: "busy" serves requests with a model loaded, "idle" is up with nothing loaded,
// "gone" is down after a gap.
void fill(FleetState &fleet)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const QString &id : {u"busy"_s, u"idle"_s, u"gone"_s})
        fleet.addHost(id, id.toUpper(), u"http://"_s + id);
    fleet.setLiveness(u"busy"_s, Liveness::Connected, now);
    fleet.setLiveness(u"idle"_s, Liveness::Connected, now);
    fleet.setLiveness(u"gone"_s, Liveness::Down, now, u"refused"_s);
    fleet.setGapSuspected(u"gone"_s, true, now);
    fleet.applyModelStatus(u"busy"_s, {status(u"qwen"_s, ModelState::Ready), status(u"gemma"_s, ModelState::Ready)}, now);
    fleet.applyModelStatus(u"idle"_s, {status(u"qwen"_s, ModelState::Stopped)}, now);
    QList<ActivityEntry> rows;
    for (int i = 1; i <= 6; ++i) {
        ActivityEntry e;
        e.id = i;
        e.model = u"qwen"_s;
        e.timestampMs = now - i * 5000;
        e.outputTokens = 300;
        rows << e;
    }
    fleet.addActivity(u"busy"_s, rows);
    GpuSample g;
    g.timestampMs = now;
    g.memUsedMb = 12 * 1024;
    g.memTotalMb = 24 * 1024;
    g.tempC = 60;
    fleet.addGpuSamples(u"busy"_s, {g});
    g.memUsedMb = 0;
    fleet.addGpuSamples(u"idle"_s, {g});
}

// Two summaries taken a moment apart may straddle a minute boundary, which shifts the per-minute
// history by one; everything else must agree.
FleetSummary sameMinute(FleetSummary expected, const FleetSummary &shown)
{
    expected.requestsPerMinute = shown.requestsPerMinute;
    return expected;
}

QStringList shownCards(FleetView &view)
{
    QStringList ids;
    for (HostCard *card : view.cards())
        ids << card->objectName().mid(9); // "hostcard-"
    ids.sort();
    return ids;
}

} // namespace

class TestFleetSummaryStrip : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void showsTheTotalsAndFiltersTheCards()
    {
        FleetState fleet;
        fill(fleet);
        FleetModel model(&fleet);
        FleetView view(&model);
        view.resize(1400, 700);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        FleetSummaryStrip *strip = view.summaryStrip();
        QTRY_COMPARE(strip->summary().hosts, 3);

        QCOMPARE(strip->value(u"hosts"_s)->text(), u"2/3 up"_s);
        QCOMPARE(strip->value(u"attention"_s)->text(), u"1"_s);
        QCOMPARE(strip->value(u"requests"_s)->text(), u"6 req/min"_s);
        QCOMPARE(strip->value(u"tokens"_s)->text(), u"30 tok/s"_s); // 1,800 tokens in 60 s
        QCOMPARE(strip->value(u"models"_s)->text(), u"2"_s);
        QCOMPARE(strip->value(u"vram"_s)->text(), u"12.0 / 48.0 GB"_s);
        QCOMPARE(strip->summary().alerts, 1); // the host down
        QCOMPARE(strip->summary(), sameMinute(FleetSummary::of(fleet, QDateTime::currentMSecsSinceEpoch()), strip->summary()));

        QCOMPARE(shownCards(view), (QStringList{u"busy"_s, u"gone"_s, u"idle"_s}));
        auto *problemsOnly = view.findChild<QCheckBox *>(u"problemsOnly"_s);
        QVERIFY(problemsOnly);

        // Need attention: only the host down with its gap; the check box says so too.
        QTest::mouseClick(strip->tile(Scope::NeedsAttention), Qt::LeftButton);
        QTRY_COMPARE(shownCards(view), QStringList{u"gone"_s});
        QVERIFY(problemsOnly->isChecked());
        QVERIFY(strip->tile(Scope::NeedsAttention)->isChecked());
        // Clicked again: every host.
        QTest::mouseClick(strip->tile(Scope::NeedsAttention), Qt::LeftButton);
        QTRY_COMPARE(shownCards(view).size(), 3);
        QVERIFY(!problemsOnly->isChecked());
        QVERIFY(!strip->tile(Scope::NeedsAttention)->isChecked());

        // Requests: hosts serving. Models: hosts with models loaded.
        QTest::mouseClick(strip->tile(Scope::Serving), Qt::LeftButton);
        QTRY_COMPARE(shownCards(view), QStringList{u"busy"_s});
        QVERIFY(strip->findChild<QToolButton *>(u"summary-tokens"_s)->isChecked()); // the same scope
        fleet.applyModelStatus(u"idle"_s, {status(u"qwen"_s, ModelState::Starting)}, QDateTime::currentMSecsSinceEpoch());
        QTest::mouseClick(strip->tile(Scope::ModelsLoaded), Qt::LeftButton);
        QTRY_COMPARE(shownCards(view), (QStringList{u"busy"_s, u"idle"_s}));
        QTRY_COMPARE(strip->value(u"models"_s)->text(), u"3"_s);
        // The check box takes over from a tile, and the hosts tile shows everything.
        problemsOnly->setChecked(true);
        QTRY_COMPARE(shownCards(view), QStringList{u"gone"_s});
        QVERIFY(!strip->tile(Scope::ModelsLoaded)->isChecked());
        QTest::mouseClick(strip->tile(Scope::AllHosts), Qt::LeftButton);
        QTRY_COMPARE(shownCards(view).size(), 3);
        QVERIFY(!strip->tile(Scope::AllHosts)->isChecked());
        QVERIFY(!problemsOnly->isChecked());
    }

    void attachedModeShowsTheServersTotals()
    {
        // An attached cockpit's FleetState is fed by the server's snapshot and deltas.
        FleetState server;
        fill(server);
        const QJsonObject wire
            = QJsonDocument::fromJson(QJsonDocument(server.snapshot().toJson(QDateTime::currentMSecsSinceEpoch())).toJson()).object();
        const auto snapshot = FleetState::Snapshot::fromJson(wire);
        QVERIFY(snapshot.ok());
        FleetState attached;
        attached.loadSnapshot(*snapshot);
        FleetModel model(&attached);
        FleetView view(&model);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTRY_COMPARE(view.summaryStrip()->summary().hosts, 3);
        QCOMPARE(view.summaryStrip()->summary(),
                 sameMinute(FleetSummary::of(server, QDateTime::currentMSecsSinceEpoch()), view.summaryStrip()->summary()));
        QCOMPARE(view.summaryStrip()->value(u"requests"_s)->text(), u"6 req/min"_s);
    }
};

QTEST_MAIN(TestFleetSummaryStrip)
#include "tst_fleetsummarystrip.moc"
