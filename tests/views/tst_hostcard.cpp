#include "core/fleet/fleetstate.h"
#include "models/fleetmodel.h"
#include "views/fleetview.h"
#include "views/hostcard.h"
#include "views/statechip.h"
#include "views/usagebar.h"

#include <QAction>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

using namespace Qt::StringLiterals;
using namespace boo;

namespace {

constexpr qint64 kNow = 1'790'000'000'000;

HostState host()
{
    HostState h;
    h.id = u"gpu1"_s;
    h.name = u"GPU box"_s;
    h.baseUrl = u"http://10.0.0.11:8080"_s;
    h.liveness = Liveness::Connected;
    h.lastSeenMs = kNow;
    h.version = u"v250"_s;
    HostedModel ready;
    ready.id = u"qwen"_s;
    ready.state = ModelState::Ready;
    ready.ttlSeconds = 300;
    ready.stateSinceMs = kNow - 60'000;
    ready.lastUsedMs = kNow - 30'000;
    HostedModel stopped;
    stopped.id = u"llama"_s;
    stopped.state = ModelState::Stopped;
    h.models = {ready, stopped};
    GpuSample g;
    g.id = 0;
    g.name = u"RTX 4090"_s;
    g.memUsedMb = 20480;
    g.memTotalMb = 24576;
    g.tempC = 71;
    g.powerDrawW = 300;
    g.gpuUtilPct = 87;
    h.gpus = {g};
    return h;
}

QStringList labelTexts(const QWidget *w)
{
    QStringList texts;
    for (const QLabel *l : w->findChildren<QLabel *>())
        texts << l->text();
    return texts;
}

} // namespace

