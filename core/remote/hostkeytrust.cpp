#include "core/remote/hostkeytrust.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace boo {

HostKeyTrust::HostKeyTrust(QObject *parent)
    : QObject(parent)
{
}

HostKeyTrust::~HostKeyTrust()
{
    if (m_process) {
        m_process->disconnect(this);
        m_process->kill();
        m_process->waitForFinished(1000);
        delete m_process;
    }
}

void HostKeyTrust::scan(const SshTarget &target, int timeoutSeconds)
{
    Q_ASSERT(!m_process);
    auto *process = new QProcess(this);
    m_process = process;
    const auto done = [this, process](HostKeyScanResult result) {
        process->disconnect(this);
        process->deleteLater();
        m_process = nullptr;
        Q_EMIT scanned(result);
    };
    connect(process, &QProcess::errorOccurred, this, [process, done](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            done({{}, tr("cannot run ssh-keyscan: %1").arg(process->errorString())});
    });
    connect(process, &QProcess::finished, this, [process, done, target] {
        HostKeyScanResult result;
        result.keys = parseScan(process->readAllStandardOutput());
        if (result.keys.isEmpty())
            result.error = tr("%1 offered no host key (unreachable, or not an SSH server)").arg(target.toString());
        done(result);
    });
    process->start(keyscanProgram, {u"-T"_s, QString::number(timeoutSeconds), u"-p"_s, QString::number(target.port), u"--"_s, target.host});
    process->closeWriteChannel();
}

QString HostKeyTrust::fingerprint(const QByteArray &base64Blob)
{
    const QByteArray digest = QCryptographicHash::hash(QByteArray::fromBase64(base64Blob), QCryptographicHash::Sha256);
    return u"SHA256:"_s + QString::fromLatin1(digest.toBase64(QByteArray::OmitTrailingEquals));
}

QList<HostKey> HostKeyTrust::parseScan(const QByteArray &output)
{
    QList<HostKey> keys;
    for (const QByteArray &rawLine : output.split('\n')) {
        const QByteArray line = rawLine.trimmed();
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const QList<QByteArray> fields = line.simplified().split(' ');
        if (fields.size() < 3 || !(fields[1].startsWith("ssh-") || fields[1].startsWith("ecdsa-")))
            continue;
        keys << HostKey{QString::fromLatin1(fields[0] + ' ' + fields[1] + ' ' + fields[2]), QString::fromLatin1(fields[1]),
                        fingerprint(fields[2])};
    }
    return keys;
}

Result<void> HostKeyTrust::trust(const QString &knownHostsFile, const QList<HostKey> &keys)
{
    const QFileInfo info(knownHostsFile);
    if (!QDir().mkpath(info.absolutePath()))
        return makeError(u"ssh.known-hosts"_s, tr("cannot create the folder of '%1'").arg(knownHostsFile));
    QFile file(knownHostsFile);
    QByteArray existing;
    if (file.exists()) {
        if (!file.open(QIODevice::ReadOnly))
            return makeError(u"ssh.known-hosts"_s, tr("cannot read '%1': %2").arg(knownHostsFile, file.errorString()));
        existing = file.readAll();
        file.close();
    }
    if (!file.open(QIODevice::Append | QIODevice::Text))
        return makeError(u"ssh.known-hosts"_s, tr("cannot write '%1': %2").arg(knownHostsFile, file.errorString()));
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    const QList<QByteArray> lines = existing.split('\n');
    for (const HostKey &key : keys) {
        const QByteArray line = key.knownHostsLine.toLatin1();
        if (lines.contains(line))
            continue;
        if (file.write(line + '\n') < 0)
            return makeError(u"ssh.known-hosts"_s, tr("cannot write '%1': %2").arg(knownHostsFile, file.errorString()));
    }
    return {};
}

} // namespace boo
