#include "core/client/localhistorysource.h"
#include "core/fleet/fleetstate.h"
#include "core/store/database.h"
#include "core/store/migrations.h"
#include "models/activitymodel.h"
#include "models/tokentotalsmodel.h"
#include "tests/common/testdatabases.h"
#include "views/activityview.h"

#include <QComboBox>
#include <QHeaderView>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;
using boo::test::TestDatabase;

class TestActivityView : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.path()); }

    void filtersOpenAndCancel()
    {
        auto tdb = TestDatabase::create(SqlDialect::Sqlite);
        QVERIFY(Migrations::migrate(**Database::open(tdb->url(), u"m"_s)).ok());
        LocalHistorySource history(tdb->url());
        FleetState fleet;
        fleet.addHost(u"h1"_s, u"Host one"_s, u"http://h1"_s);
        ActivityModel model(&fleet, &history);
        TokenTotalsModel totals(&fleet, &history);
        auto view = std::make_unique<ActivityView>(&model, &totals, &fleet);
        QSignalSpy captures(view.get(), &ActivityView::captureRequested);
        QSignalSpy cancels(view.get(), &ActivityView::cancelRequested);

        view->findChild<QComboBox *>()->setCurrentIndex(1); // the first combo: hosts
        view->textFilter()->setText(u"qwen"_s);
        const RequestFilter filter = view->currentFilter();
        QCOMPARE(filter.host, u"h1"_s);
        QCOMPARE(filter.text, u"qwen"_s);
        QVERIFY(filter.sinceMs.has_value());          // "last hour" by default
        QTRY_COMPARE(model.filter().text, u"qwen"_s); // applied after a short pause

        ActivityEntry e;
        e.id = 7;
        e.timestampMs = QDateTime::currentMSecsSinceEpoch();
        e.model = u"qwen3"_s;
        e.respStatusCode = 200;
        e.hasCapture = true;
        fleet.addActivity(u"h1"_s, {e});
        InFlightRequest r;
        r.id = u"9"_s;
        r.model = u"qwen3"_s;
        r.timestampMs = e.timestampMs;
        InFlightUpdate upsert;
        upsert.operation = InFlightUpdate::Operation::Upsert;
        upsert.request = r;
        fleet.applyInFlight(u"h1"_s, upsert);
        model.flushPending();
        QCOMPARE(model.rowCount(), 2);
        Q_EMIT view->table()->doubleClicked(model.index(1, 0));
        QCOMPARE(captures.size(), 1);
        QCOMPARE(captures.at(0).at(1).toLongLong(), 7);
        Q_EMIT view->table()->doubleClicked(model.index(0, 0));
        QCOMPARE(cancels.size(), 1);
        QCOMPARE(cancels.at(0).at(1).toString(), u"9"_s);

        // Filters and column widths persist.
        view->table()->setColumnWidth(ActivityModel::PathColumn, 333);
        view.reset();
        ActivityView again(&model, &totals, &fleet);
        QCOMPARE(again.textFilter()->text(), u"qwen"_s);
        QCOMPARE(again.table()->columnWidth(ActivityModel::PathColumn), 333);
    }
};

QTEST_MAIN(TestActivityView)
#include "tst_activityview.moc"
