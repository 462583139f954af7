// Reading, backing up, writing and reloading a llama-swap config file over SSH, against a real
// sshd on loopback (tests/remote/testsshd.h); the "host" is a folder of the test's own.

#include "core/remote/configvalidator.h"
#include "core/remote/hostkeytrust.h"
#include "core/remote/remoteconfigfile.h"
#include "testsshd.h"

#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QScopeGuard>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using boo::RemoteConfigFile;
using boo::RemoteConfigResult;
using boo::SshFailure;

namespace {

// Owner, group and other: QFile adds the "current user" bits, which say nothing of the file.
const QFileDevice::Permissions kModeBits = QFileDevice::Permissions(0x7077);

template <typename Start>
RemoteConfigResult step(RemoteConfigFile &file, Start start)
{
    RemoteConfigResult result;
    result.failure = SshFailure::Timeout;
    result.message = u"no answer"_s;
    QEventLoop loop;
    const auto connection = QObject::connect(&file, &RemoteConfigFile::finished, &loop, [&](const RemoteConfigResult &r) {
        result = r;
        loop.quit();
    });
    QTimer::singleShot(60000, &loop, &QEventLoop::quit);
    start();
    loop.exec();
    QObject::disconnect(connection);
    return result;
}

bool writeFile(const QString &path, const QByteArray &content, QFileDevice::Permissions permissions)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(content) != content.size())
        return false;
    file.close();
    return file.setPermissions(permissions);
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<unreadable>");
}

} // namespace

class TestRemoteConfigFile : public QObject
{
    Q_OBJECT

    TestSshd m_sshd;
    boo::SshSettings m_settings;

private Q_SLOTS:
    void initTestCase()
    {
        const QString problem = m_sshd.start();
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        m_settings = m_sshd.settings();
        const QString untrusted = m_sshd.trustHostKey(m_settings.knownHostsFile);
        QVERIFY2(untrusted.isEmpty(), qPrintable(untrusted));
    }

    void readBackupWriteReload()
    {
        QDir().mkpath(m_sshd.path(u"cycle"_s));
        const QString path = m_sshd.path(u"cycle/config.yaml"_s);
        const QByteArray before = "models:\n  a:\n    cmd: llama-server --port ${PORT}\n";
        const QFileDevice::Permissions mode = QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup;
        QVERIFY(writeFile(path, before, mode));
        RemoteConfigFile file(m_settings, path);

        const RemoteConfigResult read = step(file, [&] { file.read(); });
        QVERIFY2(read.ok(), qPrintable(read.message));
        QCOMPARE(read.step, boo::RemoteConfigStep::Read);
        QCOMPARE(read.content, before);
        QCOMPARE(read.sha256, RemoteConfigFile::sha256(before));

        const QDateTime when(QDate(2026, 12, 7), QTime(13, 45, 1), Qt::UTC);
        const RemoteConfigResult backup = step(file, [&] { file.backup(when); });
        QVERIFY2(backup.ok(), qPrintable(backup.message));
        QCOMPARE(backup.backupPath, path + u".boocontrol-20261207T134501Z.bak"_s);
        QCOMPARE(readFile(backup.backupPath), before);
        QCOMPARE(QFile(backup.backupPath).permissions() & kModeBits, mode);

        const QByteArray after = before + "    ttl: 300\n";
        const RemoteConfigResult write = step(file, [&] { file.write(after, read.sha256); });
        QVERIFY2(write.ok(), qPrintable(write.message));
        QCOMPARE(write.sha256, RemoteConfigFile::sha256(after));
        QCOMPARE(readFile(path), after);
        QCOMPARE(QFile(path).permissions() & kModeBits, mode); // the old file's mode, not the umask's
        // No temporary file left behind next to it.
        QCOMPARE(QDir(m_sshd.path(u"cycle"_s)).entryList(QDir::Files | QDir::Hidden, QDir::Name),
                 (QStringList{u"config.yaml"_s, u"config.yaml.boocontrol-20261207T134501Z.bak"_s}));

        const QString marker = m_sshd.path(u"cycle/reloaded"_s);
        const auto method = boo::ReloadMethod::parse(u"command: touch "_s + marker);
        QVERIFY(method.ok());
        const RemoteConfigResult reload = step(file, [&] { file.reload(*method); });
        QVERIFY2(reload.ok(), qPrintable(reload.message));
        QVERIFY(QFile::exists(marker));
    }

