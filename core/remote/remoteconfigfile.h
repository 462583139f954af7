#pragma once

#include "core/common/enumnames.h"
#include "core/common/result.h"
#include "core/remote/sshrunner.h"

#include <QDateTime>
#include <QHash>
#include <QObject>

namespace boo {

// How a host's llama-swap picks up a new config file.
enum class ReloadKind { Sighup, Watch, Systemctl, Command };
inline constexpr EnumName<ReloadKind> kReloadKindNames[] = {
    {ReloadKind::Sighup, u"sighup"},
    {ReloadKind::Watch, u"watch"},
    {ReloadKind::Systemctl, u"systemctl"},
    {ReloadKind::Command, u"command"},
};

struct ReloadMethod
{
    ReloadKind kind = ReloadKind::Sighup;
    QString argument; // the unit for Systemctl, the shell command for Command

    // "sighup", "watch" (llama-swap -watch-config), "systemctl restart UNIT", "command: …"
    static Result<ReloadMethod> parse(const QString &text);
    // The remote shell command; empty for Watch (writing the file is the reload). SIGHUP goes
    // to the processes of that name (as `pgrep -x` matches it: at most 15 characters).
    QString shellCommand(const QString &processName = QStringLiteral("llama-swap")) const;
};

enum class RemoteConfigStep { Environment, Read, Backup, Write, Reload };
inline constexpr EnumName<RemoteConfigStep> kRemoteConfigStepNames[] = {
    {RemoteConfigStep::Environment, u"environment"}, {RemoteConfigStep::Read, u"read"},
    {RemoteConfigStep::Backup, u"backup"},           {RemoteConfigStep::Write, u"write"},
    {RemoteConfigStep::Reload, u"reload"},
};

struct RemoteConfigResult
{
    RemoteConfigStep step = RemoteConfigStep::Read;
    SshFailure failure = SshFailure::None;
    bool changedSinceRead = false;       // Write refused: the file is not the one that was read
    QString message;                     // empty on success
    QByteArray content;                  // Read: the file
    QString sha256;                      // Read: of the file; Write: of what was written
    QString backupPath;                  // Backup: where the copy is, next to the file
    QHash<QString, QString> environment; // Environment: llama-swap's, what ${env.NAME} reads

    bool ok() const { return failure == SshFailure::None && !changedSinceRead; }
};

// The steps that touch a host's llama-swap config file over SSH, one at a time:
//   environment  of the running llama-swap process (/proc/PID/environ), which is what its
//           ${env.NAME} macros read on the next reload: ConfigValidationOptions::hostEnvironment;
//   read    the file and its SHA-256;
//   backup  a timestamped copy next to it (`config.yaml.boocontrol-20261207T134501Z.bak`,
//           owner, mode and time kept);
//   write   atomically: the new text goes to a temporary file in the same folder, is checked
//           to have arrived whole (its SHA-256), takes the old file's mode and owner, and is
//           renamed over it — but only if the file still has
//           the SHA-256 it had when read (someone else's edit is never overwritten);
//   reload  as the host is set up to (SIGHUP, nothing for -watch-config, systemctl, a command).
class RemoteConfigFile final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RemoteConfigFile)

public:
    RemoteConfigFile(SshSettings settings, QString path, QObject *parent = nullptr);

    bool isBusy() const { return m_runner.isRunning(); }
    // The name llama-swap runs under on the host (default llama-swap), for the environment
    // step and a SIGHUP reload.
    void setProcessName(const QString &name) { m_processName = name; }
    void readEnvironment();
    void read();
    // keep > 0: afterwards only the newest `keep` backups of this file stay on the host.
    void backup(const QDateTime &when = QDateTime::currentDateTimeUtc(), int keep = 0);
    void write(const QByteArray &content, const QString &expectedSha256);
    void reload(const ReloadMethod &method);

    static QString sha256(const QByteArray &content);
    // The remote shell scripts, for tests and the job log.
    static QString environmentScript(const QString &processName);
    static QString readScript(const QString &path);
    // NAME=value entries separated by NUL, as /proc/PID/environ holds them.
    static QHash<QString, QString> parseEnvironment(const QByteArray &environ);
    static QString backupScript(const QString &path, const QDateTime &when, int keep = 0);
    static QString writeScript(const QString &path, const QString &expectedSha256, const QString &newSha256);

Q_SIGNALS:
    void finished(const boo::RemoteConfigResult &result);

private:
    void start(RemoteConfigStep step, const QString &script, const QByteArray &input = {});
    void onFinished(const SshResult &ssh);

    QString m_path;
    SshRunner m_runner;
    RemoteConfigStep m_step = RemoteConfigStep::Read;
    QString m_writtenSha256;
    QString m_processName = QStringLiteral("llama-swap");
};

} // namespace boo
