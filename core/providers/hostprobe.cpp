#include "core/providers/hostprobe.h"

#include "core/http/hostendpoint.h"

using namespace Qt::StringLiterals;

namespace boo {

void HostProbe::probe(QNetworkAccessManager *nam, const QUrl &baseUrl, const QString &apiKey, QObject *context, Callback done,
                      int timeoutMs)
{
    HostEndpoint endpoint(baseUrl, apiKey);
    endpoint.send(nam, "GET", u"/api/version"_s, {}, timeoutMs, context, [done = std::move(done)](Result<HostResponse> answer) {
        if (!answer)
            return done(answer.error());
        if (answer->status == 401 || answer->status == 403)
            return done(makeError(u"probe.auth"_s, u"the host refused the API key (HTTP %1)"_s.arg(answer->status)));
        if (answer->status != 200)
            return done(
                makeError(u"probe.status"_s, u"GET /api/version answered HTTP %1: is this a llama-swap host?"_s.arg(answer->status)));
        auto version = VersionInfo::fromJson(answer->body);
        if (!version)
            return done(makeError(u"probe.body"_s, u"GET /api/version did not answer like llama-swap: "_s + version.error().message));
        done(*version);
    });
}

} // namespace boo
