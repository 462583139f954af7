#include "core/store/database.h"
#include "core/store/historywriter.h"
#include "core/store/migrations.h"
#include "core/store/retention.h"
#include "core/store/rowinserter.h"
#include "tests/common/historyrowfactory.h"
#include "tests/common/testdatabases.h"

#include <QSignalSpy>
#include <QSqlRecord>
#include <QTest>

#include <map>

using namespace Qt::StringLiterals;
using namespace boo;
using boo::test::TestDatabase;

namespace {

constexpr qint64 kHour = RetentionPolicy::kHourMs;
constexpr qint64 kNow = 1'790'006'400'000 + 17 * 60 * 1000 + 123; // not aligned to anything
constexpr qint64 kStepMs = 15'000;

struct Expected
{
    qint64 samples = 0;
    double tempMin = 1e9, tempMax = -1e9, tempSum = 0;
    double powerMin = 1e9, powerMax = -1e9, powerSum = 0;
};
using BucketKey = std::tuple<QString, int, qint64>;

// Six hours of samples every 15 s for two hosts with two GPUs, with values that vary.
QList<HistoryRow> sixHoursOfSamples()
{
    QList<HistoryRow> rows;
    for (const QString &host : {u"h1"_s, u"h2"_s}) {
        for (int gpu = 0; gpu < 2; ++gpu) {
            for (qint64 ts = kNow - 6 * kHour; ts < kNow; ts += kStepMs) {
                PerfSampleRow s = test::makePerfRow(host, 0, gpu);
                s.ts = ts;
                s.tempC = 30 + double((ts / kStepMs) % 37) + gpu;
                s.powerDrawW = 100 + double((ts / kStepMs) % 91) * 1.5;
                s.gpuUtilPct = gpu == 1 && (ts / kStepMs) % 5 == 0 ? std::nullopt : std::optional<double>(55);
                rows << HistoryRow{s};
            }
        }
    }
    return rows;
}

std::map<BucketKey, Expected> expectedBuckets(const QList<HistoryRow> &rows, qint64 cutoff)
{
    std::map<BucketKey, Expected> buckets;
    for (const HistoryRow &row : rows) {
        const auto &s = std::get<PerfSampleRow>(row);
        if (s.ts >= cutoff)
            continue;
        Expected &e = buckets[{s.providerId, s.gpu, s.ts - s.ts % Retention::kBucketMs}];
        ++e.samples;
        e.tempMin = std::min(e.tempMin, *s.tempC);
        e.tempMax = std::max(e.tempMax, *s.tempC);
        e.tempSum += *s.tempC;
        e.powerMin = std::min(e.powerMin, *s.powerDrawW);
        e.powerMax = std::max(e.powerMax, *s.powerDrawW);
        e.powerSum += *s.powerDrawW;
    }
    return buckets;
}

QList<QVariantList> dumpRollups(Database &db)
{
    QList<QVariantList> dump;
    auto q = db.exec(u"SELECT * FROM control_perf_rollup_5m ORDER BY provider_id, gpu, bucket"_s);
    while (q && q->next()) {
        QVariantList row;
        for (int i = 0; i < q->record().count(); ++i)
            row << q->value(i);
        dump << row;
    }
    return dump;
}

} // namespace

class TestRetention : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestDatabase> m_tdb;
    std::unique_ptr<Database> m_db;

    bool prepare()
    {
        m_db.reset();
        m_tdb = TestDatabase::createForCurrentRow();
        if (!m_tdb)
            return false;
        m_db = std::move(Database::open(m_tdb->url(), u"test"_s)).value();
        return Migrations::migrate(*m_db).ok();
    }

    void insert(const QList<HistoryRow> &rows)
    {
        RowInserter inserter(*m_db);
        QVERIFY(m_db->inTransaction([&]() -> Result<void> {
                        auto n = inserter.insert(rows, kNow);
                        if (!n)
                            return n.error();
                        return {};
                    })
                    .ok());
    }

    qint64 scalar(const QString &sql)
    {
        auto q = m_db->exec(sql);
        return q && q->next() ? q->value(0).toLongLong() : -1;
    }

