// SshRunner and the host-key trust step against a real sshd on loopback (tests/remote/testsshd.h).

#include "core/remote/hostkeytrust.h"
#include "core/remote/sshrunner.h"
#include "testsshd.h"

#include <QCryptographicHash>
#include <QEventLoop>
#include <QFile>
#include <QTcpServer>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using boo::SshFailure;
using boo::SshResult;
using boo::SshRunner;

namespace {

SshResult runOnce(const boo::SshSettings &settings, const QString &command, const QByteArray &input = {})
{
    SshRunner runner(settings);
    SshResult result;
    result.message = u"no answer"_s;
    result.failure = SshFailure::Timeout;
    QEventLoop loop;
    QObject::connect(&runner, &SshRunner::finished, &loop, [&](const SshResult &r) {
        result = r;
        loop.quit();
    });
    QTimer::singleShot(60000, &loop, &QEventLoop::quit);
    runner.run(command, input);
    loop.exec();
    return result;
}

boo::HostKeyScanResult scanOnce(const boo::SshTarget &target)
{
    boo::HostKeyTrust trust;
    boo::HostKeyScanResult result{{}, u"no answer"_s};
    QEventLoop loop;
    QObject::connect(&trust, &boo::HostKeyTrust::scanned, &loop, [&](const boo::HostKeyScanResult &r) {
        result = r;
        loop.quit();
    });
    QTimer::singleShot(30000, &loop, &QEventLoop::quit);
    trust.scan(target, 5);
    loop.exec();
    return result;
}

// What `ssh-keygen -lf` says of a public key file: the independent check of our fingerprint.
QString keygenFingerprint(const QString &publicKeyFile)
{
    QProcess process;
    process.start(u"ssh-keygen"_s, {u"-l"_s, u"-E"_s, u"sha256"_s, u"-f"_s, publicKeyFile});
    process.waitForFinished(10000);
    return QString::fromUtf8(process.readAllStandardOutput()).section(u' ', 1, 1);
}

QString describe(const SshResult &result)
{
    return u"%1 exit %2: %3 / %4"_s.arg(enumNameString(boo::kSshFailureNames, result.failure))
        .arg(result.exitCode)
        .arg(result.message, QString::fromUtf8(result.err));
}

} // namespace

class TestSshRunner : public QObject
{
    Q_OBJECT

    TestSshd m_sshd;

    boo::SshSettings trusted()
    {
        boo::SshSettings settings = m_sshd.settings();
        settings.knownHostsFile = m_sshd.path(u"trusted_hosts"_s);
        return settings;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString problem = m_sshd.start();
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        const auto scanned = scanOnce(m_sshd.settings().target);
        QVERIFY2(scanned.error.isEmpty(), qPrintable(scanned.error));
        QVERIFY(boo::HostKeyTrust::trust(trusted().knownHostsFile, scanned.keys).ok());
    }

    void unknownHostKeyIsRefusedUntilTrusted()
    {
        boo::SshSettings settings = m_sshd.settings();
        settings.knownHostsFile = m_sshd.path(u"fresh_hosts"_s);
        const SshResult refused = runOnce(settings, u"echo hi"_s);
        QCOMPARE(refused.failure, SshFailure::UnknownHostKey);
        QVERIFY(!refused.message.isEmpty());

        const auto scanned = scanOnce(settings.target);
        QVERIFY2(scanned.error.isEmpty(), qPrintable(scanned.error));
        QCOMPARE(scanned.keys.size(), 1); // the test server has one host key
        QCOMPARE(scanned.keys.first().type, u"ssh-ed25519"_s);
        QCOMPARE(scanned.keys.first().fingerprint, keygenFingerprint(m_sshd.hostPublicKey()));
        QVERIFY(scanned.keys.first().knownHostsLine.startsWith(u"[127.0.0.1]:%1 ssh-ed25519 "_s.arg(m_sshd.port())));

        QVERIFY(boo::HostKeyTrust::trust(settings.knownHostsFile, scanned.keys).ok());
        QVERIFY(boo::HostKeyTrust::trust(settings.knownHostsFile, scanned.keys).ok()); // twice: one line
        QFile known(settings.knownHostsFile);
        QVERIFY(known.open(QIODevice::ReadOnly));
        QCOMPARE(known.readAll().count('\n'), 1);
        QCOMPARE(known.permissions() & (QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ReadGroup),
                 QFileDevice::Permissions());

        const SshResult ok = runOnce(settings, u"echo hi"_s);
        QVERIFY2(ok.ok(), qPrintable(describe(ok)));
        QCOMPARE(ok.out, QByteArray("hi\n"));
        QCOMPARE(ok.exitCode, 0);
    }

