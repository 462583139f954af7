#include "core/server/listenaddress.h"

using namespace Qt::StringLiterals;

namespace boo {

Result<ListenAddress> ListenAddress::parse(const QString &text)
{
    const QString trimmed = text.trimmed();
    const qsizetype colon = trimmed.lastIndexOf(u':');
    auto bad = [&](const QString &why) {
        return makeError(u"listen.invalid"_s,
                         u"--listen '%1': %2 (expected ADDR:PORT, e.g. 127.0.0.1:9503 or [::1]:9503)"_s.arg(text, why));
    };
    if (colon <= 0)
        return bad(u"no port"_s);
    QString host = trimmed.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    bool ok = false;
    const uint port = trimmed.mid(colon + 1).toUInt(&ok);
    if (!ok || port == 0 || port > 65535)
        return bad(u"port must be 1-65535"_s);
    ListenAddress listen;
    if (host == u"localhost"_s)
        listen.address = QHostAddress(QHostAddress::LocalHost);
    else if (host == u"*"_s || host == u"0.0.0.0"_s)
        listen.address = QHostAddress(QHostAddress::AnyIPv4);
    else if (!listen.address.setAddress(host))
        return bad(u"'%1' is not an IP address"_s.arg(host));
    listen.port = quint16(port);
    return listen;
}

QString ListenAddress::toString() const
{
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol ? u'[' + address.toString() + u']' : address.toString();
    return host + u':' + QString::number(port);
}

} // namespace boo
