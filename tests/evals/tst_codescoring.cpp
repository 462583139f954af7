// Model answers to a code suite scored in the real sandbox and stored: three scripted "models"
// (right, mostly wrong, looping) give exactly the pass@1 and pass@k their answers deserve.

#include "core/evals/codescoring.h"
#include "core/evals/evalstore.h"
#include "core/evals/evalsuiteparser.h"
#include "core/store/database.h"
#include "core/store/migrations.h"
#include "tests/common/testdatabases.h"

#include <QTest>

#include <cmath>
#include <optional>

using namespace Qt::StringLiterals;
using namespace boo;
using boo::test::TestDatabase;

namespace {

const QByteArray kSuite = R"(name: py-small
version: 1
kind: code
language: python
tasks:
  - id: add
    prompt: "Write add(a, b)."
    tests: |
      assert add(1, 2) == 3
      assert add(-1, 1) == 0
    timeout_s: 1
  - id: reverse
    prompt: "Write reverse(s)."
    tests: |
      assert reverse("abc") == "cba"
    timeout_s: 1
  - id: even
    prompt: "Write is_even(n)."
    tests: |
      assert is_even(4) and not is_even(7)
    timeout_s: 1
)";

// What each scripted model answers, per task: fenced, bare, prose around code, as models do.
QString answerOf(const QString &model, int task, int sample)
{
    if (model == u"sim/right") {
        static const QStringList right{
            u"Here you go:\n```python\ndef add(a, b):\n    return a + b\n```\n"_s,
            u"def reverse(s):\n    return s[::-1]\n"_s,
            u"```py\ndef is_even(n):\n    return n % 2 == 0\n```"_s,
        };
        return right[task];
    }
    if (model == u"sim/wrong") {
        if (task == 0 && sample == 0)
            return u"```python\ndef add(a, b):\n    return a + b\n```"_s;
        static const QStringList wrong{
            u"```python\ndef add(a, b):\n    return a - b\n```"_s,
            u"```python\ndef reverse(s):\n    return s\n```"_s,
            u"I cannot write code for that."_s,
        };
        return wrong[task];
    }
    return u"```python\nwhile True:\n    pass\n```"_s; // sim/loop
}

} // namespace

class TestCodeScoring : public QObject
{
    Q_OBJECT

    std::optional<CodeSandbox> m_sandbox;

private Q_SLOTS:
    void initTestCase()
    {
        auto sandbox = CodeSandbox::locate();
        if (!sandbox) {
            qWarning("bubblewrap is unusable here, scoring is not tested: %s", qPrintable(sandbox.error().message));
            QSKIP("bubblewrap cannot make a sandbox on this machine");
        }
        m_sandbox.emplace(*sandbox);
    }

    void passAt1IsExact()
    {
        const auto suites = EvalSuiteParser::parse(kSuite, u"small.yaml"_s);
        QVERIFY2(suites, suites ? "" : qPrintable(suites.error().message));
        const EvalSuite &suite = suites->constFirst();
        const QStringList targets{u"sim/right"_s, u"sim/wrong"_s, u"sim/loop"_s};

        QList<CodeAnswer> answers;
        for (const QString &target : targets) {
            for (int task = 0; task < 3; ++task) {
                for (int sample = 0; sample < 2; ++sample)
                    answers << CodeAnswer{task, target, sample, u"h1"_s, answerOf(target, task, sample), 20.0, 50.0};
            }
        }
        const QList<EvalResult> results = scoreCodeAnswers(suite, answers, *m_sandbox, 4, 7000);
        QCOMPARE(results.size(), answers.size());
        QStringList verdicts;
        for (const EvalResult &r : results)
            verdicts << r.verdict;
        QCOMPARE(verdicts.mid(0, 6), QStringList(6, u"passed"_s));
        QCOMPARE(verdicts.mid(6, 6), (QStringList{u"passed"_s, u"failed"_s, u"failed"_s, u"failed"_s, u"failed"_s, u"failed"_s}));
        QCOMPARE(verdicts.mid(12, 6), QStringList(6, u"timeout"_s));
        QVERIFY2(results[7].detail.contains(u"AssertionError"_s), qPrintable(results[7].detail));
        QVERIFY2(results[10].detail.contains(u"SyntaxError"_s), qPrintable(results[10].detail)); // prose is not code
        QCOMPARE(results[0].taskId, u"add"_s);
        QCOMPARE(results[0].ttftMs, 20.0);

        auto tdb = TestDatabase::create(SqlDialect::Sqlite);
        QVERIFY(tdb);
        auto db = std::move(Database::open(tdb->url(), u"test"_s)).value();
        QVERIFY(Migrations::migrate(*db).ok());
        QVERIFY(EvalStore::saveSuite(*db, suite, 1000).ok());
        const auto runId = EvalStore::createRun(*db, suite.name, suite.version, targets, 2, 2000);
        QVERIFY(runId);
        for (const EvalResult &r : results)
            QVERIFY(EvalStore::addResult(*db, *runId, r).ok());
        const auto scores = EvalStore::scores(*db, *runId);
        QVERIFY(scores);
        QCOMPARE(scores->size(), 3);
        QCOMPARE(scores->at(0).passAt1, 1.0);
        QVERIFY(std::abs(scores->at(1).passAt1 - 1.0 / 6) < 1e-9);
        QVERIFY(std::abs(scores->at(1).passAtK - 1.0 / 3) < 1e-9);
        QCOMPARE(scores->at(2).passAt1, 0.0);
        QCOMPARE(scores->at(2).answers, 6);
    }
};

QTEST_GUILESS_MAIN(TestCodeScoring)
#include "tst_codescoring.moc"