    void changedHostKeyIsRefused()
    {
        const QString other = m_sshd.makeKey(u"impostor"_s);
        QFile pub(other + u".pub"_s);
        QVERIFY(pub.open(QIODevice::ReadOnly));
        const QByteArray blob = pub.readAll().split(' ').value(1);
        boo::SshSettings settings = m_sshd.settings();
        settings.knownHostsFile = m_sshd.path(u"stale_hosts"_s);
        QVERIFY(boo::HostKeyTrust::trust(
                    settings.knownHostsFile,
                    {{u"[127.0.0.1]:%1 ssh-ed25519 %2"_s.arg(m_sshd.port()).arg(QString::fromLatin1(blob)), u"ssh-ed25519"_s, {}}})
                    .ok());
        const SshResult result = runOnce(settings, u"echo hi"_s);
        QCOMPARE(result.failure, SshFailure::HostKeyChanged);
        QCOMPARE(result.out, QByteArray());
    }

    void keyTheHostDoesNotAcceptIsRefused()
    {
        boo::SshSettings settings = trusted();
        settings.identityFile = m_sshd.makeKey(u"stranger"_s);
        const SshResult result = runOnce(settings, u"echo hi"_s);
        QCOMPARE(result.failure, SshFailure::AuthRefused);
    }

    void unreachableHost()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        boo::SshSettings settings = trusted();
        settings.target.port = probe.serverPort();
        probe.close(); // nothing listens there now
        const SshResult result = runOnce(settings, u"echo hi"_s);
        QCOMPARE(result.failure, SshFailure::Unreachable);
    }

    void failingCommandKeepsItsExitCodeAndOutput()
    {
        const SshResult result = runOnce(trusted(), u"echo partial; echo oops >&2; exit 7"_s);
        QCOMPARE(result.failure, SshFailure::CommandFailed);
        QCOMPARE(result.exitCode, 7);
        QCOMPARE(result.out, QByteArray("partial\n"));
        QVERIFY2(result.message.contains(u"oops"_s), qPrintable(result.message));
    }

    void inputReachesTheCommand()
    {
        QByteArray input(256 * 1024, 'x');
        for (int i = 0; i < input.size(); i += 97)
            input[i] = char('a' + i % 26);
        const SshResult result = runOnce(trusted(), u"sha256sum"_s, input);
        QVERIFY2(result.ok(), qPrintable(describe(result)));
        QCOMPARE(result.out.left(64), QCryptographicHash::hash(input, QCryptographicHash::Sha256).toHex());
        // And with no input, a command reading stdin sees end of file instead of waiting.
        QCOMPARE(runOnce(trusted(), u"wc -c"_s).out.trimmed(), QByteArray("0"));
    }

    void quotingSurvivesTheRemoteShell()
    {
        const QString awkward = u"it's $HOME `id` \"quoted\" \\ ; | & *"_s;
        const SshResult result = runOnce(trusted(), u"printf '%s' "_s + SshRunner::shellQuote(awkward));
        QVERIFY2(result.ok(), qPrintable(describe(result)));
        QCOMPARE(QString::fromUtf8(result.out), awkward);
    }

    void slowCommandTimesOut()
    {
        boo::SshSettings settings = trusted();
        settings.commandTimeoutMs = 1000;
        const SshResult result = runOnce(settings, u"sleep 20"_s);
        QCOMPARE(result.failure, SshFailure::Timeout);
    }

    void missingClient()
    {
        boo::SshSettings settings = trusted();
        settings.sshProgram = m_sshd.path(u"no-such-ssh"_s);
        QCOMPARE(runOnce(settings, u"true"_s).failure, SshFailure::ClientMissing);
    }

    void targets_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("knownHostsName");
        QTest::newRow("full") << u"ops@gpu-1.lan:2222"_s << true << u"ops"_s << u"gpu-1.lan"_s << 2222 << u"[gpu-1.lan]:2222"_s;
        QTest::newRow("host only") << u"gpu-1"_s << true << QString() << u"gpu-1"_s << 22 << u"gpu-1"_s;
        QTest::newRow("ipv6") << u"root@[::1]:22"_s << true << u"root"_s << u"::1"_s << 22 << u"::1"_s;
        QTest::newRow("option injection") << u"-oProxyCommand=x"_s << false << QString() << QString() << 0 << QString();
        QTest::newRow("bad port") << u"a@b:70000"_s << false << QString() << QString() << 0 << QString();
        QTest::newRow("spaces") << u"a b@c"_s << false << QString() << QString() << 0 << QString();
    }

    void targets()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        const auto target = boo::SshTarget::parse(text);
        QCOMPARE(target.ok(), valid);
        if (!valid)
            return;
        QFETCH(QString, user);
        QFETCH(QString, host);
        QFETCH(int, port);
        QFETCH(QString, knownHostsName);
        QCOMPARE(target->user, user);
        QCOMPARE(target->host, host);
        QCOMPARE(target->port, port);
        QCOMPARE(target->knownHostsName(), knownHostsName);
        QCOMPARE(boo::SshTarget::parse(target->toString()).value(), *target);
    }
};

QTEST_GUILESS_MAIN(TestSshRunner)
#include "tst_sshrunner.moc"
