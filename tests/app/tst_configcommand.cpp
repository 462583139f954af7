// Runs the real boocontrol executable: `boocontrol config validate FILE.yaml [--json]`.

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
    QString out;
    QString err;
};

Run runConfig(const QStringList &args)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // A command that prints and exits needs no display.
    env.remove(u"DISPLAY"_s);
    env.remove(u"WAYLAND_DISPLAY"_s);
    env.remove(u"QT_QPA_PLATFORM"_s);
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(BOO_EXECUTABLE), QStringList{u"config"_s} + args);
    Run run;
    if (!process.waitForFinished(30000)) {
        process.kill();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

QString corpus(const QString &name)
{
    return QStringLiteral(BOO_TEST_DATA_DIR) + u"/configs/"_s + name;
}

} // namespace

class TestConfigCommand : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validFileExitsZero()
    {
        const Run run = runConfig({u"validate"_s, corpus(u"valid/example-shaped.yaml"_s)});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.trimmed().endsWith(u"valid for llama-swap (0 warning(s))"_s), qPrintable(run.out));
        QCOMPARE(run.err, QString());
    }

    void warningsAreListedButTheFileIsValid()
    {
        const QString file = corpus(u"valid/warnings.yaml"_s);
        const Run run = runConfig({u"validate"_s, file});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains(file + u":9:5: warning: models.a.cmdstop: "_s), qPrintable(run.out));
        QVERIFY2(run.out.contains(u"(did you mean 'cmdStop'?) [unknown-key]"_s), qPrintable(run.out));
    }

    void invalidFileExitsOneAndNamesEachError()
    {
        const QString file = corpus(u"invalid/macro-defined-later.yaml"_s);
        const Run run = runConfig({u"validate"_s, file});
        QCOMPARE(run.exitCode, 1);
        const QStringList lines = run.out.trimmed().split(u'\n');
        QCOMPARE(lines.size(), 2);
        QVERIFY2(lines[0].startsWith(file + u":2:9: error: macros.args: macro 'args' uses ${ctx}"_s), qPrintable(lines[0]));
        QVERIFY2(lines[0].endsWith(u"[macro-defined-later]"_s), qPrintable(lines[0]));
        QVERIFY2(lines[1].contains(u"1 error(s), 0 warning(s)"_s), qPrintable(lines[1]));
    }

    void jsonReport()
    {
        const Run run = runConfig({u"validate"_s, u"--json"_s, corpus(u"invalid/macro-unresolved.yaml"_s)});
        QCOMPARE(run.exitCode, 1);
        QJsonParseError error;
        const QJsonObject json = QJsonDocument::fromJson(run.out.toUtf8(), &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(json.keys(), (QStringList{u"errors"_s, u"valid"_s, u"warnings"_s}));
        QCOMPARE(json.value(u"valid"_s), QJsonValue(false));
        const QJsonArray errors = json.value(u"errors"_s).toArray();
        QCOMPARE(errors.size(), 4);
        const QJsonObject first = errors.first().toObject();
        QCOMPARE(first.value(u"path"_s).toString(), u"models.a.cmd"_s);
        QCOMPARE(first.value(u"line"_s).toInt(), 5);
        QCOMPARE(first.value(u"column"_s).toInt(), 10);
        QCOMPARE(first.value(u"rule"_s).toString(), u"macro-unresolved"_s);
        QVERIFY(first.value(u"message"_s).toString().contains(u"${model_path}"_s));
        QCOMPARE(json.value(u"warnings"_s).toArray().size(), 1);

        const Run valid = runConfig({u"validate"_s, corpus(u"valid/minimal.yaml"_s), u"--json"_s});
        QCOMPARE(valid.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(valid.out.toUtf8()).object(),
                 (QJsonObject{{u"valid"_s, true}, {u"errors"_s, QJsonArray()}, {u"warnings"_s, QJsonArray()}}));
    }

    void yamlThatIsNotYaml()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"broken.yaml"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("models:\n  a: [unclosed\n");
        file.close();
        const Run run = runConfig({u"validate"_s, path});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.out.contains(u"[yaml-syntax]"_s), qPrintable(run.out));
    }

    void unreadableFileExitsTwo()
    {
        const Run run = runConfig({u"validate"_s, corpus(u"nothing-here.yaml"_s)});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(u"cannot read"_s), qPrintable(run.err));
        QCOMPARE(run.out, QString());
    }

    void usageErrorsExitTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("no command") << QStringList{};
        QTest::newRow("unknown command") << QStringList{u"deploy"_s, corpus(u"valid/minimal.yaml"_s)};
        QTest::newRow("apply without a host") << QStringList{u"apply"_s, corpus(u"valid/minimal.yaml"_s)};
        QTest::newRow("backups of two hosts") << QStringList{u"backups"_s, u"a"_s, u"b"_s};
        QTest::newRow("no file") << QStringList{u"validate"_s};
        QTest::newRow("two files") << QStringList{u"validate"_s, corpus(u"valid/minimal.yaml"_s), corpus(u"valid/matrix.yaml"_s)};
        QTest::newRow("unknown option") << QStringList{u"validate"_s, u"--yaml"_s, corpus(u"valid/minimal.yaml"_s)};
    }

    void usageErrorsExitTwo()
    {
        QFETCH(QStringList, args);
        const Run run = runConfig(args);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(u"usage: boocontrol config validate FILE.yaml [--json]"_s), qPrintable(run.err));
    }
};

QTEST_GUILESS_MAIN(TestConfigCommand)
#include "tst_configcommand.moc"
