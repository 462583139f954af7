#include "testsshd.h"

#include "core/remote/hostkeytrust.h"

#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QTcpServer>
#include <QTimer>

#include <pwd.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

const QString kSshd = u"/usr/sbin/sshd"_s;

bool runQuietly(const QString &program, const QStringList &args)
{
    QProcess process;
    process.start(program, args);
    return process.waitForFinished(30000) && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
}

QString currentUser()
{
    const passwd *entry = getpwuid(getuid());
    return entry ? QString::fromLocal8Bit(entry->pw_name) : qEnvironmentVariable("USER");
}

} // namespace

TestSshd::TestSshd() = default;

TestSshd::~TestSshd()
{
    if (m_sshd.state() != QProcess::NotRunning) {
        m_sshd.terminate();
        if (!m_sshd.waitForFinished(3000)) {
            m_sshd.kill();
            m_sshd.waitForFinished(3000);
        }
    }
}

QString TestSshd::makeKey(const QString &name) const
{
    QFile::remove(path(name));
    QFile::remove(path(name + u".pub"_s));
    return runQuietly(u"ssh-keygen"_s, {u"-q"_s, u"-t"_s, u"ed25519"_s, u"-N"_s, QString(), u"-C"_s, name, u"-f"_s, path(name)})
        ? path(name)
        : QString();
}

QString TestSshd::start()
{
    if (!QFileInfo(kSshd).isExecutable())
        return u"no %1 (Debian's openssh-server)"_s.arg(kSshd);
    if (!m_dir.isValid())
        return u"no temporary folder"_s;
    if (makeKey(u"host_key"_s).isEmpty() || makeKey(u"user_key"_s).isEmpty())
        return u"ssh-keygen failed"_s;
    QFile::copy(path(u"user_key.pub"_s), path(u"authorized_keys"_s));
    // sshd insists on its privilege separation folder, which the ssh service usually makes at
    // boot; a fresh machine where the service never ran has none. Root may make it.
    if (!QFileInfo::exists(u"/run/sshd"_s) && geteuid() == 0 && !QDir().mkpath(u"/run/sshd"_s))
        return u"no /run/sshd (sshd's privilege separation folder) and it cannot be made"_s;

    QTcpServer probe; // a free port; sshd takes it a moment later
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return u"no free port"_s;
    m_port = probe.serverPort();
    probe.close();

    QFile config(path(u"sshd_config"_s));
    if (!config.open(QIODevice::WriteOnly))
        return u"cannot write sshd_config"_s;
    config.write(u"ListenAddress 127.0.0.1\n"
                 "HostKey %1\n"
                 "AuthorizedKeysFile %2\n"
                 "PidFile %3\n"
                 "StrictModes no\n"
                 "PasswordAuthentication no\n"
                 "KbdInteractiveAuthentication no\n"
                 "PermitRootLogin prohibit-password\n"
                 "UsePAM no\n"
                 "MaxStartups 50\n"_s.arg(path(u"host_key"_s), path(u"authorized_keys"_s), path(u"sshd.pid"_s))
                     .toUtf8());
    config.close();
    QFile(path(u"known_hosts"_s)).open(QIODevice::WriteOnly);

    m_sshd.setProcessChannelMode(QProcess::MergedChannels);
    m_sshd.start(kSshd, {u"-D"_s, u"-e"_s, u"-f"_s, config.fileName(), u"-p"_s, QString::number(m_port)});
    if (!m_sshd.waitForStarted(5000))
        return u"sshd did not start: %1"_s.arg(m_sshd.errorString());
    QByteArray log;
    while (!log.contains("Server listening")) {
        if (!m_sshd.waitForReadyRead(5000))
            return u"sshd is not listening: %1"_s.arg(QString::fromUtf8(log + m_sshd.readAll()));
        log += m_sshd.readAll();
    }
    return {};
}

boo::SshSettings TestSshd::settings() const
{
    boo::SshSettings settings;
    settings.target = {currentUser(), u"127.0.0.1"_s, m_port};
    settings.identityFile = userKey();
    settings.knownHostsFile = path(u"known_hosts"_s);
    settings.connectTimeoutSeconds = 5;
    settings.commandTimeoutMs = 20000;
    return settings;
}

QString TestSshd::trustHostKey(const QString &knownHostsFile) const
{
    boo::HostKeyTrust trust;
    boo::HostKeyScanResult scanned{{}, u"no answer from ssh-keyscan within 30 s"_s};
    QEventLoop loop;
    QObject::connect(&trust, &boo::HostKeyTrust::scanned, &loop, [&](const boo::HostKeyScanResult &r) {
        scanned = r;
        loop.quit();
    });
    QTimer::singleShot(30000, &loop, &QEventLoop::quit);
    trust.scan(settings().target, 5);
    loop.exec();
    if (!scanned.error.isEmpty())
        return scanned.error;
    auto trusted = boo::HostKeyTrust::trust(knownHostsFile, scanned.keys);
    return trusted ? QString() : trusted.error().message;
}