class TestHostCard : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void showsHostModelsAndGpus()
    {
        HostCard card;
        card.setHost(host(), {}, kNow);
        const QStringList texts = labelTexts(&card);
        QVERIFY(texts.contains(u"GPU box"_s));
        QVERIFY(texts.contains(u"llama-swap v250 · http://10.0.0.11:8080"_s));
        QVERIFY2(texts.contains(u"TTL 4:30"_s), qPrintable(texts.join(u'|'))); // 300 s from the last use 30 s ago
        QVERIFY(texts.contains(u"71 °C · 300 W · 87 % busy"_s));
        const auto chips = card.findChildren<StateChip *>();
        QStringList chipTexts;
        for (const StateChip *chip : chips)
            chipTexts << chip->text();
        QVERIFY(chipTexts.contains(u"connected"_s));
        QVERIFY(chipTexts.contains(u"ready"_s));
        QVERIFY(chipTexts.contains(u"stopped"_s));
        const auto bars = card.findChildren<UsageBar *>();
        QCOMPARE(bars.size(), 1);
        QCOMPARE(bars.at(0)->text(), u"20.0 GB / 24.0 GB"_s);
        card.tick(kNow + 10'000);
        QVERIFY(labelTexts(&card).contains(u"TTL 4:20"_s));
    }

    void readyModelsShowTheirUptime()
    {
        // A v251+ host reported 61 s of uptime 4 s ago: the card counts on from there.
        HostState h = host();
        h.models[0].readySinceMs = kNow - 65'000;
        h.models[0].reportedUptimeMs = 61'000;
        h.models[0].uptimeReportedAtMs = kNow - 4'000;
        HostCard card;
        card.setHost(h, {}, kNow);
        QVERIFY2(labelTexts(&card).contains(u"up 1 min 5 s · TTL 4:30"_s), qPrintable(labelTexts(&card).join(u'|')));
        bool tooltip = false;
        for (const QLabel *l : card.findChildren<QLabel *>())
            tooltip = tooltip || l->toolTip().startsWith(u"Ready since "_s);
        QVERIFY(tooltip);
        // Hosts before v251 report nothing: no uptime shown.
        HostCard old;
        old.setHost(host(), {}, kNow);
        QVERIFY(labelTexts(&old).contains(u"TTL 4:30"_s));
    }

    void downHostsAreGreyedWithLastSeen()
    {
        HostCard card;
        HostState h = host();
        h.liveness = Liveness::Down;
        h.lastError = u"connection refused"_s;
        h.lastSeenMs = kNow - 180'000;
        card.setHost(h, {}, kNow);
        QVERIFY(labelTexts(&card).contains(u"last seen 3 min ago · connection refused"_s));
        bool greyed = false;
        for (const QWidget *w : card.findChildren<QWidget *>())
            greyed = greyed || w->graphicsEffect() != nullptr;
        QVERIFY(greyed);
        for (const QToolButton *b : card.findChildren<QToolButton *>())
            QVERIFY(!b->isEnabled()); // no actions on a down host
    }

    void menusRequestActions()
    {
        HostCard card;
        HostState h = host();
        InFlightRequest r;
        r.id = u"17"_s;
        r.model = u"qwen"_s;
        r.timestampMs = kNow - 5000;
        h.inflight = {r};
        h.inflightCount = 1;
        card.setHost(h, {}, kNow);
        QSignalSpy requested(&card, &HostCard::actionRequested);
        QToolButton *modelButton = nullptr;
        for (QToolButton *b : card.findChildren<QToolButton *>()) {
            if (b->toolTip() == u"Actions for qwen"_s)
                modelButton = b;
        }
        QVERIFY(modelButton);
        for (QAction *a : modelButton->menu()->actions()) {
            QVERIFY(a->isEnabled());
            a->trigger();
        }
        QCOMPARE(requested.size(), 2);
        QCOMPARE(requested.at(0).at(0).value<HostAction>().kind, HostAction::Kind::Warm);
        QCOMPARE(requested.at(1).at(0).value<HostAction>().kind, HostAction::Kind::Unload);
        QCOMPARE(requested.at(1).at(0).value<HostAction>().model, u"qwen"_s);

        // The header menu is built when it opens: unload all, and cancel for each in-flight request.
        QToolButton *header = card.findChild<QToolButton *>();
        for (QToolButton *b : card.findChildren<QToolButton *>()) {
            if (b->text() == u"Actions"_s)
                header = b;
        }
        Q_EMIT header->menu()->aboutToShow();
        QMenu *cancel = nullptr;
        for (QAction *a : header->menu()->actions()) {
            if (a->menu())
                cancel = a->menu();
        }
        QVERIFY(cancel);
        QCOMPARE(cancel->actions().size(), 1);
        cancel->actions().constFirst()->trigger();
        QCOMPARE(requested.constLast().at(0).value<HostAction>().kind, HostAction::Kind::Cancel);
        QCOMPARE(requested.constLast().at(0).value<HostAction>().requestId, u"17"_s);
    }

    void jobProgressAndResults()
    {
        HostCard card;
        HostAction a;
        a.id = 1;
        a.hostId = u"gpu1"_s;
        a.kind = HostAction::Kind::Warm;
        a.model = u"llama"_s;
        HostAction b = a;
        b.id = 2;
        b.kind = HostAction::Kind::Unload;
        card.setHost(host(),
                     {ActionJob{a, ActionJob::State::Running, {}, kNow - 2000, {}}, ActionJob{b, ActionJob::State::Queued, {}, kNow, {}}},
                     kNow);
        QCOMPARE(card.jobText(), u"Running: warm llama (2.00 s) · 1 waiting"_s);
        card.setHost(host(), {ActionJob{a, ActionJob::State::Failed, u"HTTP 500: boom"_s, kNow, 100}}, kNow);
        QCOMPARE(card.jobText(), u"Last action: warm llama failed · HTTP 500: boom"_s);
        card.tick(kNow + HostCard::kResultShownMs + 1);
        QCOMPARE(card.jobText(), QString());
    }

    void aSuspectedGapCanBeAcknowledged()
    {
        FleetState fleet;
        FleetModel model(&fleet);
        FleetView view(&model);
        fleet.addHost(u"gpu1"_s, u"GPU box"_s, u"http://gpu1"_s);
        view.resize(HostCard::kWidth + 60, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QCOMPARE(view.cards().size(), 1);
        HostCard *card = view.cards().at(0);
        auto *acknowledge = card->findChild<QToolButton *>(u"acknowledgeGap"_s);
        QVERIFY(acknowledge);
        QVERIFY(acknowledge->isHidden()); // nothing to acknowledge
        QVERIFY(!acknowledge->isEnabled());

        fleet.setGapSuspected(u"gpu1"_s, true, kNow);
        QTRY_VERIFY(acknowledge->isVisible());
        QVERIFY(acknowledge->isEnabled());
        QSignalSpy acknowledged(&view, &FleetView::gapAcknowledged);
        QTest::mouseClick(acknowledge, Qt::LeftButton);
        QCOMPARE(acknowledged.count(), 1);
        QCOMPARE(acknowledged.at(0).at(0).toString(), u"gpu1"_s);

        // What the backend does with it arrives through the fleet: badge and button go.
        fleet.acknowledgeGap(u"gpu1"_s, kNow + 1000);
        QTRY_VERIFY(acknowledge->isHidden());
        bool badgeShown = false;
        for (const StateChip *chip : card->findChildren<StateChip *>())
            badgeShown = badgeShown || (chip->text() == u"gap suspected"_s && !chip->isHidden());
        QVERIFY(!badgeShown);
    }

    void fleetViewReflowsAndFilters()
    {
        FleetState fleet;
        FleetModel model(&fleet);
        FleetView view(&model);
        QLabel *empty = view.findChild<QLabel *>(u"fleetEmpty"_s);
        QVERIFY(empty->text().contains(u"--demo"_s));
        for (const QString &id : {u"a"_s, u"b"_s, u"c"_s})
            fleet.addHost(id, id, u"http://"_s + id);
        QCOMPARE(view.cards().size(), 3);
        view.resize(3 * HostCard::kWidth + 120, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTRY_COMPARE(view.cards().at(2)->y(), view.cards().at(0)->y()); // one line
        view.resize(HostCard::kWidth + 60, 600);
        QTRY_VERIFY(view.cards().at(1)->y() > view.cards().at(0)->y()); // reflowed: one per line
        view.filterField()->setText(u"b"_s);
        QCOMPARE(view.cards().size(), 1);
        QTRY_VERIFY(!view.cards().at(0)->isHidden());
        view.filterField()->setText(u"nothing"_s);
        QTRY_VERIFY(empty->isVisible());
        QCOMPARE(empty->text(), u"No host matches the filter."_s);
    }
};

QTEST_MAIN(TestHostCard)
#include "tst_hostcard.moc"
