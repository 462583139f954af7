// The virtual Activity table over a real SQLite history read on reader threads, and live rows
// from a FleetState: paging, live bursts, de-duplication, filters, in-flight rows, trimming.

#include "core/client/localhistorysource.h"
#include "core/fleet/fleetstate.h"
#include "core/store/database.h"
#include "core/store/migrations.h"
#include "core/store/rowinserter.h"
#include "models/activitymodel.h"
#include "tests/common/historyrowfactory.h"
#include "tests/common/testdatabases.h"

#include <QAbstractItemModelTester>
#include <QColor>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;
using boo::test::TestDatabase;

namespace {

constexpr qint64 kT0 = 1'790'000'000'000;
constexpr int kStored = 1234;

RequestRow storedRow(int i)
{
    RequestRow r = test::makeRequestRow(i % 2 ? u"h2"_s : u"h1"_s, i);
    r.ts = kT0 + i * 1000;
    r.respStatusCode = i % 10 == 9 ? 503 : 200;
    return r;
}

ActivityEntry entry(qint64 id, qint64 ts, const QString &model = u"qwen"_s, int status = 200)
{
    ActivityEntry e;
    e.id = id;
    e.timestampMs = ts;
    e.model = model;
    e.reqPath = u"/v1/chat/completions"_s;
    e.respStatusCode = status;
    e.inputTokens = 10;
    e.outputTokens = 5;
    e.durationMs = 100;
    return e;
}

} // namespace

class TestActivityModel : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestDatabase> m_tdb;
    std::unique_ptr<LocalHistorySource> m_history;
    std::unique_ptr<FleetState> m_fleet;

    // Under QAbstractItemModelTester, which also calls fetchMore() after every change: the
    // whole history is read, page by page, as if the view scrolled to the end.
    std::unique_ptr<ActivityModel> makeModel()
    {
        auto model = std::make_unique<ActivityModel>(m_fleet.get(), m_history.get());
        new QAbstractItemModelTester(model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest, model.get());
        fetchAll(*model);
        return model;
    }

    static void fetchAll(ActivityModel &model)
    {
        QTRY_VERIFY(!model.isFetching());
        while (model.canFetchMore({})) {
            model.fetchMore({});
            QTRY_VERIFY(!model.isFetching());
        }
    }

    static QSet<QString> finishedKeys(const ActivityModel &model)
    {
        QSet<QString> keys;
        for (int row = model.inFlightCount(); row < model.rowCount(); ++row) {
            const QModelIndex i = model.index(row, 0);
            keys.insert(
                u"%1/%2"_s.arg(i.data(ActivityModel::HostIdRole).toString()).arg(i.data(ActivityModel::TimestampRole).toLongLong()));
        }
        return keys;
    }

