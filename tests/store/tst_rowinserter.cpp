// RowInserter splits a batch into power-of-two chunks: every row lands exactly once, whatever
// the batch size, and replaying a batch adds nothing.
#include "core/store/database.h"
#include "core/store/migrations.h"
#include "core/store/rowinserter.h"
#include "tests/common/historyrowfactory.h"
#include "tests/common/testdatabases.h"

#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;
using boo::test::TestDatabase;

class TestRowInserter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyBatchSizeStoresEveryRowOnce_data()
    {
        TestDatabase::addDialectColumn();
        TestDatabase::addDialectRows();
    }
    void everyBatchSizeStoresEveryRowOnce()
    {
        auto tdb = TestDatabase::createForCurrentRow();
        if (!tdb)
            return;
        auto db = std::move(Database::open(tdb->url(), u"test"_s)).value();
        QVERIFY(Migrations::migrate(*db).ok());
        RowInserter inserter(*db);

        // Sizes around the chunk boundaries, and one that needs every chunk size (255 = 128+...+1).
        qint64 nextId = 0;
        qint64 expected = 0;
        for (const int size : {1, 3, 127, 128, 129, 255, 300}) {
            QList<HistoryRow> batch;
            for (int i = 0; i < size; ++i)
                batch << HistoryRow{test::makeRequestRow(u"h1"_s, nextId++)};
            auto stored = db->inTransaction([&]() -> Result<void> {
                auto n = inserter.insert(batch, 0);
                if (!n)
                    return n.error();
                if (*n != size)
                    return makeError(u"test"_s, u"batch of %1 stored %2 new rows"_s.arg(size).arg(*n));
                auto again = inserter.insert(batch, 0);
                if (!again)
                    return again.error();
                if (*again != 0)
                    return makeError(u"test"_s, u"replaying a batch of %1 stored %2 rows again"_s.arg(size).arg(*again));
                return {};
            });
            // Qt 6.4 evaluates the message even when the check passes: no error() of an ok result.
            QVERIFY2(stored.ok(), qPrintable(stored.ok() ? QString() : stored.error().message));
            expected += size;
        }
        auto count = db->exec(u"SELECT COUNT(*), COUNT(DISTINCT swap_entry_id) FROM control_requests"_s);
        QVERIFY(count && count->next());
        QCOMPARE(count->value(0).toLongLong(), expected);
        QCOMPARE(count->value(1).toLongLong(), expected);
    }
};

QTEST_GUILESS_MAIN(TestRowInserter)
#include "tst_rowinserter.moc"
