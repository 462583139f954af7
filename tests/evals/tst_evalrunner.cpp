// The eval runner end to end: a simulated llama-swap host on loopback, watched by a real
// FleetRuntime (SQLite), with three models whose answers are scripted (right, wrong, a program
// that never ends); the runner asks the access gate for a lease, sends the suite's prompts,
// scores the answers in the real sandbox and stores them. And a host someone else holds refuses
// the run before a single prompt goes out.

#include "core/actions/accessgate.h"
#include "core/actions/leasebook.h"
#include "core/evals/evalrunner.h"
#include "core/evals/evalsuiteparser.h"
#include "core/sim/simhost.h"
#include "core/store/database.h"
#include "tests/common/livefleet.h"
#include "tests/sim/simtestsupport.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

namespace {

const QByteArray kSuite = R"(name: py-runner
version: 2
kind: code
language: python
tasks:
  - id: add
    prompt: "Write a Python function add(a, b) that returns a + b."
    tests: |
      assert add(1, 2) == 3
      assert add(-1, 1) == 0
    timeout_s: 2
  - id: reverse
    prompt: "Write a Python function reverse(s) that reverses a string."
    tests: |
      assert reverse("abc") == "cba"
    timeout_s: 2
)";

SimModelConfig scripted(const QString &id, const QList<SimScriptedAnswer> &answers)
{
    SimModelConfig m = simtest::fastModel(id);
    m.group = id; // all three stay loaded
    m.answers = answers;
    return m;
}

SimHostConfig scriptedHost()
{
    SimHostConfig c = simtest::fastHost(u"h1"_s, {});
    c.models << scripted(u"right"_s,
                         {{u"add(a, b)"_s, u"Here it is:\n```python\ndef add(a, b):\n    return a + b\n```\n"_s},
                          {u"reverse(s)"_s, u"def reverse(s):\n    return s[::-1]\n"_s}})
             << scripted(u"wrong"_s,
                         {{u"add(a, b)"_s, u"```python\ndef add(a, b):\n    return a - b\n```"_s},
                          {QString(), u"```python\ndef reverse(s):\n    return s\n```"_s}})
             << scripted(u"loop"_s, {{QString(), u"```python\nwhile True:\n    pass\n```"_s}});
    return c;
}

} // namespace

