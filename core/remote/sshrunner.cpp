#include "core/remote/sshrunner.h"

using namespace Qt::StringLiterals;

namespace boo {

SshRunner::SshRunner(SshSettings settings, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
{
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        finish({SshFailure::Timeout,
                -1,
                {},
                {},
                tr("%1 did not answer within %2 s").arg(m_settings.target.toString()).arg(m_settings.commandTimeoutMs / 1000)});
    });
}

SshRunner::~SshRunner()
{
    // The current client and any killed one that has not exited yet.
    for (QProcess *process : findChildren<QProcess *>()) {
        process->disconnect(this);
        process->kill();
        process->waitForFinished(1000);
    }
}

QStringList SshRunner::arguments(const QString &remoteCommand) const
{
    QStringList args = {
        u"-F"_s, u"/dev/null"_s, // only what is set here applies
        u"-o"_s, u"BatchMode=yes"_s,
        u"-o"_s, u"StrictHostKeyChecking=yes"_s,
        u"-o"_s, u"UserKnownHostsFile="_s + m_settings.knownHostsFile,
        u"-o"_s, u"GlobalKnownHostsFile=/dev/null"_s,
        u"-o"_s, u"UpdateHostKeys=no"_s,
        u"-o"_s, u"ConnectTimeout="_s + QString::number(m_settings.connectTimeoutSeconds),
        u"-o"_s, u"ServerAliveInterval=15"_s,
        u"-o"_s, u"LogLevel=ERROR"_s,
        u"-p"_s, QString::number(m_settings.target.port),
    };
    if (!m_settings.identityFile.isEmpty())
        args << u"-o"_s << u"IdentitiesOnly=yes"_s << u"-i"_s << m_settings.identityFile;
    args << u"--"_s << m_settings.target.destination() << remoteCommand;
    return args;
}

void SshRunner::run(const QString &remoteCommand, const QByteArray &input)
{
    Q_ASSERT(!m_process);
    auto *process = new QProcess(this);
    m_process = process;
    connect(process, &QProcess::errorOccurred, this, [this, process](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart || process != m_process)
            return;
        finish({SshFailure::ClientMissing,
                -1,
                {},
                {},
                tr("cannot run the OpenSSH client '%1': %2").arg(m_settings.sshProgram, process->errorString())});
    });
    connect(process, &QProcess::finished, this, [this, process](int exitCode, QProcess::ExitStatus status) {
        if (process != m_process)
            return;
        const QByteArray out = process->readAllStandardOutput();
        const QByteArray err = process->readAllStandardError();
        if (status != QProcess::NormalExit) {
            finish({SshFailure::Unreachable, -1, out, err, tr("the ssh client stopped unexpectedly")});
            return;
        }
        SshResult result = classify(exitCode, out, err);
        if (!result.ok())
            result.message = m_settings.target.toString() + u": "_s + result.message;
        finish(std::move(result));
    });
    m_deadline.start(m_settings.commandTimeoutMs);
    process->start(m_settings.sshProgram, arguments(remoteCommand));
    // Whatever the command reads comes from `input`, then end of file (also when it is empty:
    // a command must never wait for a terminal).
    if (!input.isEmpty())
        process->write(input);
    process->closeWriteChannel();
}

QString SshRunner::shellQuote(const QString &text)
{
    QString quoted = text;
    quoted.replace(u"'"_s, u"'\\''"_s);
    return u'\'' + quoted + u'\'';
}

SshResult SshRunner::classify(int exitCode, const QByteArray &out, const QByteArray &err)
{
    SshResult result{SshFailure::None, exitCode, out, err, {}};
    const QString text = QString::fromUtf8(err);
    // 255 is ssh's own failure; a remote command may exit 255 too, so the message decides.
    if (exitCode == 255) {
        if (text.contains(u"REMOTE HOST IDENTIFICATION HAS CHANGED"_s) || text.contains(u"Host key for"_s)
            || text.contains(u"key has changed"_s)) {
            result.failure = SshFailure::HostKeyChanged;
            result.message = tr("the host key is not the one trusted before: someone may be in between, or the host was reinstalled");
        } else if (text.contains(u"Host key verification failed"_s) || text.contains(u"host key is known"_s)) {
            result.failure = SshFailure::UnknownHostKey;
            result.message = tr("the host key is not trusted yet: check its fingerprint and trust it first");
        } else if (text.contains(u"Permission denied"_s) || text.contains(u"Too many authentication failures"_s)) {
            result.failure = SshFailure::AuthRefused;
            result.message = tr("the host refused the key");
        } else if (text.contains(u"Connection refused"_s) || text.contains(u"Could not resolve"_s) || text.contains(u"timed out"_s)
                   || text.contains(u"No route to host"_s) || text.contains(u"Network is unreachable"_s)
                   || text.contains(u"Connection closed"_s) || text.contains(u"Connection reset"_s)) {
            result.failure = SshFailure::Unreachable;
            result.message = tr("unreachable: %1").arg(text.trimmed());
        }
        if (result.failure != SshFailure::None)
            return result;
    }
    if (exitCode != 0) {
        result.failure = SshFailure::CommandFailed;
        const QString detail = text.trimmed();
        result.message = detail.isEmpty() ? tr("the command failed (exit %1)").arg(exitCode)
                                          : tr("the command failed (exit %1): %2").arg(exitCode).arg(detail);
    }
    return result;
}

void SshRunner::finish(SshResult result)
{
    m_deadline.stop();
    if (QProcess *process = m_process) {
        m_process = nullptr;
        process->disconnect(this);
        // A killed client may take a moment to exit; it goes once it has.
        if (process->state() == QProcess::NotRunning) {
            process->deleteLater();
        } else {
            process->kill();
            connect(process, &QProcess::finished, process, &QObject::deleteLater);
        }
    }
    Q_EMIT finished(result);
}

} // namespace boo
