#include "core/remote/sshtarget.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace boo {

Result<SshTarget> SshTarget::parse(const QString &text)
{
    // A host or user starting with '-' would be read by ssh as an option.
    static const QRegularExpression pattern(
        u"^(?:([A-Za-z0-9._][A-Za-z0-9._-]*)@)?(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9._][A-Za-z0-9._-]*)(?::([0-9]{1,5}))?$"_s);
    const QRegularExpressionMatch match = pattern.match(text.trimmed());
    if (!match.hasMatch())
        return makeError(u"ssh.target"_s, u"'%1' is not an SSH target: expected user@host:port (user and port optional)"_s.arg(text));
    SshTarget target;
    target.user = match.captured(1);
    target.host = match.captured(2);
    if (target.host.startsWith(u'['))
        target.host = target.host.mid(1, target.host.size() - 2);
    if (match.hasCaptured(3) && !match.captured(3).isEmpty()) {
        target.port = match.captured(3).toInt();
        if (target.port < 1 || target.port > 65535)
            return makeError(u"ssh.target"_s, u"'%1': port %2 is out of range"_s.arg(text).arg(target.port));
    }
    return target;
}

QString SshTarget::destination() const
{
    return user.isEmpty() ? host : user + u'@' + host;
}

QString SshTarget::knownHostsName() const
{
    return port == 22 ? host : u"[%1]:%2"_s.arg(host).arg(port);
}

QString SshTarget::toString() const
{
    const QString shownHost = host.contains(u':') ? u'[' + host + u']' : host;
    return (user.isEmpty() ? QString() : user + u'@') + shownHost + (port == 22 ? QString() : u':' + QString::number(port));
}

} // namespace boo