private Q_SLOTS:
    void init()
    {
        m_tdb = TestDatabase::create(SqlDialect::Sqlite);
        auto db = std::move(Database::open(m_tdb->url(), u"fill"_s)).value();
        QVERIFY(Migrations::migrate(*db).ok());
        QList<HistoryRow> rows;
        for (int i = 0; i < kStored; ++i)
            rows << HistoryRow{storedRow(i)};
        RowInserter inserter(*db);
        QVERIFY(db->inTransaction([&]() -> Result<void> {
                      auto n = inserter.insert(rows, kT0);
                      return n ? Result<void>() : Result<void>(n.error());
                  }).ok());
        m_history = std::make_unique<LocalHistorySource>(m_tdb->url());
        m_fleet = std::make_unique<FleetState>();
        m_fleet->addHost(u"h1"_s, u"Host 1"_s, u"http://h1"_s);
        m_fleet->addHost(u"h2"_s, u"Host 2"_s, u"http://h2"_s);
    }

    void cleanup()
    {
        m_history.reset();
        m_fleet.reset();
        m_tdb.reset();
    }

    // Paging itself, without the model tester (it would fetch every page at once).
    void pagesAsTheViewScrolls()
    {
        ActivityModel model(m_fleet.get(), m_history.get());
        QTRY_COMPARE(model.rowCount(), ActivityModel::kPageSize);
        QCOMPARE(model.index(0, ActivityModel::HostColumn).data().toString(), storedRow(kStored - 1).providerId);
        QCOMPARE(model.index(0, 0).data(ActivityModel::TimestampRole).toLongLong(), storedRow(kStored - 1).ts);
        QCOMPARE(model.index(0, ActivityModel::StatusColumn).data().toInt(), storedRow(kStored - 1).respStatusCode);
        QCOMPARE(model.index(1, ActivityModel::InputColumn).data(ActivityModel::SortRole).toLongLong(),
                 *storedRow(kStored - 2).inputTokens);
        QVERIFY(model.canFetchMore({}));
        model.fetchMore({});
        QVERIFY(!model.canFetchMore({})); // one page at a time
        QTRY_COMPARE(model.rowCount(), 2 * ActivityModel::kPageSize);
        fetchAll(model);
        QCOMPARE(model.rowCount(), kStored);
        QVERIFY(model.isExhausted());
    }

    void wholeHistoryUnderTheModelTester()
    {
        auto model = makeModel();
        QCOMPARE(model->rowCount(), kStored);
        QCOMPARE(finishedKeys(*model).size(), kStored);
        QCOMPARE(model->index(kStored - 1, 0).data(ActivityModel::TimestampRole).toLongLong(), kT0);
        // Captures: the even rows of the factory have one, keyed by the host's activity id.
        const QModelIndex oldest = model->index(kStored - 1, ActivityModel::CaptureColumn);
        QCOMPARE(oldest.data(ActivityModel::CaptureIdRole).toLongLong(), storedRow(0).swapEntryId);
        QVERIFY(!model->index(kStored - 2, 0).data(ActivityModel::CaptureIdRole).isValid());
    }

    void liveBurstIsOneInsertOnTop()
    {
        auto model = makeModel();
        QSignalSpy inserted(model.get(), &QAbstractItemModel::rowsInserted);
        const qint64 now = kT0 + 10'000'000;
        m_fleet->addActivity(u"h1"_s, {entry(5001, now + 1), entry(5002, now + 2), entry(5003, now + 3)});
        m_fleet->addActivity(u"h2"_s, {entry(7001, now + 4), entry(7002, now + 5)});
        QTRY_COMPARE(inserted.size(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), 0);
        QCOMPARE(inserted.at(0).at(2).toInt(), 4);
        QCOMPARE(model->rowCount(), kStored + 5);
        QCOMPARE(model->index(0, 0).data(ActivityModel::TimestampRole).toLongLong(), now + 5); // newest first
        QCOMPARE(model->index(0, ActivityModel::HostColumn).data().toString(), u"h2"_s);
        QCOMPARE(model->index(4, 0).data(ActivityModel::TimestampRole).toLongLong(), now + 1);
        QCOMPARE(model->index(5, 0).data(ActivityModel::TimestampRole).toLongLong(), storedRow(kStored - 1).ts);
    }

    void clientAbortsAndCallerTags()
    {
        auto model = makeModel();
        const qint64 now = kT0 + 10'000'000;
        ActivityEntry aborted = entry(5001, now + 1, u"qwen"_s, 499);
        aborted.errorMessage = u"client disconnected before response"_s;
        aborted.src = u"xff:10.1.2.3"_s;
        m_fleet->addActivity(u"h1"_s, {aborted, entry(5002, now + 2, u"qwen"_s, 502)});
        QTRY_COMPARE(model->rowCount(), kStored + 2);
        const QModelIndex failed = model->index(0, ActivityModel::StatusColumn);
        const QModelIndex abort = model->index(1, ActivityModel::StatusColumn);
        QCOMPARE(abort.data().toInt(), 499);
        // An abort is not painted as an error; a 502 is.
        QCOMPARE(failed.data(Qt::ForegroundRole).value<QColor>(), QColor(0xd6, 0x3b, 0x3b));
        QCOMPARE(abort.data(Qt::ForegroundRole).value<QColor>(), QColor(0x80, 0x80, 0x80));
        QVERIFY(abort.data(Qt::ToolTipRole).toString().contains(u"not an error"_s));
        const QModelIndex source = model->index(1, ActivityModel::SourceColumn);
        QCOMPARE(source.data().toString(), u"xff:10.1.2.3"_s);
        QVERIFY(source.data(Qt::ToolTipRole).toString().contains(u"xff:10.1.2.3"_s));
    }

    void storedCopiesOfLiveRowsAreDropped()
    {
        // Without the tester: the live row must arrive before its stored copy's page.
        ActivityModel model(m_fleet.get(), m_history.get());
        QTRY_COMPARE(model.rowCount(), ActivityModel::kPageSize);
        // The oldest stored row arrives live too (a reconcile after a reconnect).
        const RequestRow old = storedRow(0);
        m_fleet->addActivity(old.providerId, {entry(old.swapEntryId, old.ts, old.model)});
        model.flushPending();
        QCOMPARE(model.rowCount(), ActivityModel::kPageSize + 1);
        fetchAll(model);
        QCOMPARE(model.rowCount(), kStored);
        QCOMPARE(finishedKeys(model).size(), kStored);
    }

    void filtersApplyToHistoryAndLiveRows()
    {
        auto model = makeModel();
        RequestFilter filter;
        filter.host = u"h2"_s;
        filter.statusClass = 5;
        model->setFilter(filter);
        fetchAll(*model);
        int expected = 0;
        for (int i = 0; i < kStored; ++i)
            expected += storedRow(i).providerId == u"h2"_s && storedRow(i).respStatusCode >= 500;
        QCOMPARE(model->rowCount(), expected);
        for (int row = 0; row < model->rowCount(); ++row) {
            QCOMPARE(model->index(row, ActivityModel::HostColumn).data().toString(), u"h2"_s);
            QVERIFY(model->index(row, ActivityModel::StatusColumn).data().toInt() >= 500);
        }
        const qint64 now = kT0 + 10'000'000;
        m_fleet->addActivity(u"h1"_s, {entry(1, now, u"qwen"_s, 500)});     // other host
        m_fleet->addActivity(u"h2"_s, {entry(2, now + 1, u"qwen"_s, 200)}); // not an error
        m_fleet->addActivity(u"h2"_s, {entry(3, now + 2, u"qwen"_s, 502)});
        model->flushPending();
        QCOMPARE(model->rowCount(), expected + 1);
        QCOMPARE(model->index(0, 0).data(ActivityModel::TimestampRole).toLongLong(), now + 2);
    }

    void textSearchReadsGrowingSpans()
    {
        // The stored rows are weeks old: the newest day holds none of them, so the search has
        // to go back span by span, on its own, until it finds them.
        ActivityModel model(m_fleet.get(), m_history.get());
        RequestFilter filter;
        filter.text = u"QWEN3"_s; // the factory's odd rows; case does not matter
        model.setFilter(filter);
        QVERIFY(model.searchedSinceMs().has_value());
        QCOMPARE(*model.searchedSinceMs() / 1000, (QDateTime::currentMSecsSinceEpoch() - ActivityModel::kSearchWindowMs) / 1000);
        QTRY_VERIFY_WITH_TIMEOUT(model.rowCount() > 0, 10000);
        fetchAll(model);
        QCOMPARE(model.rowCount(), kStored / 2);
        QVERIFY(!model.searchedSinceMs().has_value());
        for (int row = 0; row < model.rowCount(); ++row)
            QCOMPARE(model.index(row, ActivityModel::ModelColumn).data().toString(), u"qwen3-30b-a3b"_s);
        QCOMPARE(finishedKeys(model).size(), kStored / 2);
    }

    void inFlightRequestsOnTop()
    {
        auto model = makeModel();
        InFlightRequest r;
        r.id = u"42"_s;
        r.model = u"qwen"_s;
        r.reqPath = u"/v1/chat/completions"_s;
        r.timestampMs = QDateTime::currentMSecsSinceEpoch() - 3000;
        r.respBytes = 2048;
        InFlightUpdate upsert;
        upsert.operation = InFlightUpdate::Operation::Upsert;
        upsert.request = r;
        m_fleet->applyInFlight(u"h1"_s, upsert);
        model->flushPending();
        QCOMPARE(model->inFlightCount(), 1);
        QCOMPARE(model->rowCount(), kStored + 1);
        const QModelIndex top = model->index(0, ActivityModel::StatusColumn);
        QCOMPARE(top.data(ActivityModel::RowKindRole).toInt(), int(ActivityModel::RowKind::InFlight));
        QCOMPARE(top.data(ActivityModel::InFlightIdRole).toString(), u"42"_s);
        QVERIFY2(top.data().toString().contains(u"2.0 KB"_s), qPrintable(top.data().toString()));
        QVERIFY(model->index(0, ActivityModel::DurationColumn).data(ActivityModel::SortRole).toLongLong() >= 3000);

        InFlightUpdate remove;
        remove.operation = InFlightUpdate::Operation::Remove;
        remove.removedId = u"42"_s;
        m_fleet->applyInFlight(u"h1"_s, remove);
        model->flushPending();
        QCOMPARE(model->inFlightCount(), 0);
        QCOMPARE(model->index(0, 0).data(ActivityModel::RowKindRole).toInt(), int(ActivityModel::RowKind::Finished));
    }

    void trimmedRowsComeBackWhenScrolling()
    {
        auto model = makeModel();
        model->setMaxRows(700);
        // 300 live rows push the oldest out of the window...
        QList<ActivityEntry> live;
        for (int i = 0; i < 300; ++i)
            live << entry(9000 + i, kT0 + 10'000'000 + i);
        m_fleet->addActivity(u"h1"_s, live);
        model->flushPending();
        // ...and scrolling on (the tester fetches at once) continues right after the last row
        // kept: nothing lost, nothing twice.
        fetchAll(*model);
        QCOMPARE(model->rowCount(), kStored + 300);
        QCOMPARE(finishedKeys(*model).size(), kStored + 300);
        QCOMPARE(model->index(model->rowCount() - 1, 0).data(ActivityModel::TimestampRole).toLongLong(), kT0);
    }

    void trimmedAfterALiveRow()
    {
        // The cursor after a live row (no stored id yet) is its finish time.
        ActivityModel model(m_fleet.get(), m_history.get());
        model.setMaxRows(200);
        QTRY_COMPARE(model.rowCount(), ActivityModel::kPageSize);
        QList<ActivityEntry> live;
        for (int i = 0; i < 250; ++i)
            live << entry(9000 + i, kT0 + 10'000'000 + i);
        m_fleet->addActivity(u"h1"_s, live);
        model.flushPending();
        QCOMPARE(model.rowCount(), 200);
        QVERIFY(model.canFetchMore({}));
        fetchAll(model);
        // The 50 live rows that were let go are not stored here (no writer): what comes back
        // is the stored history after them.
        QCOMPARE(model.rowCount(), 200 + kStored);
        QCOMPARE(finishedKeys(model).size(), 200 + kStored);
    }
};

QTEST_MAIN(TestActivityModel)
#include "tst_activitymodel.moc"
