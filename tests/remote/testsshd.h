#pragma once

#include "core/remote/sshrunner.h"

#include <QProcess>
#include <QTemporaryDir>

// A real OpenSSH server on loopback for the tests of core/remote: its own host key, an
// authorized user key, its own port, started with `sshd -D` from a private config. The current
// user logs in (root too: PermitRootLogin prohibit-password). Nothing outside its temporary
// folder is touched; the server stops with the object.
class TestSshd final
{
public:
    TestSshd();
    ~TestSshd();
    Q_DISABLE_COPY_MOVE(TestSshd)

    // Empty when the server runs; otherwise why not (a test then skips or fails with it).
    QString start();

    int port() const { return m_port; }
    QString path(const QString &name) const { return m_dir.filePath(name); }
    QString userKey() const { return path(QStringLiteral("user_key")); }
    QString hostPublicKey() const { return path(QStringLiteral("host_key.pub")); }
    // Settings for the current user with the authorized key and an empty known_hosts file of
    // the test's own (no host key trusted yet).
    boo::SshSettings settings() const;
    // Scans the server's host key as an operator's "trust this host" step does and writes it to
    // `knownHostsFile`. Empty on success, otherwise why not.
    QString trustHostKey(const QString &knownHostsFile) const;
    // A fresh key pair that the server does not accept.
    QString makeKey(const QString &name) const;

private:
    QTemporaryDir m_dir;
    QProcess m_sshd;
    int m_port = 0;
};
