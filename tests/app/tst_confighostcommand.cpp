// `boocontrol config trust|diff|apply|backups|rollback` as an operator runs them: the built
// program against a real sshd on loopback and the llama-swap stand-in that reloads its file
// (tests/remote/llamaswapsim.cpp), with a providers file and a SQLite database of the test's own.

#include "core/remote/remoteconfigfile.h"
#include "tests/remote/testsshd.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const QByteArray kBefore = "models:\n  a:\n    cmd: llama-server --port ${PORT} -m a.gguf\n";
const QByteArray kAfter
    = "models:\n  a:\n    cmd: llama-server --port ${PORT} -m a.gguf\n  c:\n    cmd: llama-server --port ${PORT} -m c.gguf\n";
const QByteArray kRefused = "models:\n  a:\n    cmd: llama-server --port ${PORT} -m a.gguf\n"
                            "  x:\n    cmd: llama-server --port ${PORT}\n    metadata:\n      standin: refuse\n";

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<unreadable>");
}

bool writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(content) == content.size();
}

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

} // namespace

class TestConfigHostCommand : public QObject
{
    Q_OBJECT

    TestSshd m_sshd;
    QProcess m_standin;
    QString m_config;
    QStringList m_common;

    Run boocontrol(const QStringList &args)
    {
        QProcess process;
        process.setStandardInputFile(QProcess::nullDevice()); // not a terminal: nothing is asked
        process.start(QStringLiteral(BOO_EXECUTABLE), QStringList{u"config"_s} + args + m_common);
        if (!process.waitForFinished(180000))
            return {};
        return {process.exitCode(), process.readAllStandardOutput(), process.readAllStandardError()};
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString problem = m_sshd.start();
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QDir().mkpath(m_sshd.path(u"host"_s));
        m_config = m_sshd.path(u"host/config.yaml"_s);
        QVERIFY(writeFile(m_config, kBefore));
        m_standin.start(QStringLiteral(BOO_LLAMA_SWAP_SIM), {u"--config"_s, m_config});
        QByteArray out;
        while (!out.contains('\n') && m_standin.waitForReadyRead(10000))
            out += m_standin.readAllStandardOutput();
        QVERIFY2(out.startsWith("listening "), out.constData());
        const int port = out.mid(10).trimmed().toInt();

        const boo::SshSettings ssh = m_sshd.settings();
        const QJsonObject provider{{u"id"_s, u"gpu1"_s},
                                   {u"kind"_s, u"llama-swap"_s},
                                   {u"baseUrl"_s, u"http://127.0.0.1:%1"_s.arg(port)},
                                   {u"ssh"_s,
                                    QJsonObject{{u"target"_s, ssh.target.toString()},
                                                {u"identityFile"_s, ssh.identityFile},
                                                {u"configPath"_s, m_config},
                                                {u"reload"_s, u"watch"_s},
                                                {u"healthTimeoutSeconds"_s, 5}}}};
        const QString providers = m_sshd.path(u"providers.json"_s);
        QVERIFY(writeFile(providers, QJsonDocument(QJsonObject{{u"providers"_s, QJsonArray{provider}}}).toJson()));
        m_common = {u"--providers"_s,   providers,
                    u"--db"_s,          u"sqlite:"_s + m_sshd.path(u"history.sqlite"_s),
                    u"--known-hosts"_s, m_sshd.path(u"app_known_hosts"_s)};
    }

    void cleanupTestCase()
    {
        m_standin.kill();
        m_standin.waitForFinished(5000);
    }

    void untrustedHostIsRefused()
    {
        const Run run = boocontrol({u"diff"_s, u"gpu1"_s, m_sshd.path(u"host/config.yaml"_s)});
        QCOMPARE(run.exitCode, 4);
        QVERIFY2(run.err.contains("unknown") || run.err.contains("host key"), run.err.constData());
    }

    void trust()
    {
        const Run asked = boocontrol({u"trust"_s, u"gpu1"_s});
        QCOMPARE(asked.exitCode, 3); // not a terminal and no --yes
        QVERIFY(asked.out.contains("SHA256:"));
        const Run run = boocontrol({u"trust"_s, u"gpu1"_s, u"--yes"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY(readFile(m_sshd.path(u"app_known_hosts"_s)).contains("ssh-"));
    }

    void diffChangesNothing()
    {
        const QString file = m_sshd.path(u"after.yaml"_s);
        QVERIFY(writeFile(file, kAfter));
        const Run run = boocontrol({u"diff"_s, u"gpu1"_s, file});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(run.out.contains("+  c:"), run.out.constData());
        QCOMPARE(readFile(m_config), kBefore);
    }

    void applyAsksThenApplies()
    {
        const QString file = m_sshd.path(u"after.yaml"_s);
        const Run unconfirmed = boocontrol({u"apply"_s, u"gpu1"_s, file});
        QCOMPARE(unconfirmed.exitCode, 3);
        QCOMPARE(readFile(m_config), kBefore);

        const Run run = boocontrol({u"apply"_s, u"gpu1"_s, file, u"--yes"_s, u"--json"_s, u"--reason"_s, u"add c"_s});
        QVERIFY2(run.exitCode == 0, run.out.constData());
        const QJsonObject result = QJsonDocument::fromJson(run.out).object();
        QCOMPARE(result.value(u"outcome"_s).toString(), u"applied"_s);
        QCOMPARE(result.value(u"steps"_s).toArray().size(), 9);
        QCOMPARE(readFile(m_config), kAfter);
    }

    void backupsListWhatWasReplaced()
    {
        const Run run = boocontrol({u"backups"_s, u"gpu1"_s, u"--json"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonArray backups = QJsonDocument::fromJson(run.out).object().value(u"backups"_s).toArray();
        QCOMPARE(backups.size(), 1);
        QCOMPARE(backups.first().toObject().value(u"sha256"_s).toString(), boo::RemoteConfigFile::sha256(kBefore));
        QCOMPARE(backups.first().toObject().value(u"reason"_s).toString(), u"add c"_s);
    }

    void refusedByTheHostRollsBack()
    {
        const QString file = m_sshd.path(u"refused.yaml"_s);
        QVERIFY(writeFile(file, kRefused));
        const Run run = boocontrol({u"apply"_s, u"gpu1"_s, file, u"--yes"_s});
        QVERIFY2(run.exitCode == 5, QByteArray(run.out + run.err).constData());
        QVERIFY2(run.err.contains("failed to reload config"), run.err.constData());
        QCOMPARE(readFile(m_config), kAfter);
    }

    void rollbackPutsTheBackupBack()
    {
        const Run run = boocontrol({u"rollback"_s, u"gpu1"_s, u"1"_s, u"--yes"_s});
        QVERIFY2(run.exitCode == 0, QByteArray(run.out + run.err).constData());
        QCOMPARE(readFile(m_config), kBefore);
        const Run missing = boocontrol({u"rollback"_s, u"gpu1"_s, u"999"_s, u"--yes"_s});
        QCOMPARE(missing.exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestConfigHostCommand)
#include "tst_confighostcommand.moc"
