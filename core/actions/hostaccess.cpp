#include "core/actions/hostaccess.h"

#include "core/protocol/apierror.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>

using namespace Qt::StringLiterals;

namespace boo {

HostAccess::HostAccess(EndpointLookup lookup, QNetworkAccessManager *nam, QObject *parent)
    : QObject(parent)
    , m_lookup(std::move(lookup))
    , m_nam(nam)
{
}

std::optional<HostEndpoint> HostAccess::endpoint(const QString &hostId) const
{
    return m_lookup ? m_lookup(hostId) : std::nullopt;
}

void HostAccess::fetchCaptureResponse(const QString &hostId, qint64 captureId, QObject *context, HostEndpoint::Callback done)
{
    const auto host = endpoint(hostId);
    if (!host) {
        done(makeError(u"host.unknown"_s, u"no watched host '%1'"_s.arg(hostId)));
        return;
    }
    host->send(m_nam, "GET", u"/api/captures/%1"_s.arg(captureId), {}, kCaptureTimeoutMs, context, std::move(done));
}

void HostAccess::fetchCapture(const QString &hostId, qint64 captureId, QObject *context, CaptureCallback done)
{
    fetchCaptureResponse(hostId, captureId, context,
                         [captureId, done = std::move(done)](Result<HostResponse> response) { done(decodeCapture(response, captureId)); });
}

Result<Capture> HostAccess::decodeCapture(const Result<HostResponse> &response, qint64 captureId)
{
    if (!response)
        return response.error();
    if (response->status == 404) {
        return makeError(u"capture.gone"_s,
                         u"capture %1 is no longer on the host: llama-swap keeps captures in a small "
                         u"in-memory buffer (captureBuffer, 5 MB by default) and drops the oldest first, "
                         u"and loses them when it restarts"_s.arg(captureId));
    }
    if (response->status != 200) {
        const auto error = ApiError::fromBody(response->body);
        return makeError(u"capture.failed"_s,
                         u"capture %1: HTTP %2: %3"_s.arg(captureId)
                             .arg(response->status)
                             .arg(error ? error->message : QString::fromUtf8(response->body.left(200))));
    }
    return Capture::fromJson(response->body);
}

Result<QNetworkReply *> HostAccess::openLogStream(const QString &hostId, const QString &source) const
{
    const auto host = endpoint(hostId);
    if (!host)
        return makeError(u"host.unknown"_s, u"no watched host '%1'"_s.arg(hostId));
    QNetworkRequest request = host->streamRequest(u"/logs/stream/"_s + source);
    request.setRawHeader("Accept", "text/plain");
    return m_nam->get(request);
}

} // namespace boo