private Q_SLOTS:
    void cleanup()
    {
        m_db.reset();
        m_tdb.reset();
    }

    void rollsOldSamplesIntoBuckets_data()
    {
        TestDatabase::addDialectColumn();
        TestDatabase::addDialectRows();
    }
    void rollsOldSamplesIntoBuckets()
    {
        if (!prepare())
            return;
        const QList<HistoryRow> samples = sixHoursOfSamples();
        insert(samples);
        RetentionPolicy policy;
        policy.rawPerfMs = 2 * kHour;
        const qint64 cutoff = (kNow - 2 * kHour) - (kNow - 2 * kHour) % kHour;

        const RetentionReport report = Retention::run(*m_db, policy, kNow);
        QVERIFY2(report.error.isEmpty(), qPrintable(report.error));

        const auto expected = expectedBuckets(samples, cutoff);
        qint64 expectedRolled = 0;
        for (const auto &[key, e] : expected)
            expectedRolled += e.samples;
        QCOMPARE(report.rawSamplesRolled, expectedRolled);
        QCOMPARE(report.bucketsTouched, qint64(expected.size()));
        QCOMPARE(report.hostHoursProcessed, 2 * 4); // two hosts, four whole hours before the cutoff
        QCOMPARE(scalar(u"SELECT COUNT(*) FROM control_perf_samples WHERE ts < %1"_s.arg(cutoff)), 0);
        QCOMPARE(scalar(u"SELECT COUNT(*) FROM control_perf_samples"_s), qint64(samples.size()) - expectedRolled);

        auto q = m_db->exec(u"SELECT provider_id, gpu, bucket, samples, temp_c_min, temp_c_avg, temp_c_max, "
                            u"power_draw_w_min, power_draw_w_avg, power_draw_w_max, gpu_util_pct_avg, mem_total_mb_max "
                            u"FROM control_perf_rollup_5m"_s);
        QVERIFY(q.ok());
        int rows = 0;
        while (q->next()) {
            ++rows;
            const BucketKey key{q->value(0).toString(), q->value(1).toInt(), q->value(2).toLongLong()};
            const auto it = expected.find(key);
            QVERIFY2(it != expected.end(), qPrintable(u"unexpected bucket %1"_s.arg(std::get<2>(key))));
            const Expected &e = it->second;
            QCOMPARE(q->value(3).toLongLong(), e.samples);
            QCOMPARE(q->value(4).toDouble(), e.tempMin);
            QVERIFY(qFuzzyCompare(q->value(5).toDouble(), e.tempSum / double(e.samples)));
            QCOMPARE(q->value(6).toDouble(), e.tempMax);
            QCOMPARE(q->value(7).toDouble(), e.powerMin);
            QVERIFY(qFuzzyCompare(q->value(8).toDouble(), e.powerSum / double(e.samples)));
            QCOMPARE(q->value(9).toDouble(), e.powerMax);
            QCOMPARE(q->value(10).toDouble(), 55.0); // NULLs (gpu 1, every 5th sample) do not drag the average
            QCOMPARE(q->value(11).toDouble(), 24564.0);
        }
        QCOMPARE(rows, int(expected.size()));
    }

    void sameWindowTwiceGivesIdenticalRollups_data()
    {
        TestDatabase::addDialectColumn();
        TestDatabase::addDialectRows();
    }
    void sameWindowTwiceGivesIdenticalRollups()
    {
        if (!prepare())
            return;
        insert(sixHoursOfSamples());
        RetentionPolicy policy;
        policy.rawPerfMs = 2 * kHour;
        QVERIFY(Retention::run(*m_db, policy, kNow).error.isEmpty());
        const auto first = dumpRollups(*m_db);
        const qint64 rawLeft = scalar(u"SELECT COUNT(*) FROM control_perf_samples"_s);
        QVERIFY(!first.isEmpty());

        const RetentionReport again = Retention::run(*m_db, policy, kNow);
        QVERIFY(again.error.isEmpty());
        QCOMPARE(again.rawSamplesRolled, 0);
        QCOMPARE(again.bucketsTouched, 0);
        QCOMPARE(dumpRollups(*m_db), first);
        QCOMPARE(scalar(u"SELECT COUNT(*) FROM control_perf_samples"_s), rawLeft);
    }

    void lateSampleMergesIntoItsBucket_data()
    {
        TestDatabase::addDialectColumn();
        TestDatabase::addDialectRows();
    }
    void lateSampleMergesIntoItsBucket()
    {
        if (!prepare())
            return;
        const qint64 bucket = kNow - 5 * kHour - (kNow - 5 * kHour) % Retention::kBucketMs;
        QList<HistoryRow> rows;
        for (int i = 0; i < 3; ++i) {
            PerfSampleRow s = test::makePerfRow(u"h1"_s, 0);
            s.ts = bucket + i * 60'000;
            s.tempC = 40 + i * 10; // 40, 50, 60
            rows << HistoryRow{s};
        }
        insert(rows);
        RetentionPolicy policy;
        policy.rawPerfMs = 2 * kHour;
        QVERIFY(Retention::run(*m_db, policy, kNow).error.isEmpty());

        PerfSampleRow late = test::makePerfRow(u"h1"_s, 0);
        late.ts = bucket + 200'000;
        late.tempC = 90;
        insert({HistoryRow{late}});
        QVERIFY(Retention::run(*m_db, policy, kNow).error.isEmpty());

        auto q = m_db->exec(u"SELECT samples, temp_c_min, temp_c_avg, temp_c_max FROM control_perf_rollup_5m WHERE bucket = ?"_s, {bucket});
        QVERIFY(q.ok() && q->next());
        QCOMPARE(q->value(0).toLongLong(), 4);
        QCOMPARE(q->value(1).toDouble(), 40.0);
        QCOMPARE(q->value(2).toDouble(), 60.0); // (40 + 50 + 60 + 90) / 4
        QCOMPARE(q->value(3).toDouble(), 90.0);
        QVERIFY(!q->next());
    }

    void prunesOldRequestsEventsAndRollupsInChunks_data()
    {
        TestDatabase::addDialectColumn();
        TestDatabase::addDialectRows();
    }
    void prunesOldRequestsEventsAndRollupsInChunks()
    {
        if (!prepare())
            return;
        RetentionPolicy policy;
        policy.requestsMs = 10 * RetentionPolicy::kDayMs;
        policy.modelEventsMs = 5 * RetentionPolicy::kDayMs;
        policy.perfRollupMs = 30 * RetentionPolicy::kDayMs;
        policy.deleteChunkRows = 7; // many small transactions

        QList<HistoryRow> rows;
        for (int day = 0; day < 20; ++day) {
            for (int i = 0; i < 5; ++i) {
                RequestRow r = test::makeRequestRow(u"h1"_s, day * 5 + i);
                r.ts = kNow - day * RetentionPolicy::kDayMs - i;
                ModelEventRow e = test::makeModelEventRow(u"h1"_s, day * 5 + i);
                e.ts = kNow - day * RetentionPolicy::kDayMs - i;
                rows << HistoryRow{r} << HistoryRow{e};
            }
        }
        insert(rows);
        for (int day : {1, 29, 31, 60})
            QVERIFY(m_db->exec(u"INSERT INTO control_perf_rollup_5m (provider_id, gpu, bucket, samples) VALUES ('h1', 0, ?, 1)"_s,
                               {kNow - day * RetentionPolicy::kDayMs})
                        .ok());

        const RetentionReport report = Retention::run(*m_db, policy, kNow);
        QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
        // Older than the window goes; a row exactly at the cutoff (day N, i = 0) stays.
        QCOMPARE(report.requestsPruned, 49);
        QCOMPARE(scalar(u"SELECT COUNT(*) FROM control_requests"_s), 51);
        QCOMPARE(scalar(u"SELECT MIN(ts) FROM control_requests"_s), kNow - 10 * RetentionPolicy::kDayMs);
        QCOMPARE(report.modelEventsPruned, 74);
        QCOMPARE(scalar(u"SELECT COUNT(*) FROM control_model_events"_s), 26);
        QCOMPARE(report.rollupsPruned, 2);
        QCOMPARE(scalar(u"SELECT COUNT(*) FROM control_perf_rollup_5m"_s), 2);
    }

    void writerRunsRetentionOnItsThread_data()
    {
        TestDatabase::addDialectColumn();
        TestDatabase::addDialectRows();
    }
    void writerRunsRetentionOnItsThread()
    {
        if (!prepare())
            return;
        insert(sixHoursOfSamples());
        HistoryWriter writer(m_tdb->url());
        QSignalSpy finished(&writer, &HistoryWriter::retentionFinished);
        writer.start();
        RetentionPolicy policy;
        policy.rawPerfMs = 3 * kHour;
        writer.runRetention(policy, kNow);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
        const auto report = finished.at(0).at(0).value<RetentionReport>();
        QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
        QCOMPARE(report.hostHoursProcessed, 2 * 3);
        QVERIFY(report.rawSamplesRolled > 0);
        writer.stop();
    }
};

QTEST_GUILESS_MAIN(TestRetention)
#include "tst_retention.moc"
