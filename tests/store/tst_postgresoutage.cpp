// Stops and restarts the real test Postgres while rows stream in: nothing may be lost, nothing
// stored twice. Runs alone (RUN_SERIAL) because it takes the shared server away.

#include "core/store/historywriter.h"
#include "tests/common/historyrowfactory.h"
#include "tests/common/testdatabases.h"

#include <QProcess>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace boo;
using boo::test::TestDatabase;

class TestPostgresOutage : public QObject
{
    Q_OBJECT

    static bool control(const QString &action)
    {
        const QString ctl = TestDatabase::postgresControlCommand();
        QStringList args{action};
        if (action == u"stop"_s)
            args << u"-m"_s << u"fast"_s;
        return QProcess::execute(ctl, args) == 0;
    }

private Q_SLOTS:
    void rowsSurviveServerRestart()
    {
        if (TestDatabase::postgresControlCommand().isEmpty()) {
            if (qEnvironmentVariableIntValue("BOO_TEST_PG_REQUIRED"))
                QFAIL("BOO_TEST_PG_CTL is needed to stop and start the test Postgres");
            QSKIP("needs BOO_TEST_PG and BOO_TEST_PG_CTL (./scripts/test sets both)");
        }
        auto tdb = TestDatabase::create(SqlDialect::Postgres);
        QVERIFY(tdb);

        HistoryWriterOptions options;
        options.flushIntervalMs = 10;
        options.retryMinMs = 50;
        options.retryMaxMs = 400;
        options.maxQueuedRows = 300; // small, so that the outage also exercises the spill file
        options.spillPath = tdb->directory() + u"/outage.spill"_s;
        HistoryWriter writer(tdb->url(), options);
        QSignalSpy states(&writer, &HistoryWriter::databaseStateChanged);
        writer.start();

        // A steady producer, like connectors during traffic: 30 rows every 10 ms.
        qint64 produced = 0;
        QTimer producer;
        connect(&producer, &QTimer::timeout, this, [&] {
            writer.append(test::makeMixedRows(u"h1"_s, 30, produced));
            produced += 30;
        });
        producer.start(10);

        QTRY_VERIFY_WITH_TIMEOUT(writer.stats().stored > 500, 10000);
        QVERIFY(control(u"stop"_s));
        QTRY_VERIFY_WITH_TIMEOUT(!writer.stats().databaseUp, 10000);
        const qint64 storedAtOutage = writer.stats().stored;
        QTest::qWait(1500);                                    // rows keep coming while the server is away
        QVERIFY(writer.stats().stored - storedAtOutage < 200); // at most a batch in flight at the stop
        QVERIFY2(writer.stats().spilled > 0, "the outage should have overflowed into the spill file");

        QVERIFY(control(u"start"_s));
        QTest::qWait(300);
        producer.stop();

        QTRY_COMPARE_WITH_TIMEOUT(writer.stats().stored + writer.stats().alreadyStored, produced, 30000);
        QCOMPARE(writer.stats().queued, 0);
        QCOMPARE(writer.stats().spilled, 0);
        QCOMPARE(writer.stats().rejected, 0);
        QVERIFY(writer.stats().databaseUp);
        writer.stop();

        // Every produced row exactly once.
        const qint64 third = produced / 3;
        QCOMPARE(tdb->count(u"control_requests"_s), third);
        QCOMPARE(tdb->count(u"control_perf_samples"_s), third);
        QCOMPARE(tdb->count(u"control_model_events"_s), third);
        QCOMPARE(tdb->count(u"(SELECT DISTINCT provider_id, swap_entry_id, ts FROM control_requests) AS d"_s), third);

        // The state changes told the story: up, down, up.
        QVERIFY(states.size() >= 3);
        QCOMPARE(states.first().at(0).toBool(), true);
        QCOMPARE(states.at(1).at(0).toBool(), false);
        QCOMPARE(states.last().at(0).toBool(), true);
    }
};

QTEST_GUILESS_MAIN(TestPostgresOutage)
#include "tst_postgresoutage.moc"
