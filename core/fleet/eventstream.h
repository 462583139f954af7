#pragma once

#include "core/common/result.h"
#include "core/protocol/eventdecoder.h"
#include "core/protocol/hostevent.h"
#include "core/protocol/sseparser.h"

#include <QElapsedTimer>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QObject>
#include <QPointer>
#include <QTimer>

class QNetworkAccessManager;


namespace boo {

// llama-swap's `GET /api/events` as a stream of decoded HostEvents.
//
// The stream has no transfer timeout (an idle host sends nothing for minutes); only the wait for
// the response headers is bounded, so a host that accepts connections but never answers is
// noticed. Malformed frames are reported one by one and never end the stream.
class EventStream final : public QObject
{
    Q_OBJECT

public:
    static constexpr qint64 kReadBufferBytes = 1024 * 1024;

    explicit EventStream(QNetworkAccessManager *nam, QObject *parent = nullptr);
    ~EventStream() override;
    Q_DISABLE_COPY_MOVE(EventStream)

    void open(const QNetworkRequest &request, int headerTimeoutMs);
    // Ends the stream without signalling lost().
    void close();
    bool isOpen() const { return m_reply != nullptr; }
    // Milliseconds since the last byte arrived (or since open()).
    qint64 quietMs() const { return m_lastByte.isValid() ? m_lastByte.elapsed() : 0; }

    qint64 droppedOversizedEvents() const { return m_parser.droppedEventCount(); }
    const EventDecoder &decoder() const { return m_decoder; }

Q_SIGNALS:
    void opened();
    void received(const boo::HostEvent &event);
    void malformed(const boo::Error &error);
    // The stream ended: refused, HTTP error, network error or closed by the host.
    void lost(const boo::Error &error);

private:
    void onHeaders();
    void onReadyRead();
    void onFinished();
    void fail(const Error &error);

    QNetworkAccessManager *m_nam;
    QPointer<QNetworkReply> m_reply;
    SseParser m_parser;
    EventDecoder m_decoder;
    QTimer m_headerTimer;
    QElapsedTimer m_lastByte;
    bool m_headersSeen = false;
};

} // namespace boo
