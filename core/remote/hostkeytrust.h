#pragma once

#include "core/common/result.h"
#include "core/remote/sshtarget.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QProcess>

namespace boo {

// One host key as the host offers it: the line for known_hosts and what a person compares
// against the host's own `ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub`.
struct HostKey
{
    QString knownHostsLine; // "[host]:port ssh-ed25519 AAAA…"
    QString type;           // "ssh-ed25519"
    QString fingerprint;    // "SHA256:…", as ssh-keygen -l prints it

    friend bool operator==(const HostKey &, const HostKey &) = default;
};

struct HostKeyScanResult
{
    QList<HostKey> keys;
    QString error; // empty when keys were read
};

// The "trust this host key" step: fetches the keys a host offers (ssh-keyscan), shows their
// fingerprints, and — only once a person has compared them — adds them to BooControl's own
// known_hosts file. SshRunner never accepts a key by itself.
class HostKeyTrust final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HostKeyTrust)

public:
    explicit HostKeyTrust(QObject *parent = nullptr);
    ~HostKeyTrust() override;

    void scan(const SshTarget &target, int timeoutSeconds = 10);

    // SHA256 fingerprint of a key blob (the base64 field of a key line), as OpenSSH prints it.
    static QString fingerprint(const QByteArray &base64Blob);
    // Parses ssh-keyscan output (comments and unknown lines skipped).
    static QList<HostKey> parseScan(const QByteArray &output);
    // Appends the keys that are not there yet to `knownHostsFile` (created 0600 with its folder).
    static Result<void> trust(const QString &knownHostsFile, const QList<HostKey> &keys);

    QString keyscanProgram = QStringLiteral("ssh-keyscan");

Q_SIGNALS:
    void scanned(const boo::HostKeyScanResult &result);

private:
    QPointer<QProcess> m_process;
};

} // namespace boo