    void writeRefusedWhenTheFileChangedSinceRead()
    {
        const QString path = m_sshd.path(u"raced.yaml"_s);
        QVERIFY(writeFile(path, "models: {}\n", QFileDevice::ReadOwner | QFileDevice::WriteOwner));
        RemoteConfigFile file(m_settings, path);
        const RemoteConfigResult read = step(file, [&] { file.read(); });
        QVERIFY2(read.ok(), qPrintable(read.message));

        const QByteArray theirs = "models: {}\nlogLevel: debug\n"; // someone else's edit meanwhile
        QVERIFY(writeFile(path, theirs, QFileDevice::ReadOwner | QFileDevice::WriteOwner));
        const RemoteConfigResult write = step(file, [&] { file.write("models: {}\nlogLevel: warn\n", read.sha256); });
        QVERIFY(!write.ok());
        QVERIFY(write.changedSinceRead);
        QCOMPARE(write.failure, SshFailure::None);
        QVERIFY2(write.message.contains(u"changed on the host since it was read"_s), qPrintable(write.message));
        QCOMPARE(readFile(path), theirs);
    }

    void failuresOfTheSteps()
    {
        RemoteConfigFile missing(m_settings, m_sshd.path(u"no-such-folder/config.yaml"_s));
        const RemoteConfigResult read = step(missing, [&] { missing.read(); });
        QCOMPARE(read.failure, SshFailure::CommandFailed);
        QVERIFY2(read.message.contains(u"No such file"_s), qPrintable(read.message));
        const RemoteConfigResult backup = step(missing, [&] { missing.backup(); });
        QCOMPARE(backup.failure, SshFailure::CommandFailed);
        const RemoteConfigResult write = step(missing, [&] { missing.write("x: 1\n", RemoteConfigFile::sha256("")); });
        QCOMPARE(write.failure, SshFailure::CommandFailed);
        QVERIFY(!write.changedSinceRead);

        // A path that is a folder cannot be replaced by a file: the write stops before the
        // rename and leaves nothing behind.
        QDir().mkpath(m_sshd.path(u"is-a-folder"_s));
        RemoteConfigFile folder(m_settings, m_sshd.path(u"is-a-folder"_s));
        const RemoteConfigResult intoFolder = step(folder, [&] { folder.write("x: 1\n", RemoteConfigFile::sha256("")); });
        QCOMPARE(intoFolder.failure, SshFailure::CommandFailed);
        QVERIFY(QFileInfo(m_sshd.path(u"is-a-folder"_s)).isDir());

        const QString path = m_sshd.path(u"reload.yaml"_s);
        QVERIFY(writeFile(path, "models: {}\n", QFileDevice::ReadOwner | QFileDevice::WriteOwner));
        RemoteConfigFile file(m_settings, path);
        file.setProcessName(u"lsw-none-%1"_s.arg(QCoreApplication::applicationPid() % 100000));
        // SIGHUP with no llama-swap running on the "host": an error, not a silent success.
        const RemoteConfigResult sighup = step(file, [&] { file.reload(boo::ReloadMethod::parse(u"sighup"_s).value()); });
        QCOMPARE(sighup.failure, SshFailure::CommandFailed);
        QVERIFY2(sighup.message.contains(u"no lsw-none-"_s), qPrintable(sighup.message));

        boo::SshSettings unreachable = m_settings;
        unreachable.identityFile = m_sshd.makeKey(u"not-authorized"_s);
        RemoteConfigFile refused(unreachable, path);
        QCOMPARE(step(refused, [&] { refused.read(); }).failure, SshFailure::AuthRefused);
    }

    // A full disk, then a file system that refuses writes: the write fails before the rename,
    // the file is as it was and no temporary file is left. Needs a small tmpfs, so root (or the
    // mount capability), which ./scripts/test and CI have.
    void diskFullAndReadOnlyLeaveTheFileAsItWas()
    {
        const QString mountPoint = m_sshd.path(u"small-disk"_s);
        QDir().mkpath(mountPoint);
        QProcess mount;
        mount.start(u"mount"_s, {u"-t"_s, u"tmpfs"_s, u"-o"_s, u"size=64k"_s, u"tmpfs"_s, mountPoint});
        if (!mount.waitForFinished(10000) || mount.exitCode() != 0)
            QSKIP(qPrintable(u"cannot mount a small tmpfs here: "_s + QString::fromUtf8(mount.readAllStandardError())));
        const auto unmount = qScopeGuard([&] { QProcess::execute(u"umount"_s, {u"-l"_s, mountPoint}); });

        const QString path = mountPoint + u"/config.yaml"_s;
        const QByteArray before = "models: {}\n";
        QVERIFY(writeFile(path, before, QFileDevice::ReadOwner | QFileDevice::WriteOwner));
        RemoteConfigFile file(m_settings, path);
        const RemoteConfigResult read = step(file, [&] { file.read(); });
        QVERIFY2(read.ok(), qPrintable(read.message));

        const RemoteConfigResult full = step(file, [&] { file.write(QByteArray(256 * 1024, '#'), read.sha256); });
        QCOMPARE(full.failure, SshFailure::CommandFailed);
        QVERIFY2(full.message.contains(u"No space left on device"_s), qPrintable(full.message));
        QCOMPARE(readFile(path), before);
        QCOMPARE(QDir(mountPoint).entryList(QDir::Files | QDir::Hidden), QStringList{u"config.yaml"_s});

        QCOMPARE(QProcess::execute(u"mount"_s, {u"-o"_s, u"remount,ro"_s, mountPoint}), 0);
        const RemoteConfigResult readOnly = step(file, [&] { file.write("models: {}\nlogLevel: debug\n", read.sha256); });
        QCOMPARE(readOnly.failure, SshFailure::CommandFailed);
        QVERIFY2(readOnly.message.contains(u"Read-only file system"_s), qPrintable(readOnly.message));
        QCOMPARE(readFile(path), before);
        const RemoteConfigResult backup = step(file, [&] { file.backup(); });
        QCOMPARE(backup.failure, SshFailure::CommandFailed);
    }

