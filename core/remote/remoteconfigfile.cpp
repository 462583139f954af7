#include "core/remote/remoteconfigfile.h"

#include <QCryptographicHash>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace boo {
namespace {

// The write script's own exit status for "the file changed since it was read".
constexpr int kExitChangedSinceRead = 17;

QString q(const QString &text)
{
    return SshRunner::shellQuote(text);
}

} // namespace

Result<ReloadMethod> ReloadMethod::parse(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == u"sighup"_s)
        return ReloadMethod{ReloadKind::Sighup, {}};
    if (trimmed == u"watch"_s)
        return ReloadMethod{ReloadKind::Watch, {}};
    static const QRegularExpression systemctl(u"^systemctl\\s+restart\\s+([A-Za-z0-9@._:-]+)$"_s);
    if (const auto match = systemctl.match(trimmed); match.hasMatch())
        return ReloadMethod{ReloadKind::Systemctl, match.captured(1)};
    if (trimmed.startsWith(u"command:"_s) && !trimmed.mid(8).trimmed().isEmpty())
        return ReloadMethod{ReloadKind::Command, trimmed.mid(8).trimmed()};
    return makeError(u"remote.reload"_s, u"'%1': expected sighup, watch, systemctl restart UNIT or command: …"_s.arg(text));
}

QString ReloadMethod::shellCommand(const QString &processName) const
{
    switch (kind) {
    case ReloadKind::Sighup:
        // llama-swap reloads its config on SIGHUP; no process is an error worth seeing.
        return u"pkill -HUP -x -- %1 || { echo 'no %2 process to signal' >&2; exit 1; }"_s.arg(q(processName), processName);
    case ReloadKind::Watch: return {};
    case ReloadKind::Systemctl: return u"systemctl restart -- "_s + q(argument);
    case ReloadKind::Command: return argument;
    }
    return {};
}

RemoteConfigFile::RemoteConfigFile(SshSettings settings, QString path, QObject *parent)
    : QObject(parent)
    , m_path(std::move(path))
    , m_runner(std::move(settings))
{
    connect(&m_runner, &SshRunner::finished, this, &RemoteConfigFile::onFinished);
}

QString RemoteConfigFile::sha256(const QByteArray &content)
{
    return QString::fromLatin1(QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex());
}

QString RemoteConfigFile::environmentScript(const QString &processName)
{
    // The oldest process of that name: the server, not a child it started.
    return uR"sh(p=$(pgrep -x -o -- %1) || { echo 'no %1 process' >&2; exit 1; }
cat "/proc/$p/environ")sh"_s.arg(q(processName));
}

QHash<QString, QString> RemoteConfigFile::parseEnvironment(const QByteArray &environ)
{
    QHash<QString, QString> environment;
    for (const QByteArray &entry : environ.split('\0')) {
        const qsizetype equals = entry.indexOf('=');
        if (equals > 0)
            environment.insert(QString::fromUtf8(entry.left(equals)), QString::fromUtf8(entry.mid(equals + 1)));
    }
    return environment;
}

QString RemoteConfigFile::readScript(const QString &path)
{
    return u"cat -- "_s + q(path);
}

QString RemoteConfigFile::backupScript(const QString &path, const QDateTime &when, int keep)
{
    const QString stamp = when.toUTC().toString(u"yyyyMMdd'T'HHmmss'Z'"_s);
    // Two backups in one second (an apply and its rollback) must not overwrite each other: the
    // second gets a suffix. `cp -n` never replaces an existing copy even if a name is reused.
    // Pruning keeps the newest `keep` copies of this file (the names sort by time) and runs
    // only after the new copy exists.
    QString script = uR"sh(set -e
f=%1
b="$f.boocontrol-%2.bak"
n=1
while [ -e "$b" ]; do b="$f.boocontrol-%2_$n.bak"; n=$((n + 1)); done
cp -p -n -- "$f" "$b"
[ -f "$b" ] || { echo "could not copy $f to $b" >&2; exit 1; }
printf '%s\n' "$b")sh"_s.arg(q(path), stamp);
    if (keep > 0) {
        script += uR"sh(
ls -1 -- "$f".boocontrol-*.bak 2>/dev/null | LC_ALL=C sort | head -n -%1 | while IFS= read -r old; do rm -f -- "$old"; done
true)sh"_s.arg(keep);
    }
    return script;
}

