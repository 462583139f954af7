// Bench runs in the history database (SQLite always, Postgres with BOO_TEST_PG), and the
// regression rule against a baseline's spread.

#include "core/bench/benchregression.h"
#include "core/bench/benchstore.h"
#include "core/bench/benchsuiteparser.h"
#include "core/store/database.h"
#include "core/store/migrations.h"
#include "tests/common/testdatabases.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;
using boo::test::TestDatabase;

namespace {

BenchSuite testSuite()
{
    auto suite = BenchSuiteParser::parse("name: store\ntargets: [h/m, auto]\nconcurrency: [1, 4]\nprompt_tokens: 128\nmax_tokens: 8\n"
                                         "repetitions: 3\nwarmup: 1\nrequests: 2\nslo: {ttft_ms: 150}\n",
                                         u"store.yaml"_s);
    if (!suite)
        qFatal("%s", qPrintable(suite.error().message));
    return *suite;
}

// Requests whose TTFT is `ttft[rep]` ms and that decode 8 tokens at 5 ms each; the second of each
// repetition fails when `failing`.
BenchCell cellWith(const BenchSuite &suite, int target, int load, const QList<double> &ttft, bool failing = false)
{
    QList<QList<BenchSample>> reps;
    QList<double> seconds;
    for (qsizetype r = 0; r < ttft.size(); ++r) {
        QList<BenchSample> samples;
        for (int i = 0; i < 2; ++i) {
            BenchSample s;
            s.repetition = int(r);
            s.index = int(r) * 2 + i;
            s.startedAtMs = 1000 + s.index;
            s.status = 200;
            s.host = u"h"_s;
            s.ttftMs = ttft[r] + i;
            s.e2eMs = *s.ttftMs + 35;
            s.itlMs = {5, 5, 5, 5, 5, 5, 5};
            s.outputTokens = 8;
            s.outputTokensFromUsage = true;
            s.promptTokens = 130;
            s.hostPredictedPerSecond = 201.5;
            if (failing && i == 1) {
                s.status = 0;
                s.error = BenchErrorKind::Reset;
                s.errorMessage = u"connection reset"_s;
                s.ttftMs.reset();
            }
            samples << s;
        }
        reps << samples;
        seconds << 0.5;
    }
    BenchCell cell = BenchCell::summarise(suite.targets[target], suite, load, 128, reps, seconds);
    cell.foreignRequests = load == 0 ? std::optional<int>(0) : std::nullopt;
    return cell;
}

BenchRunResult runWith(const QList<double> &ttft, qint64 startedAt, bool failing = false)
{
    BenchRunResult run;
    run.suite = testSuite();
    run.startedAtMs = startedAt;
    run.finishedAtMs = startedAt + 5000;
    run.via = u"direct"_s;
    run.hosts.insert(u"h"_s, BenchHostInfo{u"h"_s, u"v250"_s, {u"NVIDIA GeForce RTX 4090"_s}});
    run.coldStartMs.insert(u"h/m"_s, 812.5);
    run.coldStartErrors.insert(u"auto"_s, u"needs the host's address"_s);
    for (int target = 0; target < 2; ++target) {
        for (int load = 0; load < 2; ++load)
            run.cells << cellWith(run.suite, target, load, ttft, failing && target == 0 && load == 1);
    }
    return run;
}

} // namespace

class TestBenchStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data()
    {
        TestDatabase::addDialectColumn();
        TestDatabase::addDialectRows();
    }
    void roundTrip()
    {
        auto tdb = TestDatabase::createForCurrentRow();
        if (!tdb)
            return;
        auto db = std::move(Database::open(tdb->url(), u"test"_s)).value();
        QVERIFY(Migrations::migrate(*db).ok());

        const BenchRunResult run = runWith({100, 102, 98}, 10000, true);
        const auto id = BenchStore::save(*db, run, u"name: store\n"_s);
        QVERIFY2(id, id ? "" : qPrintable(id.error().message));
        QCOMPARE(tdb->count(u"bench_cells"_s), 4);
        QCOMPARE(tdb->count(u"bench_samples"_s), 4 * 6);
        QCOMPARE(tdb->count(u"bench_suites"_s), 1);

        const auto loaded = BenchStore::load(*db, *id);
        QVERIFY2(loaded, loaded ? "" : qPrintable(loaded.error().message));
        QCOMPARE(loaded->id, *id);
        QCOMPARE(loaded->suite.name, u"store"_s);
        QCOMPARE(loaded->suite.targets, run.suite.targets);
        QCOMPARE(loaded->suite.concurrency, run.suite.concurrency);
        QCOMPARE(loaded->suite.slo, run.suite.slo);
        QCOMPARE(loaded->suite.repetitions, 3);
        QCOMPARE(loaded->startedAtMs, 10000);
        QCOMPARE(loaded->coldStartMs.value(u"h/m"_s), 812.5);
        QCOMPARE(loaded->coldStartErrors.value(u"auto"_s), u"needs the host's address"_s);
        QCOMPARE(loaded->hosts.value(u"h"_s).version, u"v250"_s);
        QCOMPARE(loaded->hosts.value(u"h"_s).gpus, QStringList{u"NVIDIA GeForce RTX 4090"_s});
        QCOMPARE(loaded->cells.size(), 4);
        for (qsizetype i = 0; i < run.cells.size(); ++i) {
            const BenchCell &a = run.cells[i];
            const BenchCell &b = loaded->cells[i];
            QCOMPARE(b.target, a.target);
            QCOMPARE(b.concurrency, a.concurrency);
            QCOMPARE(b.requests, a.requests);
            QCOMPARE(b.errors, a.errors);
            QCOMPARE(b.errorsByKind, a.errorsByKind);
            QCOMPARE(b.ttftMs.count, a.ttftMs.count);
            QVERIFY(qAbs(b.ttftMs.p50 - a.ttftMs.p50) < 0.001);
            QVERIFY(qAbs(b.tpotMs.p90 - a.tpotMs.p90) < 0.001);
            QVERIFY(qAbs(b.reqPerS - a.reqPerS) < 0.001);
            QVERIFY(qAbs(b.goodputReqPerS - a.goodputReqPerS) < 0.001);
            QCOMPARE(b.foreignRequests, a.foreignRequests);
            QCOMPARE(b.flags, a.flags);
            QCOMPARE(b.repetitions.size(), 3);
            QVERIFY(qAbs(b.repetitions[2].ttftP50Ms - a.repetitions[2].ttftP50Ms) < 0.001);
            QVERIFY(b.hostPredictedPerSecond.has_value());
        }
        QCOMPARE(loaded->cells[1].errorsByKind.value(u"reset"_s), 3);
        QVERIFY(loaded->cells[1].flags.contains(u"errors"_s));

        const auto samples = BenchStore::samples(*db, *id, 1);
        QVERIFY(samples);
        QCOMPARE(samples->size(), 6);
        QCOMPARE(samples->at(1).error, BenchErrorKind::Reset);
        QCOMPARE(samples->at(1).errorMessage, u"connection reset"_s);
        QVERIFY(!samples->at(1).ttftMs);
        QCOMPARE(samples->at(0).ttftMs, 100.0);
        QCOMPARE(samples->at(0).promptTokens, 130);

        QVERIFY(!BenchStore::load(*db, *id + 100));
    }

    void baselines_data()
    {
        TestDatabase::addDialectColumn();
        TestDatabase::addDialectRows();
    }
    void baselines()
    {
        auto tdb = TestDatabase::createForCurrentRow();
        if (!tdb)
            return;
        auto db = std::move(Database::open(tdb->url(), u"test"_s)).value();
        QVERIFY(Migrations::migrate(*db).ok());

        const auto first = BenchStore::save(*db, runWith({100, 102, 98}, 1000), QString());
        const auto second = BenchStore::save(*db, runWith({101, 99, 100}, 2000), QString());
        const auto third = BenchStore::save(*db, runWith({130, 131, 129}, 3000), QString());
        QVERIFY(first && second && third);
        // No run marked: the previous run of the suite.
        QCOMPARE(*BenchStore::baselineFor(*db, u"store"_s, *third), std::optional<qint64>(*second));
        QCOMPARE(*BenchStore::baselineFor(*db, u"store"_s, *first), std::optional<qint64>());
        QCOMPARE(*BenchStore::baselineFor(*db, u"other"_s), std::optional<qint64>());
        // A marked baseline wins over the previous run.
        QVERIFY(BenchStore::setBaseline(*db, *first, true).ok());
        QCOMPARE(*BenchStore::baselineFor(*db, u"store"_s, *third), std::optional<qint64>(*first));
        QVERIFY(!BenchStore::setBaseline(*db, 9999, true).ok());

        QVERIFY(BenchStore::recordComparison(*db, *third, *first, 4).ok());
        const auto runs = BenchStore::list(*db);
        QVERIFY(runs);
        QCOMPARE(runs->size(), 3);
        QCOMPARE(runs->at(0).id, *third);
        QCOMPARE(runs->at(0).comparedWith, std::optional<qint64>(*first));
        QCOMPARE(runs->at(0).regressions, 4);
        QCOMPARE(runs->at(0).cells, 4);
        QCOMPARE(runs->at(0).requests, 4 * 6);
        QVERIFY(runs->at(2).baseline);
        QCOMPARE(BenchStore::list(*db, u"other"_s)->size(), 0);

        // Retention drops raw samples of old runs, never a baseline's.
        const auto pruned = BenchStore::pruneSamples(*db, 4000 + 5000 + 1);
        QVERIFY(pruned);
        QCOMPARE(*pruned, 2 * 4 * 6);
        QCOMPARE(tdb->count(u"bench_samples"_s), 4 * 6);
        QCOMPARE(tdb->count(u"bench_cells"_s), 3 * 4);
    }

    // The band is the baseline's own noise (3 standard deviations of its repetitions).
    void regressionRule_data()
    {
        QTest::addColumn<QList<double>>("baseline");
        QTest::addColumn<QList<double>>("current");
        QTest::addColumn<bool>("regressed");
        // Baseline 100 +- 2 (sd of 98, 100, 102): anything above 106 ms regresses.
        QTest::newRow("same") << QList<double>{98, 100, 102} << QList<double>{99, 101, 100} << false;
        QTest::newRow("within the band") << QList<double>{98, 100, 102} << QList<double>{105, 105, 105} << false;
        QTest::newRow("beyond the band") << QList<double>{98, 100, 102} << QList<double>{107, 107, 107} << true;
        QTest::newRow("faster is no regression") << QList<double>{98, 100, 102} << QList<double>{60, 61, 62} << false;
        // A steadier baseline has a tighter band: 100 +- 0.5 flags 102.
        QTest::newRow("steady baseline") << QList<double>{99.5, 100, 100.5} << QList<double>{102, 102, 102} << true;
        // A noisy one a wider band: 100 +- 10 lets 125 pass.
        QTest::newRow("noisy baseline") << QList<double>{90, 100, 110} << QList<double>{125, 125, 125} << false;
    }
    void regressionRule()
    {
        QFETCH(QList<double>, baseline);
        QFETCH(QList<double>, current);
        QFETCH(bool, regressed);
        const BenchRunResult base = runWith(baseline, 1000);
        BenchRunResult run = runWith(current, 2000);
        const QList<BenchRegressionFinding> findings = BenchRegression::compare(run, base);
        bool ttft = false;
        for (const BenchRegressionFinding &f : findings)
            ttft = ttft || f.metric == u"ttft_p50_ms";
        QCOMPARE(ttft, regressed);
        QCOMPARE(run.hasRegression(), !findings.isEmpty());
        QCOMPARE(run.cells[0].flags.contains(u"regression:ttft_p50_ms"_s), regressed);
        if (regressed)
            QVERIFY(findings.constFirst().describe().contains(u"ttft_p50_ms"_s));
    }

    void regressionNeedsSpread()
    {
        const BenchRunResult base = runWith({100}, 1000);
        BenchRunResult run = runWith({500}, 2000);
        QVERIFY(BenchRegression::compare(run, base).isEmpty());
        QVERIFY(run.cells[0].flags.contains(u"baseline_no_spread"_s));

        // A cell the baseline did not measure is said to be new, not judged.
        BenchRunResult other = runWith({100, 101, 99}, 3000);
        other.cells[0].promptTokens = 4096;
        BenchRegression::compare(other, runWith({100, 101, 99}, 1000));
        QVERIFY(other.cells[0].flags.contains(u"no_baseline_cell"_s));
    }

    void throughputRegresses()
    {
        // Same TTFT, but each repetition took twice as long: requests/s and tokens/s halve.
        const BenchRunResult base = runWith({100, 102, 98}, 1000);
        BenchRunResult run = runWith({100, 102, 98}, 2000);
        for (BenchCell &cell : run.cells) {
            for (BenchRepetition &r : cell.repetitions) {
                r.reqPerS /= 2;
                r.outputTokPerS /= 2;
            }
        }
        QStringList metrics;
        for (const BenchRegressionFinding &f : BenchRegression::compare(run, base))
            metrics << f.metric;
        QVERIFY(metrics.contains(u"req_per_s"_s));
        QVERIFY(metrics.contains(u"output_tok_per_s"_s));
        QVERIFY(!metrics.contains(u"ttft_p50_ms"_s));
    }
};

QTEST_GUILESS_MAIN(TestBenchStore)
#include "tst_benchstore.moc"
