#include "core/store/database.h"
#include "core/store/migrations.h"
#include "core/store/requestquery.h"
#include "core/store/rowinserter.h"
#include "tests/common/historyrowfactory.h"
#include "tests/common/testdatabases.h"

#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;
using boo::test::TestDatabase;

class TestRequestQuery : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestDatabase> m_tdb;
    std::unique_ptr<Database> m_db;

    bool prepare(const QList<RequestRow> &rows)
    {
        m_db.reset();
        m_tdb = TestDatabase::createForCurrentRow();
        if (!m_tdb)
            return false;
        m_db = std::move(Database::open(m_tdb->url(), u"test"_s)).value();
        if (!Migrations::migrate(*m_db).ok())
            return false;
        QList<HistoryRow> history;
        for (const RequestRow &row : rows)
            history << HistoryRow{row};
        RowInserter inserter(*m_db);
        return m_db
            ->inTransaction([&]() -> Result<void> {
                auto n = inserter.insert(history, 0);
                if (!n)
                    return n.error();
                return {};
            })
            .ok();
    }

    QList<qint64> swapIds(const RequestFilter &filter)
    {
        QList<qint64> ids;
        RequestFilter f = filter;
        for (;;) {
            auto page = RequestQuery::fetch(*m_db, f);
            if (!page)
                return {-1};
            for (const StoredRequest &r : std::as_const(page->rows))
                ids << r.row.swapEntryId;
            if (!page->nextBeforeId)
                return ids;
            f.beforeId = page->nextBeforeId;
        }
    }

private Q_SLOTS:
    void cleanup()
    {
        m_db.reset();
        m_tdb.reset();
    }

    void pagesNeverSkipOrRepeatRowsWithEqualTimes_data()
    {
        TestDatabase::addDialectColumn();
        TestDatabase::addDialectRows();
    }
    void pagesNeverSkipOrRepeatRowsWithEqualTimes()
    {
        // Ten rows finishing in the same second (activity rows have 1-second precision).
        QList<RequestRow> rows;
        for (int i = 0; i < 10; ++i) {
            RequestRow r = test::makeRequestRow(u"h1"_s, i);
            r.ts = 1'790'000'000'000 + (i < 7 ? 0 : 1000);
            rows << r;
        }
        if (!prepare(rows))
            return;
        RequestFilter filter;
        filter.limit = 3;
        const QList<qint64> ids = swapIds(filter);
        QCOMPARE(ids.size(), 10);
        QCOMPARE(QSet<qint64>(ids.cbegin(), ids.cend()).size(), 10);
        QCOMPARE(ids.mid(0, 3), (QList<qint64>{10, 9, 8})); // the newer second first
    }

    void textSearchIgnoresCaseOnEveryDialect_data()
    {
        TestDatabase::addDialectColumn();
        TestDatabase::addDialectRows();
    }
    void textSearchIgnoresCaseOnEveryDialect()
    {
        RequestRow a = test::makeRequestRow(u"h1"_s, 0);
        a.model = u"Qwen3-Coder"_s;
        RequestRow b = test::makeRequestRow(u"h1"_s, 1);
        b.model = u"llama"_s;
        b.errorMessage = u"CUDA out of memory"_s;
        RequestRow c = test::makeRequestRow(u"h1"_s, 2);
        c.model = u"100%_sure"_s;
        if (!prepare({a, b, c}))
            return;
        RequestFilter filter;
        filter.text = u"qwen3"_s;
        QCOMPARE(swapIds(filter), QList<qint64>{1});
        filter.text = u"cuda OUT"_s;
        QCOMPARE(swapIds(filter), QList<qint64>{2});
        filter.text = u"%_"_s; // literal, not wildcards
        QCOMPARE(swapIds(filter), QList<qint64>{3});
        for (const RequestRow &row : {a, b, c})
            QCOMPARE(RequestQuery::matches(filter, row), row.model == c.model); // the live rows agree
    }
};

QTEST_GUILESS_MAIN(TestRequestQuery)
#include "tst_requestquery.moc"
