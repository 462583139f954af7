#include "core/protocol/performancesnapshot.h"
#include "testfixtures.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

class TestPerformance : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fixture();
    void nullArraysAreNotEmptyArrays();
    void disabled();
    void hugeCounters();
    void malformed_data();
    void malformed();
};

void TestPerformance::fixture()
{
    const auto perf = PerformanceSnapshot::fromJson(readFixture(u"api-performance.json"_s));
    QVERIFY2(perf.ok(), perf.ok() ? "" : qPrintable(perf.error().message));
    QVERIFY(perf->enabled);
    QVERIFY(perf->gpuStats.has_value());
    QCOMPARE(perf->gpuStats->size(), 4);
    const GpuSample &gpu0 = perf->gpuStats->at(0);
    QCOMPARE(gpu0.timestampMs, Q_INT64_C(1787416855201)); // 18:40:55.201733916+02:00
    QCOMPARE(gpu0.id, 0);
    QCOMPARE(gpu0.name, u"NVIDIA GeForce RTX 4090"_s);
    QCOMPARE(gpu0.uuid, u"GPU-3f0c1a55-8d2e-4b7a-9c11-5e2f0a9b7c01"_s);
    QCOMPARE(gpu0.tempC, 61);
    QCOMPARE(gpu0.vramTempC, 0);
    QCOMPARE(gpu0.gpuUtilPct, 97.0);
    QCOMPARE(gpu0.memUtilPct, 89.06122781305976);
    QCOMPARE(gpu0.memUsedMb, 21877);
    QCOMPARE(gpu0.memTotalMb, 24564);
    QCOMPARE(gpu0.fanSpeedPct, 48.0);
    QCOMPARE(gpu0.powerDrawW, 402.17);
    const GpuSample &gpu1Late = perf->gpuStats->at(3);
    QCOMPARE(gpu1Late.id, 1);
    QCOMPARE(gpu1Late.timestampMs, Q_INT64_C(1787416860204));
    QCOMPARE(gpu1Late.powerDrawW, 395.88);

    QVERIFY(perf->sysStats.has_value());
    QCOMPARE(perf->sysStats->size(), 2);
    const SystemSample &sys0 = perf->sysStats->at(0);
    QCOMPARE(sys0.timestampMs, Q_INT64_C(1787416855118));
    QCOMPARE(sys0.cpuUtilPerCore, (QList<double>{12.5, 3.1, 100, 4.7, 0, 1.6, 9.4, 2.3}));
    QCOMPARE(sys0.memTotalMb, 128535);
    QCOMPARE(sys0.memUsedMb, 61244);
    QCOMPARE(sys0.memFreeMb, 40218);
    QCOMPARE(sys0.swapTotalMb, 8191);
    QCOMPARE(sys0.swapUsedMb, 0);
    QCOMPARE(sys0.loadAvg1, 1.72);
    QCOMPARE(sys0.loadAvg5, 1.31);
    QCOMPARE(sys0.loadAvg15, 0.94);
    QCOMPARE(sys0.netIo.size(), 2);
    QCOMPARE(sys0.netIo[0].name, u"eno1"_s);
    QCOMPARE(sys0.netIo[0].bytesRecv, Q_UINT64_C(918273645012));
    QCOMPARE(sys0.netIo[0].bytesSent, Q_UINT64_C(12873649122));
    QCOMPARE(sys0.netIo[1].bytesRecv, Q_UINT64_C(0));
    QCOMPARE(perf->sysStats->at(1).timestampMs, Q_INT64_C(1787416860119));
    QCOMPARE(perf->sysStats->at(1).cpuUtilPerCore.at(3), 6.25);
}

