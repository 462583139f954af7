#pragma once

#include "core/common/result.h"
#include "core/http/hostendpoint.h"
#include "core/protocol/capture.h"

#include <QObject>

#include <functional>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

namespace boo {

// Reaches a watched host by its provider id, with the endpoint (base URL, API key) its
// connector uses: captures, log streams and the requests of actions. The desktop uses it
// in-process; the server uses the same object behind its control API, so an attached cockpit
// gets exactly what a local one would.
class HostAccess final : public QObject
{
    Q_OBJECT

public:
    using EndpointLookup = std::function<std::optional<HostEndpoint>(const QString &hostId)>;
    using CaptureCallback = std::function<void(Result<Capture>)>;

    static constexpr int kCaptureTimeoutMs = 10000;

    HostAccess(EndpointLookup lookup, QNetworkAccessManager *nam, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(HostAccess)

    std::optional<HostEndpoint> endpoint(const QString &hostId) const;
    QNetworkAccessManager *network() const { return m_nam; }

    // GET /api/captures/{id}, undecoded (the server passes the host's answer through).
    void fetchCaptureResponse(const QString &hostId, qint64 captureId, QObject *context, HostEndpoint::Callback done);
    void fetchCapture(const QString &hostId, qint64 captureId, QObject *context, CaptureCallback done);
    // A host's (or the server's) answer to a capture request, decoded. 404 becomes the error
    // "capture.gone": llama-swap keeps captures in a small in-memory buffer and evicts old ones.
    static Result<Capture> decodeCapture(const Result<HostResponse> &response, qint64 captureId);

    // GET /logs/stream/{source} (source: "proxy", "upstream" or a model id). The reply streams
    // until it is aborted; it has no transfer timeout. The caller owns it.
    Result<QNetworkReply *> openLogStream(const QString &hostId, const QString &source) const;

private:
    EndpointLookup m_lookup;
    QNetworkAccessManager *m_nam;
};

} // namespace boo
