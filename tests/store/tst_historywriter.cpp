#include "core/store/database.h"
#include "core/store/historywriter.h"
#include "core/store/migrations.h"
#include "core/store/spillfile.h"
#include "tests/common/historyrowfactory.h"
#include "tests/common/testdatabases.h"

#include <QFile>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;
using boo::test::TestDatabase;

namespace {

HistoryWriterOptions fastOptions()
{
    HistoryWriterOptions options;
    options.flushIntervalMs = 10;
    options.retryMinMs = 50;
    options.retryMaxMs = 200;
    return options;
}

// A SQLite URL whose directory can never be created (it sits below a regular file).
DatabaseUrl unreachableSqlite(const QString &dir)
{
    QFile blocker(dir + u"/not-a-directory"_s);
    blocker.open(QIODevice::WriteOnly);
    DatabaseUrl url;
    url.dialect = SqlDialect::Sqlite;
    url.sqlitePath = blocker.fileName() + u"/history.sqlite"_s;
    return url;
}

} // namespace

class TestHistoryWriter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void storesEveryRowInBatches_data()
    {
        TestDatabase::addDialectColumn();
        TestDatabase::addDialectRows();
    }
    void storesEveryRowInBatches()
    {
        auto tdb = TestDatabase::createForCurrentRow();
        if (!tdb)
            return;
        HistoryWriter writer(tdb->url(), fastOptions());
        QSignalSpy up(&writer, &HistoryWriter::databaseStateChanged);
        writer.start();

        constexpr int kRows = 12000;
        const QList<HistoryRow> rows = test::makeMixedRows(u"h1"_s, kRows);
        for (qsizetype i = 0; i < rows.size(); i += 500)
            writer.append(rows.mid(i, 500));
        QTRY_COMPARE_WITH_TIMEOUT(writer.stats().stored, qint64(kRows), 30000);

        const HistoryWriterStats stats = writer.stats();
        QCOMPARE(stats.accepted, qint64(kRows));
        QCOMPARE(stats.alreadyStored, 0);
        QCOMPARE(stats.rejected, 0);
        QCOMPARE(stats.queued, 0);
        QVERIFY(stats.databaseUp);
        // Batched: far fewer transactions than rows.
        QVERIFY2(stats.transactions <= kRows / 100, qPrintable(QString::number(stats.transactions)));
        QCOMPARE(up.count(), 1);
        QCOMPARE(up.at(0).at(0).toBool(), true);

        QCOMPARE(tdb->count(u"control_requests"_s), qint64(kRows / 3));
        QCOMPARE(tdb->count(u"control_perf_samples"_s), qint64(kRows / 3));
        QCOMPARE(tdb->count(u"control_model_events"_s), qint64(kRows / 3));
        writer.stop();
    }

    void rowsRoundTripWithUnknownValues_data()
    {
        TestDatabase::addDialectColumn();
        TestDatabase::addDialectRows();
    }
    void rowsRoundTripWithUnknownValues()
    {
        auto tdb = TestDatabase::createForCurrentRow();
        if (!tdb)
            return;
        RequestRow row = test::makeRequestRow(u"h1"_s, 0);
        row.cacheTokens.reset();
        row.tokensPerSecond.reset();
        row.promptPerSecond = 1234.5;
        row.errorMessage = u"upstream said no"_s;
        row.source = u"agent-7"_s;
        {
            HistoryWriter writer(tdb->url(), fastOptions());
            writer.start();
            writer.append(HistoryRow{row});
            QTRY_COMPARE(writer.stats().stored, 1);
        }
        auto db = Database::open(tdb->url(), u"check"_s);
        QVERIFY(db.ok());
        auto q = (*db)->exec(u"SELECT cache_tokens, tokens_per_second, prompt_per_second, input_tokens, error_msg, "
                             u"source, metadata, swap_entry_id, ts FROM control_requests"_s);
        QVERIFY(q.ok() && q->next());
        QVERIFY(q->value(0).isNull()); // not reported, not zero
        QVERIFY(q->value(1).isNull());
        QCOMPARE(q->value(2).toDouble(), 1234.5);
        QCOMPARE(q->value(3).toLongLong(), *row.inputTokens);
        QCOMPARE(q->value(4).toString(), u"upstream said no"_s);
        QCOMPARE(q->value(5).toString(), u"agent-7"_s);
        QVERIFY(q->value(6).isNull() || q->value(6).toString() == row.metadataJson);
        QCOMPARE(q->value(7).toLongLong(), row.swapEntryId);
        QCOMPARE(q->value(8).toLongLong(), row.ts);
    }

    void replayedRowsAreNotDuplicated_data()
    {
        TestDatabase::addDialectColumn();
        TestDatabase::addDialectRows();
    }
    void replayedRowsAreNotDuplicated()
    {
        auto tdb = TestDatabase::createForCurrentRow();
        if (!tdb)
            return;
        HistoryWriter writer(tdb->url(), fastOptions());
        writer.start();
        const QList<HistoryRow> rows = test::makeMixedRows(u"h1"_s, 300);
        writer.append(rows);
        writer.append(rows.mid(100, 150)); // a reconnect re-delivers part of what was already sent
        QTRY_COMPARE(writer.stats().stored + writer.stats().alreadyStored, 450);
        QCOMPARE(writer.stats().stored, 300);
        QCOMPARE(writer.stats().alreadyStored, 150);
        writer.stop();
        QCOMPARE(tdb->count(u"control_requests"_s) + tdb->count(u"control_perf_samples"_s) + tdb->count(u"control_model_events"_s),
                 qint64(300));
    }

    void refusedRowIsIsolatedAndReported_data()
    {
        TestDatabase::addDialectColumn();
        TestDatabase::addDialectRows();
    }
    void refusedRowIsIsolatedAndReported()
    {
        auto tdb = TestDatabase::createForCurrentRow();
        if (!tdb)
            return;
        HistoryWriter writer(tdb->url(), fastOptions());
        QSignalSpy rejected(&writer, &HistoryWriter::rowsRejected);
        writer.start();
        QList<HistoryRow> rows = test::makeMixedRows(u"h1"_s, 90);
        RequestRow poison = test::makeRequestRow(u"h1"_s, 1000);
        poison.model = QString(); // NULL into a NOT NULL column
        rows.insert(45, HistoryRow{poison});
        writer.append(rows);
        QTRY_COMPARE(writer.stats().rejected, 1);
        QTRY_COMPARE(writer.stats().stored, 90);
        QTRY_COMPARE(rejected.count(), 1); // queued across threads
        QCOMPARE(rejected.at(0).at(0).toLongLong(), 1);
        QVERIFY(!rejected.at(0).at(1).toString().isEmpty());
        writer.stop();
    }

    void hostEventsAndStatus_data()
    {
        TestDatabase::addDialectColumn();
        TestDatabase::addDialectRows();
    }
    void hostEventsAndStatus()
    {
        auto tdb = TestDatabase::createForCurrentRow();
        if (!tdb)
            return;
        HistoryWriter writer(tdb->url(), fastOptions());
        writer.start();
        const HostStatusRow created{u"h1"_s, u"Host 1"_s, u"llama-swap"_s, u"http://h1"_s, 5000, u"v250"_s, false, {}};
        HostStatusRow newer = created;
        newer.lastSeenAt = 9000;
        newer.version.clear(); // not known in this update: keep the stored one
        newer.gapSuspected = true;
        newer.gapSuspectedAt = 8000;
        HostStatusRow replayedOld = created;
        replayedOld.lastSeenAt = 1000;
        replayedOld.gapSuspected = true;
        writer.append(QList<HistoryRow>{created, newer, replayedOld,
                                        HostEventRow{u"h1"_s, 7000, u"liveness"_s, u"connected -> reconnecting"_s},
                                        HostEventRow{u"h1"_s, 7000, u"liveness"_s, u"connected -> reconnecting"_s},
                                        HostEventRow{u"h1"_s, 7500, u"restart"_s, u"ids went back from 812 to 3"_s}});
        QTRY_COMPARE(writer.stats().stored + writer.stats().alreadyStored, 6);
        writer.stop();
        QCOMPARE(tdb->count(u"control_host_events"_s), 2);
        auto db = Database::open(tdb->url(), u"check"_s);
        QVERIFY(db.ok());
        auto q = (*db)->exec(u"SELECT last_seen_at, version, gap_suspected, gap_suspected_at, name FROM control_hosts"_s);
        QVERIFY(q.ok() && q->next());
        QCOMPARE(q->value(0).toLongLong(), 9000); // never backwards
        QCOMPARE(q->value(1).toString(), u"v250"_s);
        QCOMPARE(q->value(2).toInt(), 1);
        QCOMPARE(q->value(3).toLongLong(), 8000);
        QCOMPARE(q->value(4).toString(), u"Host 1"_s);
    }

    void lockedSqliteKeepsRowsUntilReleased()
    {
        auto tdb = TestDatabase::create(SqlDialect::Sqlite);
        auto blocker = Database::open(tdb->url(), u"blocker"_s);
        QVERIFY(blocker.ok());
        QVERIFY(Migrations::migrate(**blocker).ok());

        HistoryWriter writer(tdb->url(), fastOptions());
        writer.start();
        writer.append(test::makeMixedRows(u"h1"_s, 30));
        QTRY_COMPARE(writer.stats().stored, 30);

        // Another process holds the write lock longer than the busy timeout.
        QVERIFY((*blocker)->exec(u"BEGIN EXCLUSIVE"_s).ok());
        writer.append(test::makeMixedRows(u"h1"_s, 60, 30));
        QTRY_VERIFY_WITH_TIMEOUT(!writer.stats().lastError.isEmpty(), 15000);
        QCOMPARE(writer.stats().stored, 30);
        QCOMPARE(writer.stats().rejected, 0);
        QVERIFY((*blocker)->exec(u"COMMIT"_s).ok());

        QTRY_COMPARE_WITH_TIMEOUT(writer.stats().stored, 90, 15000);
        QCOMPARE(writer.stats().rejected, 0);
        writer.stop();
    }

    void unreachableDatabaseSpillsAndNextStartReplays()
    {
        QTemporaryDir dir;
        auto target = TestDatabase::create(SqlDialect::Sqlite);
        const QString spillPath = dir.filePath(u"history.spill"_s);

        HistoryWriterOptions options = fastOptions();
        options.maxQueuedRows = 100;
        options.spillPath = spillPath;
        {
            HistoryWriter writer(unreachableSqlite(dir.path()), options);
            QSignalSpy state(&writer, &HistoryWriter::databaseStateChanged);
            writer.start();
            QTRY_VERIFY(!state.isEmpty());
            QCOMPARE(state.at(0).at(0).toBool(), false);
            QVERIFY(state.at(0).at(1).toString().contains(u"cannot"_s));

            for (int i = 0; i < 10; ++i) {
                writer.append(test::makeMixedRows(u"h1"_s, 100, i * 100));
                QTest::qWait(20);
            }
            // Memory stays bounded: the overflow went to the file.
            QTRY_VERIFY(writer.stats().spilled > 0);
            QVERIFY(writer.stats().queued <= 2 * options.maxQueuedRows);
            QCOMPARE(writer.stats().stored, 0);
            writer.stop(); // the rest goes to the file too
        }
        QCOMPARE(SpillFile(spillPath).pendingRows(), 1000);

        // Next start, database reachable: everything arrives once and the file is gone.
        HistoryWriter writer(target->url(), options);
        writer.start();
        QTRY_COMPARE_WITH_TIMEOUT(writer.stats().stored, 1000, 15000);
        QTRY_COMPARE(writer.stats().spilled, 0);
        QVERIFY(!QFile::exists(spillPath));
        writer.stop();
        QCOMPARE(target->count(u"control_requests"_s), 334);
        QCOMPARE(target->count(u"control_perf_samples"_s), 333);
        QCOMPARE(target->count(u"control_model_events"_s), 333);
    }

    void tornSpillLineIsSkipped()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"x.spill"_s);
        {
            SpillFile spill(path);
            const QList<HistoryRow> rows = test::makeMixedRows(u"h1"_s, 5);
            QVERIFY(spill.append(rows).ok());
        }
        {
            QFile file(path);
            QVERIFY(file.open(QIODevice::Append));
            file.write("{\"kind\":\"request\",\"provi"); // crash mid-write
        }
        SpillFile spill(path);
        QCOMPARE(spill.pendingRows(), 6);
        QVERIFY(spill.append(test::makeMixedRows(u"h1"_s, 2, 5)).ok());
        const auto rows = spill.peek(100);
        QVERIFY(rows.ok());
        QCOMPARE(rows->size(), 7);
        QCOMPARE(spill.corruptLines(), 1);
        QVERIFY(spill.consumePeeked().ok());
        QCOMPARE(spill.pendingRows(), 0);
        QVERIFY(!QFile::exists(path));
    }
};

QTEST_GUILESS_MAIN(TestHistoryWriter)
#include "tst_historywriter.moc"
