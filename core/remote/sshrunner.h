#pragma once

#include "core/common/enumnames.h"
#include "core/remote/sshtarget.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QProcess>
#include <QTimer>

namespace boo {

// Why a remote command did not succeed, told apart from ssh's own exit code 255 and messages.
enum class SshFailure { None, Unreachable, UnknownHostKey, HostKeyChanged, AuthRefused, CommandFailed, Timeout, ClientMissing };
inline constexpr EnumName<SshFailure> kSshFailureNames[] = {
    {SshFailure::None, u"none"},
    {SshFailure::Unreachable, u"unreachable"},
    {SshFailure::UnknownHostKey, u"unknown-host-key"},
    {SshFailure::HostKeyChanged, u"host-key-changed"},
    {SshFailure::AuthRefused, u"auth-refused"},
    {SshFailure::CommandFailed, u"command-failed"},
    {SshFailure::Timeout, u"timeout"},
    {SshFailure::ClientMissing, u"client-missing"},
};

// How to reach one host. The key is a file (a `keychain:` reference is resolved to a file by
// the caller); host keys are checked against BooControl's own known_hosts file, never the
// user's, and never accepted on first sight: HostKeyTrust adds them after a person has seen the
// fingerprint.
struct SshSettings
{
    SshTarget target;
    QString identityFile;
    QString knownHostsFile;
    int connectTimeoutSeconds = 10;
    int commandTimeoutMs = 120000;
    QString sshProgram = QStringLiteral("ssh");
};

struct SshResult
{
    SshFailure failure = SshFailure::None;
    int exitCode = -1; // the remote command's, when it ran
    QByteArray out;
    QByteArray err;
    QString message; // for a person; empty on success

    bool ok() const { return failure == SshFailure::None; }
};

// Runs one command on a host with the system's OpenSSH client: BatchMode (no prompts: no
// passwords, no passphrases), StrictHostKeyChecking, no user or system ssh config (the
// settings above are all that applies), stdin fed from `input`. One command at a time; reports
// through finished(). Dropping the runner kills a command still running.
class SshRunner final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SshRunner)

public:
    explicit SshRunner(SshSettings settings, QObject *parent = nullptr);
    ~SshRunner() override;

    const SshSettings &settings() const { return m_settings; }
    bool isRunning() const { return m_process != nullptr; }
    // `remoteCommand` is run by the remote user's shell as written: quote with shellQuote().
    void run(const QString &remoteCommand, const QByteArray &input = {});

    // The arguments given to ssh for `remoteCommand` (exposed for tests and the job log).
    QStringList arguments(const QString &remoteCommand) const;
    // 'text' for a POSIX shell, with embedded single quotes escaped.
    static QString shellQuote(const QString &text);
    // What ssh's exit status and stderr say went wrong.
    static SshResult classify(int exitCode, const QByteArray &out, const QByteArray &err);

Q_SIGNALS:
    void finished(const boo::SshResult &result);

private:
    void finish(SshResult result);

    SshSettings m_settings;
    QPointer<QProcess> m_process;
    QTimer m_deadline;
};

} // namespace boo
