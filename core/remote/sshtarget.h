#pragma once

#include "core/common/result.h"

#include <QString>

namespace boo {

// Where a host's shell is: `user@host:port` as the provider registry writes it (user and port
// optional; an IPv6 address in brackets: `root@[::1]:2222`).
struct SshTarget
{
    QString user;
    QString host;
    int port = 22;

    static Result<SshTarget> parse(const QString &text);
    // user@host for ssh's command line (the port goes to -p).
    QString destination() const;
    // The name ssh looks the host key up by in known_hosts: host, or [host]:port off port 22.
    QString knownHostsName() const;
    QString toString() const;

    friend bool operator==(const SshTarget &, const SshTarget &) = default;
};

} // namespace boo
