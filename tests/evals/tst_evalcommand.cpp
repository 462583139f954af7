#include "core/evals/codesandbox.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run boocontrol(const QStringList &args)
{
    QProcess process;
    process.start(QStringLiteral(BOO_EXECUTABLE), QStringList{u"eval"_s} + args);
    Run run;
    if (!process.waitForFinished(120000)) {
        process.kill();
        process.waitForFinished();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

QJsonArray tasksOf(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object().value(u"tasks"_s).toArray();
}

} // namespace

// `boocontrol eval --check-suite` as a user runs it: the program, real suite files, the sandbox.
class TestEvalCommand : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        if (auto sandbox = boo::CodeSandbox::locate(); !sandbox) {
            qWarning("bubblewrap is unusable here, eval --check-suite is not tested: %s", qPrintable(sandbox.error().message));
            QSKIP("bubblewrap cannot make a sandbox on this machine");
        }
    }

    void goodSuitePasses()
    {
        const QString json = m_dir.filePath(u"good.json"_s);
        const Run run = boocontrol({u"--check-suite"_s, QFINDTESTDATA("../data/evals/good.yaml"), u"--json"_s, json});
        QVERIFY2(run.exitCode == 0, QByteArray(run.out + run.err).constData());
        QVERIFY2(run.out.contains("py-good/add  passed"), run.out);
        QVERIFY2(run.out.contains("2 of 2 references passed"), run.out);
        const QJsonArray tasks = tasksOf(json);
        QCOMPARE(tasks.size(), 2);
        QCOMPARE(tasks[0][u"id"_s].toString(), u"add"_s);
        QCOMPARE(tasks[0][u"verdict"_s].toString(), u"passed"_s);
        QCOMPARE(tasks[0][u"detail"_s].toString(), QString());
        QCOMPARE(tasks[1][u"id"_s].toString(), u"fizzbuzz"_s);
        QCOMPARE(tasks[1][u"verdict"_s].toString(), u"passed"_s);
    }

    void brokenReferenceFails()
    {
        const QString json = m_dir.filePath(u"broken.json"_s);
        const Run run = boocontrol(
            {u"--check-suite"_s, QFINDTESTDATA("../data/evals/broken-reference.yaml"), u"--json"_s, json, u"--concurrency"_s, u"1"_s});
        QVERIFY2(run.exitCode == 1, QByteArray(run.out + run.err).constData());
        const QJsonArray tasks = tasksOf(json);
        QCOMPARE(tasks.size(), 2);
        QCOMPARE(tasks[0][u"verdict"_s].toString(), u"passed"_s);
        QCOMPARE(tasks[1][u"id"_s].toString(), u"reverse"_s);
        QCOMPARE(tasks[1][u"verdict"_s].toString(), u"failed"_s);
        QVERIFY2(tasks[1][u"detail"_s].toString().contains(u"AssertionError: reverse('abc') should be 'cba'"_s),
                 qPrintable(tasks[1][u"detail"_s].toString()));
        QVERIFY2(run.out.contains("1 of 2 references passed"), run.out);
    }

    void jsonToStdout()
    {
        const Run run = boocontrol({u"--check-suite"_s, QFINDTESTDATA("../data/evals/issue-example.yaml"), u"--json"_s, u"-"_s});
        QVERIFY2(run.exitCode == 0, QByteArray(run.out + run.err).constData());
        const QJsonArray tasks = QJsonDocument::fromJson(run.out).object().value(u"tasks"_s).toArray();
        QCOMPARE(tasks.size(), 1); // the chat suite has nothing to run
        QCOMPARE(tasks[0][u"verdict"_s].toString(), u"passed"_s);
        QVERIFY2(run.err.contains("support-replies (version 1): a chat suite"), run.err);
    }

    void badInput_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("no option") << QStringList{} << QByteArray("a suite file (or --check-suite SUITE.yaml) is needed");
        QTest::newRow("no targets") << QStringList{u"suite.yaml"_s} << QByteArray("--targets is needed");
        QTest::newRow("two suites") << QStringList{u"a.yaml"_s, u"b.yaml"_s, u"--targets"_s, u"h/m"_s}
                                    << QByteArray("unexpected argument 'b.yaml'");
        QTest::newRow("missing file") << QStringList{u"--check-suite"_s, u"/nonexistent/s.yaml"_s} << QByteArray("/nonexistent/s.yaml");
        QTest::newRow("concurrency") << QStringList{u"--check-suite"_s, u"x.yaml"_s, u"--concurrency"_s, u"0"_s}
                                     << QByteArray("--concurrency must be");
        QTest::newRow("bad suite") << QStringList{u"--check-suite"_s, QFINDTESTDATA("../data/bench/quants-8b.yaml")}
                                   << QByteArray("quants-8b.yaml:");
    }

    void badInput()
    {
        QFETCH(QStringList, args);
        QFETCH(QByteArray, message);
        const Run run = boocontrol(args);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(message), run.err);
    }
};

QTEST_GUILESS_MAIN(TestEvalCommand)
#include "tst_evalcommand.moc"