    // A stand-in llama-swap (tests/remote/llamaswapstandin.cpp) with an environment of its own:
    // the environment step reads it, the validator checks ${env.NAME} against it, SIGHUP reaches it.
    void environmentAndSighupOfTheRunningLlamaSwap()
    {
        const QString marker = m_sshd.path(u"hangup"_s);
        // Under a name of this run's own: another run of this test may be signalling its own.
        const QString name = u"lsw-%1"_s.arg(QCoreApplication::applicationPid());
        const QString standIn = m_sshd.path(u"bin/"_s + name);
        QDir().mkpath(m_sshd.path(u"bin"_s));
        QVERIFY(QFile::copy(QStringLiteral(BOO_LLAMA_SWAP_STANDIN), standIn));
        QFile(standIn).setPermissions(QFile(QStringLiteral(BOO_LLAMA_SWAP_STANDIN)).permissions());
        QProcess llamaSwap;
        QProcessEnvironment env;
        env.insert(u"MODELS_DIR"_s, u"/srv/models"_s);
        env.insert(u"ODD"_s, u"a=b c"_s);
        llamaSwap.setProcessEnvironment(env);
        llamaSwap.start(standIn, {marker});
        QVERIFY(llamaSwap.waitForStarted());
        const auto stop = qScopeGuard([&] {
            llamaSwap.kill();
            llamaSwap.waitForFinished();
        });

        RemoteConfigFile file(m_settings, m_sshd.path(u"unused.yaml"_s));
        file.setProcessName(name);
        const RemoteConfigResult environment = step(file, [&] { file.readEnvironment(); });
        QVERIFY2(environment.ok(), qPrintable(environment.message));
        QCOMPARE(environment.environment.value(u"MODELS_DIR"_s), u"/srv/models"_s);
        QCOMPARE(environment.environment.value(u"ODD"_s), u"a=b c"_s);
        QVERIFY(!environment.environment.contains(u"HOME"_s));

        boo::ConfigValidationOptions options;
        options.hostEnvironment = environment.environment;
        const QByteArray config = "models:\n  a:\n    cmd: x --port ${PORT} -m ${env.MODELS_DIR}/a.gguf\n    name: ${env.API_TOKEN}\n";
        const boo::ConfigReport report = boo::ConfigValidator::validate(config, u"c.yaml"_s, options);
        QCOMPARE(report.findings.size(), 1);
        QCOMPARE(report.findings.constFirst().rule, u"env-unset"_s);
        QCOMPARE(report.findings.constFirst().mark.line, 4);

        const RemoteConfigResult sighup = step(file, [&] { file.reload(boo::ReloadMethod::parse(u"sighup"_s).value()); });
        QVERIFY2(sighup.ok(), qPrintable(sighup.message));
        QTRY_COMPARE_WITH_TIMEOUT(llamaSwap.state(), QProcess::NotRunning, 10000);
        QCOMPARE(llamaSwap.exitCode(), 0);
        QCOMPARE(readFile(marker), QByteArray("hup\n"));
    }

    void reloadMethods_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("command");
        QTest::newRow("sighup") << u"sighup"_s << true
                                << u"pkill -HUP -x -- 'llama-swap' || { echo 'no llama-swap process to signal' >&2; exit 1; }"_s;
        QTest::newRow("watch") << u"watch"_s << true << QString();
        QTest::newRow("systemctl") << u"systemctl restart llama-swap@gpu0.service"_s << true
                                   << u"systemctl restart -- 'llama-swap@gpu0.service'"_s;
        QTest::newRow("command") << u"command: docker restart llama-swap"_s << true << u"docker restart llama-swap"_s;
        QTest::newRow("systemctl injection") << u"systemctl restart x;rm -rf /"_s << false << QString();
        QTest::newRow("empty command") << u"command:  "_s << false << QString();
        QTest::newRow("unknown") << u"reboot"_s << false << QString();
    }

    void reloadMethods()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(QString, command);
        const auto method = boo::ReloadMethod::parse(text);
        QCOMPARE(method.ok(), valid);
        if (valid)
            QCOMPARE(method->shellCommand(), command);
    }
};

QTEST_GUILESS_MAIN(TestRemoteConfigFile)
#include "tst_remoteconfigfile.moc"