void TestPerformance::nullArraysAreNotEmptyArrays()
{
    const auto nulls = PerformanceSnapshot::fromJson(readFixture(u"older/api-performance-nulls.json"_s));
    QVERIFY(nulls.ok());
    QVERIFY(nulls->enabled);
    QVERIFY(!nulls->gpuStats.has_value());
    QVERIFY(!nulls->sysStats.has_value());

    const auto after = PerformanceSnapshot::fromJson(readFixture(u"older/api-performance-after.json"_s));
    QVERIFY2(after.ok(), after.ok() ? "" : qPrintable(after.error().message));
    QVERIFY(after->gpuStats.has_value());
    QVERIFY(after->gpuStats->isEmpty());
    QCOMPARE(after->sysStats->size(), 1);
    QCOMPARE(after->sysStats->at(0).timestampMs, Q_INT64_C(1787417100500));
    QVERIFY(after->sysStats->at(0).netIo.isEmpty()); // "net_io": null
    QVERIFY(*nulls != *after);
}

void TestPerformance::disabled()
{
    const auto perf = PerformanceSnapshot::fromJson(readFixture(u"older/api-performance-disabled.json"_s));
    QVERIFY(perf.ok());
    QVERIFY(!perf->enabled);
    QVERIFY(!perf->gpuStats.has_value());
    QVERIFY(!perf->sysStats.has_value());
}

void TestPerformance::hugeCounters()
{
    // uint64 counters above 2^63 only survive as doubles in Qt's JSON: still positive and large.
    const auto perf = PerformanceSnapshot::fromJson(
        R"({"enabled":true,"sys_stats":[{"timestamp":"2026-08-22T16:45:00Z","net_io":[{"name":"x","bytes_recv":18446744073709549568,"bytes_sent":9223372036854775807}]}]})");
    QVERIFY2(perf.ok(), perf.ok() ? "" : qPrintable(perf.error().message));
    QCOMPARE(perf->sysStats->at(0).netIo.at(0).bytesRecv, Q_UINT64_C(18446744073709549568));
    QCOMPARE(perf->sysStats->at(0).netIo.at(0).bytesSent, Q_UINT64_C(9223372036854775807));
}

void TestPerformance::malformed_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("message");
    QTest::newRow("gpu_stats object") << QByteArray(R"({"enabled":true,"gpu_stats":{}})")
                                      << u"/api/performance: field \"gpu_stats\" is an object, expected an array"_s;
    QTest::newRow("gpu temp string") << QByteArray(R"({"gpu_stats":[{"timestamp":"2026-08-22T16:45:00Z","temp_c":"61"}]})")
                                     << u"gpu sample 0: field \"temp_c\" is a string, expected a number"_s;
    QTest::newRow("gpu timestamp missing") << QByteArray(R"({"gpu_stats":[{"id":0}]})")
                                           << u"gpu sample 0: field \"timestamp\" is missing"_s;
    QTest::newRow("sys core string") << QByteArray(R"({"sys_stats":[{"timestamp":"2026-08-22T16:45:00Z","cpu_util_per_core":[1,"2"]}]})")
                                     << u"system sample 0: field \"cpu_util_per_core[1]\" is a string, expected a number"_s;
    QTest::newRow("negative counter") << QByteArray(
        R"({"sys_stats":[{"timestamp":"2026-08-22T16:45:00Z","net_io":[{"name":"e","bytes_recv":-5}]}]})")
                                      << u"system sample 0 net_io[0]: field \"bytes_recv\" is -5, expected a whole number >= 0"_s;
    QTest::newRow("enabled string") << QByteArray(R"({"enabled":"yes"})") << u"field \"enabled\" is a string, expected a boolean"_s;
    QTest::newRow("plain text 503") << QByteArray("# performance monitor not available\n") << u"/api/performance: invalid JSON"_s;
}

void TestPerformance::malformed()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, message);
    const auto perf = PerformanceSnapshot::fromJson(body);
    QVERIFY(!perf.ok());
    QVERIFY2(perf.error().message.contains(message), qPrintable(perf.error().message));
}

QTEST_GUILESS_MAIN(TestPerformance)
#include "tst_performance.moc"
