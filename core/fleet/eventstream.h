#pragma once

#include "core/common/result.h"
#include "core/http/upstreamconnection.h"
#include "core/protocol/eventdecoder.h"
#include "core/protocol/hostevent.h"
#include "core/protocol/sseparser.h"

#include <QElapsedTimer>
#include <QNetworkRequest>
#include <QObject>
#include <QPointer>
#include <QUrl>

namespace boo {

// llama-swap's `GET /api/events` as a stream of decoded HostEvents.
//
// The stream has no transfer timeout (an idle host sends nothing for minutes); only the wait for
// the connection and the response headers is bounded, so a host that accepts connections but
// never answers is noticed. Malformed frames are reported one by one and never end the stream.
//
// Read on this thread with our own HTTP/1.1 connection rather than QNetworkAccessManager: a busy
// host sends thousands of small frames a second, and QNAM would wake its own thread for each and
// hand every one across with a queued event.
class EventStream final : public QObject, private UpstreamConnection::Listener
{
    Q_OBJECT

public:
    // The most of an error body (401, 404, ...) kept for the message.
    static constexpr qsizetype kErrorBodyBytes = 64 * 1024;

    explicit EventStream(QObject *parent = nullptr);
    ~EventStream() override;
    Q_DISABLE_COPY_MOVE(EventStream)

    // The URL and raw headers of `request` are sent (Authorization, Accept, ...).
    void open(const QNetworkRequest &request, int headerTimeoutMs);
    // Ends the stream without signalling lost().
    void close();
    bool isOpen() const { return m_connection != nullptr; }
    // Milliseconds since the last byte arrived (or since open()).
    qint64 quietMs() const { return m_lastByte.isValid() ? m_lastByte.elapsed() : 0; }

    qint64 droppedOversizedEvents() const { return m_parser.droppedEventCount(); }
    const EventDecoder &decoder() const { return m_decoder; }

    // "GET /path HTTP/1.1" with Host and the request's raw headers; Basic credentials from the
    // URL become an Authorization header unless the request has one.
    static QByteArray httpRequest(const QNetworkRequest &request);

Q_SIGNALS:
    void opened();
    void received(const boo::HostEvent &event);
    void malformed(const boo::Error &error);
    // The stream ended: refused, HTTP error, network error or closed by the host.
    void lost(const boo::Error &error);

private:
    void upstreamHead(int status, const HttpHeaders &headers) override;
    void upstreamBody(QByteArrayView piece) override;
    void upstreamComplete() override;
    void upstreamFailed(UpstreamFailure failure, const QString &message) override;
    void fail(const Error &error);

    QPointer<UpstreamConnection> m_connection;
    QString m_shownUrl;          // without credentials, for messages
    int m_headerTimeoutMs = 0;
    int m_status = 0;
    QByteArray m_errorBody;
    SseParser m_parser;
    EventDecoder m_decoder;
    QElapsedTimer m_lastByte;
};

} // namespace boo
