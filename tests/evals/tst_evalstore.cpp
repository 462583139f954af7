// Eval suites, runs and results in the history database (migration 9; SQLite always, Postgres
// with BOO_TEST_PG), and the pass@k estimator.

#include "core/evals/evalstore.h"
#include "core/evals/evalsuiteparser.h"
#include "core/store/database.h"
#include "core/store/migrations.h"
#include "tests/common/testdatabases.h"

#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace boo;
using boo::test::TestDatabase;

namespace {

EvalSuite suiteFrom(const QByteArray &yaml)
{
    auto suites = EvalSuiteParser::parse(yaml, u"store.yaml"_s);
    if (!suites)
        qFatal("%s", qPrintable(suites.error().message));
    return suites->constFirst();
}

const QByteArray kCodeSuite = "name: py\nversion: 1\nkind: code\nlanguage: python\ntasks:\n"
                              "  - {id: a, prompt: pa, reference: 'x = 1', tests: 'assert x == 1'}\n"
                              "  - {id: b, prompt: pb, tests: 'assert True', timeout_s: 3}\n"
                              "  - {id: c, prompt: pc, tests: 'assert True'}\n";

EvalResult result(const QString &task, const QString &target, int sample, const QString &verdict)
{
    EvalResult r;
    r.taskId = task;
    r.target = target;
    r.sample = sample;
    r.host = u"h1"_s;
    r.answer = u"```python\nx = 1\n```"_s;
    r.verdict = verdict;
    r.detail = verdict == u"passed" ? QString() : u"AssertionError"_s;
    r.ttftMs = 12.5;
    r.tokensPerSecond = 80;
    r.elapsedMs = 140;
    r.createdAtMs = 5000 + sample;
    return r;
}

} // namespace

class TestEvalStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void passAtK_data()
    {
        QTest::addColumn<int>("n");
        QTest::addColumn<int>("c");
        QTest::addColumn<int>("k");
        QTest::addColumn<double>("expected");
        QTest::newRow("none right") << 5 << 0 << 1 << 0.0;
        QTest::newRow("all right") << 5 << 5 << 3 << 1.0;
        QTest::newRow("pass@1 is c/n") << 5 << 2 << 1 << 0.4;
        QTest::newRow("pass@2") << 5 << 2 << 2 << 0.7;                     // 1 - C(3,2)/C(5,2) = 1 - 3/10
        QTest::newRow("pass@3 certain") << 5 << 3 << 3 << 1.0;             // only 2 wrong: 3 draws hit a right one
        QTest::newRow("large n") << 200 << 13 << 10 << 0.4975511147306061; // 1 - C(187,10)/C(200,10), exact integers
    }
    void passAtK()
    {
        QFETCH(int, n);
        QFETCH(int, c);
        QFETCH(int, k);
        QFETCH(double, expected);
        const double value = boo::passAtK(n, c, k);
        QVERIFY2(std::abs(value - expected) < 1e-6, qPrintable(QString::number(value, 'g', 12)));
    }

    void suitesAreVersioned_data()
    {
        TestDatabase::addDialectColumn();
        TestDatabase::addDialectRows();
    }
    void suitesAreVersioned()
    {
        auto tdb = TestDatabase::createForCurrentRow();
        if (!tdb)
            return;
        auto db = std::move(Database::open(tdb->url(), u"test"_s)).value();
        QVERIFY(Migrations::migrate(*db).ok());

        const EvalSuite v1 = suiteFrom(kCodeSuite);
        QVERIFY(EvalStore::saveSuite(*db, v1, 1000).ok());
        QVERIFY(EvalStore::saveSuite(*db, v1, 2000).ok()); // the same content again: nothing new
        QCOMPARE(tdb->count(u"eval_suites"_s), 1);

        // Edited without a new version: refused, the stored version untouched.
        EvalSuite edited = v1;
        edited.tasks[0].tests = u"assert x == 2"_s;
        const auto refused = EvalStore::saveSuite(*db, edited, 3000);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, u"evals.suite_version"_s);
        QVERIFY2(refused.error().message.contains(u"suite py version 1 is already stored"_s), qPrintable(refused.error().message));

        edited.version = 2;
        QVERIFY(EvalStore::saveSuite(*db, edited, 3000).ok());
        QCOMPARE(*EvalStore::versions(*db, u"py"_s), (QList<int>{1, 2}));
        const auto loaded1 = EvalStore::loadSuite(*db, u"py"_s, 1);
        QVERIFY2(loaded1, loaded1 ? "" : qPrintable(loaded1.error().message));
        EvalSuite expected = v1;
        expected.sourceFile.clear();
        expected.sourceLine = 0;
        QCOMPARE(*loaded1, expected);
        QCOMPARE(EvalStore::loadSuite(*db, u"py"_s, 2)->tasks[0].tests, u"assert x == 2"_s);
        QVERIFY(!EvalStore::loadSuite(*db, u"py"_s, 3));

        const auto chat = suiteFrom("name: talk\nkind: chat\njudge: {model: h/judge, temperature: 0.5}\nrubric: r\n"
                                    "tasks: [{id: t, prompt: p}]\n");
        QVERIFY(EvalStore::saveSuite(*db, chat, 1000).ok());
        QCOMPARE(EvalStore::loadSuite(*db, u"talk"_s, 1)->judge, (EvalJudge{u"h/judge"_s, 0.5}));
    }

    void runsScorePassAt1AndK_data()
    {
        TestDatabase::addDialectColumn();
        TestDatabase::addDialectRows();
    }
    void runsScorePassAt1AndK()
    {
        auto tdb = TestDatabase::createForCurrentRow();
        if (!tdb)
            return;
        auto db = std::move(Database::open(tdb->url(), u"test"_s)).value();
        QVERIFY(Migrations::migrate(*db).ok());
        QVERIFY(EvalStore::saveSuite(*db, suiteFrom(kCodeSuite), 1000).ok());

        const QStringList targets{u"h1/good"_s, u"h1/bad"_s, u"auto:code"_s};
        const auto runId = EvalStore::createRun(*db, u"py"_s, 1, targets, 2, 4000);
        QVERIFY2(runId, runId ? "" : qPrintable(runId.error().message));
        // good: every answer passes. bad: task a passes once of two, b and c never (one timeout).
        // auto:code answered nothing (its results are missing).
        for (const QString &task : {u"a"_s, u"b"_s, u"c"_s}) {
            for (int sample = 0; sample < 2; ++sample)
                QVERIFY(EvalStore::addResult(*db, *runId, result(task, u"h1/good"_s, sample, u"passed"_s)).ok());
        }
        QVERIFY(EvalStore::addResult(*db, *runId, result(u"a"_s, u"h1/bad"_s, 0, u"passed"_s)).ok());
        QVERIFY(EvalStore::addResult(*db, *runId, result(u"a"_s, u"h1/bad"_s, 1, u"failed"_s)).ok());
        QVERIFY(EvalStore::addResult(*db, *runId, result(u"b"_s, u"h1/bad"_s, 0, u"failed"_s)).ok());
        QVERIFY(EvalStore::addResult(*db, *runId, result(u"b"_s, u"h1/bad"_s, 1, u"timeout"_s)).ok());
        QVERIFY(EvalStore::addResult(*db, *runId, result(u"c"_s, u"h1/bad"_s, 0, u"killed"_s)).ok());
        QVERIFY(EvalStore::addResult(*db, *runId, result(u"c"_s, u"h1/bad"_s, 1, u"failed"_s)).ok());
        // Written twice (a retried write): kept once, the first one wins.
        QVERIFY(EvalStore::addResult(*db, *runId, result(u"c"_s, u"h1/bad"_s, 1, u"passed"_s)).ok());
        QCOMPARE(tdb->count(u"eval_results"_s), 12);
        QVERIFY(EvalStore::finishRun(*db, *runId, u"finished"_s, 9000).ok());
        QCOMPARE(tdb->count(u"eval_runs"_s, u"status = 'finished' AND finished_at = 9000"_s), 1);

        const auto stored = EvalStore::results(*db, *runId);
        QVERIFY(stored);
        QCOMPARE(stored->size(), 12);
        const EvalResult &first = stored->constFirst(); // ordered by target, task, sample: h1/bad a 0
        QCOMPARE(first.target, u"h1/bad"_s);
        QCOMPARE(first.taskId, u"a"_s);
        QCOMPARE(first.verdict, u"passed"_s);
        QCOMPARE(first.ttftMs, 12.5);
        QCOMPARE(first.tokensPerSecond, 80.0);
        QCOMPARE(first.host, u"h1"_s);
        QVERIFY(!first.score);

        const auto scores = EvalStore::scores(*db, *runId);
        QVERIFY2(scores, scores ? "" : qPrintable(scores.error().message));
        QCOMPARE(scores->size(), 3);
        QCOMPARE(scores->at(0).target, u"h1/good"_s);
        QCOMPARE(scores->at(0).passAt1, 1.0);
        QCOMPARE(scores->at(0).passAtK, 1.0);
        QCOMPARE(scores->at(0).answers, 6);
        QCOMPARE(scores->at(1).target, u"h1/bad"_s);
        QCOMPARE(scores->at(1).passed, 1);
        QVERIFY(std::abs(scores->at(1).passAt1 - (0.5 / 3)) < 1e-9); // a: 1 of 2, b and c: 0
        QVERIFY(std::abs(scores->at(1).passAtK - (1.0 / 3)) < 1e-9); // pass@2: a certain, b and c not
        QCOMPARE(scores->at(1).k, 2);
        QCOMPARE(scores->at(2).target, u"auto:code"_s);
        QCOMPARE(scores->at(2).tasks, 0);
        QCOMPARE(scores->at(2).passAt1, 0.0);
    }
};

QTEST_GUILESS_MAIN(TestEvalStore)
#include "tst_evalstore.moc"
