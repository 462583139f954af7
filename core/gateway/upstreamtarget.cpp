#include "core/gateway/upstreamtarget.h"

#include <QUrl>

using namespace Qt::StringLiterals;

namespace boo {

UpstreamTarget UpstreamTarget::fromProvider(const ProviderConfig &provider, const QString &apiKey)
{
    UpstreamTarget t;
    t.providerId = provider.id;
    t.kind = provider.kind;
    const QUrl &url = provider.baseUrl;
    t.origin.tls = url.scheme() == u"https"_s;
    t.origin.host = url.host();
    t.origin.port = quint16(url.port(t.origin.tls ? 443 : 80));
    t.basePath = url.path(QUrl::FullyEncoded);
    while (t.basePath.endsWith(u'/'))
        t.basePath.chop(1);
    const bool defaultPort = url.port() < 0;
    const QString host = t.origin.host.contains(u':') ? u'[' + t.origin.host + u']' : t.origin.host;
    t.hostHeader = (defaultPort ? host : host + u':' + QString::number(t.origin.port)).toUtf8();
    if (!apiKey.isEmpty())
        t.authorization = "Bearer " + apiKey.toUtf8();
    return t;
}

QByteArray UpstreamTarget::pathFor(const QString &openAiPath) const
{
    QString path = openAiPath;
    if (kind == ProviderKind::OpenAi && path.startsWith(u"/v1/"_s))
        path = path.mid(3);
    return (basePath + path).toUtf8();
}

} // namespace boo
