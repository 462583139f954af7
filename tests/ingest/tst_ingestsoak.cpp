// The ingest soak: 10 simulated hosts, steady traffic and random faults for 10 minutes, then
// the same promises as tst_ingestfaults (every row each host still holds stored exactly once,
// gap_suspected exactly where rows were lost) plus a report of rows expected vs stored and of
// resident memory at start and end. Opt-in, not part of the default run:
//
//   BOO_SOAK=1 ./scripts/test -R soak            (BOO_SOAK_SECONDS=600 by default)

#include "core/fleet/fleetstate.h"
#include "core/sim/simhost.h"
#include "core/sim/simtrafficspec.h"
#include "core/store/historywriter.h"
#include "tests/common/ingestharness.h"
#include "tests/common/testdatabases.h"

#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;
using boo::test::IngestHarness;
using boo::test::TestDatabase;

namespace {

qint64 residentMb()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong() / 1024;
    }
    return 0;
}

QList<SimHostConfig> soakFleet()
{
    QList<SimHostConfig> configs;
    static const char *const compat[] = {"current", "current", "current", "current", "v250", "v250", "v250", "v235", "v235", "current"};
    for (int i = 0; i < 10; ++i) {
        auto config = SimHostConfig::fromSpec(
            u"name=soak%1,models=alpha:beta:gamma,compat=%2,load-ms=150,ttl-ms=4000,perf-ms=1000,rpm=240"_s.arg(i).arg(
                QLatin1String(compat[i])));
        configs << *config;
    }
    return configs;
}

} // namespace

class TestIngestSoak : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void soak()
    {
        if (!qEnvironmentVariableIntValue("BOO_SOAK"))
            QSKIP("opt-in: set BOO_SOAK=1 (and optionally BOO_SOAK_SECONDS)");
        const int seconds = qEnvironmentVariableIsSet("BOO_SOAK_SECONDS") ? qEnvironmentVariableIntValue("BOO_SOAK_SECONDS") : 600;
        auto tdb = TestDatabase::create(TestDatabase::postgresAdminUrl().isEmpty() ? SqlDialect::Sqlite : SqlDialect::Postgres);
        QVERIFY(tdb);
        IngestHarness h(tdb->url(), soakFleet());
        QVERIFY(h.start().ok());
        QTRY_VERIFY_WITH_TIMEOUT(h.settled(), 30000);
        const qint64 memoryAtStart = residentMb();

        QRandomGenerator random(20261121);
        QElapsedTimer clock;
        clock.start();
        int faults = 0;
        while (clock.elapsed() < seconds * 1000LL) {
            SimHost *host = h.host(u"soak%1"_s.arg(random.bounded(10)));
            switch (random.bounded(6)) {
            case 0: host->dropStreams(); break;
            case 1: host->reloadConfig(); break;
            case 2:
                host->setStalled(true);
                QTest::qWait(1500);
                host->setStalled(false);
                break;
            case 3:
                host->goDown();
                QTest::qWait(1000 + random.bounded(2000));
                (void)host->comeUp();
                break;
            case 4: host->injectMalformedEvent(SimMalformedEvent(random.bounded(4)), 256 * 1024); break;
            case 5:
                // Restarts happen on a host with no request finishing in that very instant; see
                // docs/ingest.md for why a row finished at the moment of a crash cannot be known.
                QTest::qWait(200);
                host->restart(300 + random.bounded(700));
                break;
            }
            ++faults;
            SimTrafficSpec burst;
            burst.count = 20 + random.bounded(60);
            burst.rate = 30;
            burst.timing = SimTrafficSpec::Timing::Instant;
            h.host(u"soak%1"_s.arg(random.bounded(10)))->generateTraffic(burst);
            QTest::qWait(2000 + random.bounded(3000));
        }

        QString why;
        QTRY_VERIFY2_WITH_TIMEOUT(h.settled(&why), qPrintable(why), 60000);
        const qint64 memoryAtEnd = residentMb();
        qsizetype expected = 0, stored = 0, lost = 0;
        for (const IngestHarness::HostReport &r : h.report()) {
            const QString line = u"%1: expected %2, stored %3, lost %4, gap %5"_s.arg(r.host)
                                     .arg(r.produced)
                                     .arg(r.stored)
                                     .arg(r.lost)
                                     .arg(r.gapSuspected);
            qInfo().noquote() << line;
            QVERIFY2(r.heldNotStored == 0 && r.unknown == 0, qPrintable(line));
            QVERIFY2(r.gapSuspected == (r.lost > 0), qPrintable(line));
            expected += r.produced;
            stored += r.stored;
            lost += r.lost;
        }
        qInfo().noquote() << u"soak: %1 s, %2 faults, rows expected %3, stored %4, lost %5 (all flagged); "
                             u"resident memory %6 MB at start, %7 MB at end"_s.arg(seconds)
                                 .arg(faults)
                                 .arg(expected)
                                 .arg(stored)
                                 .arg(lost)
                                 .arg(memoryAtStart)
                                 .arg(memoryAtEnd);
        QCOMPARE(h.writer()->stats().rejected, 0);
        h.stop();
    }
};

int main(int argc, char *argv[])
{
    // QtTest stops a test function after 5 minutes by default; the soak runs 10.
    if (!qEnvironmentVariableIsSet("QTEST_FUNCTION_TIMEOUT"))
        qputenv("QTEST_FUNCTION_TIMEOUT", "1800000");
    QCoreApplication app(argc, argv);
    TestIngestSoak test;
    return QTest::qExec(&test, argc, argv);
}
#include "tst_ingestsoak.moc"
