#include "core/evals/codeextraction.h"
#include "core/evals/evalsuiteparser.h"

#include <QTest>

using namespace Qt::StringLiterals;
using boo::EvalKind;
using boo::EvalSuiteParser;

class TestEvalSuiteParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void issueExample()
    {
        const auto suites = EvalSuiteParser::parseFile(QFINDTESTDATA("../data/evals/issue-example.yaml"));
        QVERIFY2(suites, suites ? "" : qPrintable(suites.error().message));
        QCOMPARE(suites->size(), 2);
        const boo::EvalSuite &code = suites->at(0);
        QCOMPARE(code.name, u"py-basics"_s);
        QCOMPARE(code.version, 3);
        QCOMPARE(code.kind, EvalKind::Code);
        QCOMPARE(code.language, u"python"_s);
        QCOMPARE(code.sourceLine, 1);
        QCOMPARE(code.tasks.size(), 1);
        QCOMPARE(code.tasks[0].id, u"add"_s);
        QCOMPARE(code.tasks[0].reference, u"def add(a, b): return a + b\n"_s);
        QCOMPARE(code.tasks[0].tests, u"assert add(1, 2) == 3\nassert add(-1, 1) == 0\n"_s);
        QCOMPARE(code.tasks[0].timeoutS, 5);

        const boo::EvalSuite &chat = suites->at(1);
        QCOMPARE(chat.name, u"support-replies"_s);
        QCOMPARE(chat.kind, EvalKind::Chat);
        QCOMPARE(chat.judge.model, u"gpu-box/qwen3-32b"_s);
        QCOMPARE(chat.judge.temperature, 0.0);
        QVERIFY(chat.rubric.startsWith(u"Score 1-10"_s));
        QVERIFY(chat.rubric.contains(u"{\"score\": n"_s));
        QCOMPARE(chat.tasks.size(), 1);
        QCOMPARE(chat.tasks[0].id, u"refund"_s);
        QVERIFY(chat.tasks[0].tests.isEmpty());
        QCOMPARE(chat.tasks[0].timeoutS, 10); // the default
        QCOMPARE(chat.sourceLine, 15);
    }

    void invalid_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("message");
        const QByteArray code = "name: s\nkind: code\nlanguage: python\n";
        const QByteArray task = "tasks:\n  - id: a\n    prompt: p\n    tests: assert True\n";
        QTest::newRow("empty") << QByteArray("") << u"s.yaml: the file holds no suite"_s;
        QTest::newRow("not yaml") << QByteArray("name: [a\n") << u"s.yaml:2:1: not valid YAML"_s;
        QTest::newRow("unknown key") << code + "colour: red\n" + task << u"s.yaml:4:1: colour: unknown key"_s;
        QTest::newRow("no name") << QByteArray("kind: code\n") << u"s.yaml:1:1: name: is required"_s;
        QTest::newRow("bad kind") << QByteArray("name: s\nkind: quiz\n") << u"s.yaml:2:7: kind: is \"quiz\", expected code or chat"_s;
        QTest::newRow("ruby") << QByteArray("name: s\nkind: code\nlanguage: ruby\n") + task
                              << u"s.yaml:3:11: language: is \"ruby\"; the sandbox runs python only"_s;
        QTest::newRow("no tests") << code + "tasks:\n  - id: a\n    prompt: p\n"
                                  << u"s.yaml:5:5: tasks[0].tests: is required in a code suite"_s;
        QTest::newRow("timeout zero") << code + task + "    timeout_s: 0\n"
                                      << u"s.yaml:8:16: tasks[0].timeout_s: 0 is out of range (1 to 600)"_s;
        QTest::newRow("timeout quoted") << code + task + "    timeout_s: \"5\"\n"
                                        << u"s.yaml:8:16: tasks[0].timeout_s: is the quoted text \"5\", expected a whole number"_s;
        QTest::newRow("duplicate id") << code + task + "  - id: a\n    prompt: q\n    tests: assert 1\n"
                                      << u"s.yaml:8:9: tasks[1].id: \"a\" is used by an earlier task"_s;
        QTest::newRow("bad id") << code + "tasks:\n  - id: a b\n    prompt: p\n    tests: t\n"
                                << u"s.yaml:5:9: tasks[0].id: \"a b\" must be"_s;
        QTest::newRow("no tasks") << code + "tasks: []\n" << u"s.yaml:4:8: tasks: is an empty list"_s;
        QTest::newRow("task unknown key") << code + task + "    answer: x\n" << u"s.yaml:8:5: tasks[0].answer: unknown key"_s;
        QTest::newRow("chat without judge") << QByteArray("name: s\nkind: chat\nrubric: r\ntasks:\n  - id: a\n    prompt: p\n")
                                            << u"s.yaml:1:1: judge: is required"_s;
        QTest::newRow("chat with tests") << QByteArray(
            "name: s\nkind: chat\njudge: {model: h/m}\nrubric: r\ntasks:\n  - id: a\n    prompt: p\n    tests: t\n")
                                         << u"s.yaml:8:12: tasks[0].tests: only code suites have tests"_s;
        QTest::newRow("judge temperature") << QByteArray("name: s\nkind: chat\njudge: {model: h/m, temperature: 3}\nrubric: r\n")
                                           << u"s.yaml:3:34: judge.temperature: 3 is out of range (0 to 2)"_s;
        QTest::newRow("judge with space") << QByteArray("name: s\nkind: chat\njudge: {model: \"a b\"}\nrubric: r\n")
                                          << u"s.yaml:3:16: judge.model: \"a b\" is neither"_s;
        QTest::newRow("code with judge") << code + "judge: {model: h/m}\n" + task << u"s.yaml:4:8: judge: only chat suites have a judge"_s;
        // In a file of several suites the message says which one.
        QTest::newRow("second document") << code + task + "---\nname: t\nkind: code\nlanguage: python\ntasks: 3\n"
                                         << u"s.yaml:12:8: suite 2: tasks: is \"3\", expected a list"_s;
        QTest::newRow("same name twice") << code + task + "---\n" + code + task << u"s.yaml:9:7: suite 2: name: \"s\" is already"_s;
    }

    void invalid()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, message);
        const auto suites = EvalSuiteParser::parse(yaml, u"s.yaml"_s);
        QVERIFY2(!suites, "an invalid suite was accepted");
        QCOMPARE(suites.error().code, u"evals.suite"_s);
        QVERIFY2(suites.error().message.startsWith(message), qPrintable(suites.error().message));
    }

    void missingFile()
    {
        const auto suites = EvalSuiteParser::parseFile(u"/nonexistent/evals.yaml"_s);
        QVERIFY(!suites);
        QVERIFY(suites.error().message.contains(u"/nonexistent/evals.yaml"_s));
    }

    void extractsCode_data()
    {
        QTest::addColumn<QString>("answer");
        QTest::addColumn<QString>("code");
        QTest::newRow("bare") << u"def f():\n    return 1\n"_s << u"def f():\n    return 1\n"_s;
        QTest::newRow("python fence") << u"Here:\n```python\ndef f():\n    return 1\n```\nDone."_s << u"def f():\n    return 1"_s;
        QTest::newRow("py fence after other") << u"```bash\npip install x\n```\nthen\n```py\nx = 1\n```"_s << u"x = 1"_s;
        QTest::newRow("plain fence") << u"```\nx = 2\n```"_s << u"x = 2"_s;
        QTest::newRow("unterminated") << u"```python\nx = 3\ny = 4"_s << u"x = 3\ny = 4"_s;
        QTest::newRow("crlf and indent") << u"  ```Python3\r\n  x = 5\r\n  ```\r\n"_s << u"  x = 5"_s;
    }

    void extractsCode()
    {
        QFETCH(QString, answer);
        QFETCH(QString, code);
        QCOMPARE(boo::extractPythonCode(answer), code);
    }
};

QTEST_GUILESS_MAIN(TestEvalSuiteParser)
#include "tst_evalsuiteparser.moc"