class TestEvalRunner : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::LiveFleet> m_live;
    std::optional<CodeSandbox> m_sandbox;
    EvalSuite m_suite;

    QList<EvalTargetRoute> routes(const QStringList &models) const
    {
        const quint16 port = m_live->host(u"h1"_s)->port();
        QList<EvalTargetRoute> out;
        for (const QString &model : models) {
            EvalTargetRoute r;
            r.target = u"h1/"_s + model;
            r.providerId = u"h1"_s;
            r.model = model;
            r.endpoint.upstream.providerId = u"h1"_s;
            r.endpoint.upstream.origin = UpstreamOrigin{u"127.0.0.1"_s, port, false};
            r.endpoint.upstream.hostHeader = "127.0.0.1:" + QByteArray::number(port);
            r.endpoint.wireModel = model;
            r.endpoint.providerId = u"h1"_s;
            r.endpoint.source = u"eval:py-runner"_s;
            out << r;
        }
        return out;
    }

    EvalRunOutcome run(const QStringList &models)
    {
        FleetRuntime *rt = m_live->runtime();
        EvalRunner runner(m_suite, routes(models), rt->accessGate(), rt->leases(), rt->database(), *m_sandbox);
        QSignalSpy finished(&runner, &EvalRunner::finished);
        runner.start();
        if (!finished.wait(60000))
            qWarning("the eval run did not finish in 60 s");
        return runner.outcome();
    }

    qint64 count(const QString &sql) const
    {
        auto q = m_live->runtime()->database()->exec(sql);
        return q && q->next() ? q->value(0).toLongLong() : -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        auto sandbox = CodeSandbox::locate();
        if (!sandbox) {
            qWarning("bubblewrap is unusable here, the runner is not tested: %s", qPrintable(sandbox.error().message));
            QSKIP("bubblewrap cannot make a sandbox on this machine");
        }
        m_sandbox.emplace(*sandbox);
        auto suites = EvalSuiteParser::parse(kSuite, u"runner.yaml"_s);
        QVERIFY2(suites, suites ? "" : qPrintable(suites.error().message));
        m_suite = suites->constFirst();
    }

    void init()
    {
        QString error;
        m_live = test::LiveFleet::start({scriptedHost()}, &error);
        QVERIFY2(m_live, qPrintable(error));
        QVERIFY(m_live->waitConnected());
    }

    void cleanup() { m_live.reset(); }

    void scriptedModelsScoreExactly()
    {
        const EvalRunOutcome outcome = run({u"right"_s, u"wrong"_s, u"loop"_s});
        QVERIFY2(outcome.ok(), qPrintable(outcome.errors.join(u"; "_s)));
        QVERIFY(outcome.runId > 0);
        QCOMPARE(outcome.scores.size(), 3);
        QCOMPARE(outcome.scores[0].target, u"h1/right"_s);
        QCOMPARE(outcome.scores[0].passAt1, 1.0);
        QCOMPARE(outcome.scores[1].target, u"h1/wrong"_s);
        QCOMPARE(outcome.scores[1].passAt1, 0.0);
        QCOMPARE(outcome.scores[2].target, u"h1/loop"_s);
        QCOMPARE(outcome.scores[2].passAt1, 0.0);

        // In the database: every answer with its verdict, timings and the answering host.
        Database &db = *m_live->runtime()->database();
        auto results = EvalStore::results(db, outcome.runId);
        QVERIFY(results);
        QCOMPARE(results->size(), 6);
        for (const EvalResult &r : *results) {
            const QString expected = r.target == u"h1/right"_s ? u"passed"_s : r.target == u"h1/wrong"_s ? u"failed"_s : u"timeout"_s;
            QVERIFY2(r.verdict == expected, qPrintable(r.target + u' ' + r.taskId + u": "_s + r.verdict + u' ' + r.detail));
            QCOMPARE(r.host, u"h1"_s);
            QVERIFY(r.ttftMs && *r.ttftMs >= 0);
            QVERIFY(r.tokensPerSecond && *r.tokensPerSecond > 0); // the host's timings
        }
        const auto right = std::find_if(results->begin(), results->end(),
                                        [](const EvalResult &r) { return r.target == u"h1/right"_s && r.taskId == u"add"_s; });
        QVERIFY(right != results->end());
        QVERIFY(right->answer.startsWith(u"Here it is:\n```python\ndef add(a, b):"_s)); // the whole answer, as streamed
        QCOMPARE(count(u"SELECT COUNT(*) FROM eval_runs WHERE status = 'finished'"_s), 1);
        // The lease was released: the host is free again for its next holder.
        auto leases = m_live->runtime()->leases()->active();
        QVERIFY(leases);
        QVERIFY(leases->isEmpty());
    }

    void leasedHostRefusesTheRun()
    {
        HostAccessRequest other;
        other.providerId = u"h1"_s;
        other.model = u"right"_s;
        other.holder = u"bench:someone-else"_s;
        other.purpose = u"benchmark"_s;
        auto held = m_live->runtime()->accessGate()->acquireHostAccess(other);
        QVERIFY(held && held->granted());

        const EvalRunOutcome outcome = run({u"right"_s});
        QVERIFY(!outcome.ok());
        QCOMPARE(outcome.runId, 0);
        QVERIFY2(outcome.errors.join(u' ').contains(u"refused the eval (leased)"_s), qPrintable(outcome.errors.join(u"; "_s)));
        QVERIFY2(outcome.errors.join(u' ').contains(u"bench:someone-else"_s), qPrintable(outcome.errors.join(u"; "_s)));
        QCOMPARE(count(u"SELECT COUNT(*) FROM eval_runs"_s), 0);
        QCOMPARE(count(u"SELECT COUNT(*) FROM eval_results"_s), 0);
    }
};

QTEST_GUILESS_MAIN(TestEvalRunner)
#include "tst_evalrunner.moc"