QString RemoteConfigFile::writeScript(const QString &path, const QString &expectedSha256, const QString &newSha256)
{
    // POSIX sh and coreutils. The temporary file is in the target's folder so that mv is a
    // rename on one file system (atomic), and is removed if anything fails before the rename.
    return uR"sh(set -e
f=%1
[ -f "$f" ] || { echo "$f is not a file on the host" >&2; exit 1; }
current=$(sha256sum -- "$f" | cut -d' ' -f1)
if [ "$current" != %2 ]; then echo "the file changed since it was read (sha256 $current)" >&2; exit %3; fi
t=$(mktemp "$(dirname -- "$f")/.$(basename -- "$f").boocontrol.XXXXXX")
trap 'rm -f -- "$t"' EXIT
cat > "$t"
# A connection that drops mid-transfer ends cat's input early and cleanly: only a complete
# file is renamed into place.
received=$(sha256sum -- "$t" | cut -d' ' -f1)
if [ "$received" != %4 ]; then echo "the new file arrived incomplete (sha256 $received); nothing was changed" >&2; exit 1; fi
chmod --reference="$f" -- "$t"
chown --reference="$f" -- "$t" 2>/dev/null || true
sync -- "$t" 2>/dev/null || sync
mv -f -- "$t" "$f"
trap - EXIT)sh"_s.arg(q(path), q(expectedSha256), QString::number(kExitChangedSinceRead), q(newSha256));
}

void RemoteConfigFile::readEnvironment()
{
    start(RemoteConfigStep::Environment, environmentScript(m_processName));
}

void RemoteConfigFile::read()
{
    start(RemoteConfigStep::Read, readScript(m_path));
}

void RemoteConfigFile::backup(const QDateTime &when, int keep)
{
    start(RemoteConfigStep::Backup, backupScript(m_path, when, keep));
}

void RemoteConfigFile::write(const QByteArray &content, const QString &expectedSha256)
{
    m_writtenSha256 = sha256(content);
    start(RemoteConfigStep::Write, writeScript(m_path, expectedSha256, m_writtenSha256), content);
}

void RemoteConfigFile::reload(const ReloadMethod &method)
{
    const QString command = method.shellCommand(m_processName);
    start(RemoteConfigStep::Reload, command.isEmpty() ? u"true"_s : command);
}

void RemoteConfigFile::start(RemoteConfigStep step, const QString &script, const QByteArray &input)
{
    Q_ASSERT(!m_runner.isRunning());
    m_step = step;
    m_runner.run(script, input);
}

void RemoteConfigFile::onFinished(const SshResult &ssh)
{
    RemoteConfigResult result;
    result.step = m_step;
    result.failure = ssh.failure;
    result.message = ssh.message;
    if (m_step == RemoteConfigStep::Write && ssh.failure == SshFailure::CommandFailed && ssh.exitCode == kExitChangedSinceRead) {
        result.failure = SshFailure::None;
        result.changedSinceRead = true;
        result.message = tr("%1 changed on the host since it was read: read it again and review the difference").arg(m_path);
    } else if (ssh.ok()) {
        switch (m_step) {
        case RemoteConfigStep::Environment: result.environment = parseEnvironment(ssh.out); break;
        case RemoteConfigStep::Read:
            result.content = ssh.out;
            result.sha256 = sha256(ssh.out);
            break;
        case RemoteConfigStep::Backup: result.backupPath = QString::fromUtf8(ssh.out).trimmed(); break;
        case RemoteConfigStep::Write: result.sha256 = m_writtenSha256; break;
        case RemoteConfigStep::Reload: break;
        }
    }
    Q_EMIT finished(result);
}

} // namespace boo
