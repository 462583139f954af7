#pragma once

#include "core/common/result.h"
#include "core/http/upstreamconnection.h"
#include "core/protocol/eventdecoder.h"
#include "core/protocol/hostevent.h"
#include "core/protocol/sseparser.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <atomic>
#include <memory>

namespace boo {

// Decoded events and malformed frames of one stream, in order, handed over together.
struct EventBatch
{
    QList<Result<HostEvent>> items;
};

// The reading half of EventStream, on the shared event-stream thread: one HTTP/1.1 connection
// to `GET /api/events`, SSE framing and decoding. Every signal carries the generation of the
// open() it belongs to, so that EventStream can drop what was under way when it closed.
// Decoded events are handed over in batches, in order, before lost() of the same stream.
class EventStreamReader final : public QObject, private UpstreamConnection::Listener
{
    Q_OBJECT

public:
    // The most of an error body (401, 404, ...) kept for the message.
    static constexpr qsizetype kErrorBodyBytes = 64 * 1024;
    // Events reach the owner's thread at most this often per stream: at thousands of events a
    // second, one hand-over per read would wake the gateway's thread between every two requests
    // it relays (docs/performance.md). A quiet stream's first event goes at once.
    static constexpr qint64 kHandOverEveryMs = 5;
    // Back-pressure: with this many events handed over and not yet taken, the reader stops
    // reading (TCP then slows the host, which drops events as llama-swap does for any slow
    // client) until the owner has caught up to half of it. Memory stays bounded when the
    // owner's thread falls behind.
    static constexpr qint64 kMaxUntakenEvents = 20000;

    // Shared by the reader and its owner, which may outlive each other by a moment.
    struct HandOver
    {
        std::atomic<qint64> untaken{0};
        std::atomic<bool> paused{false};
    };

    struct Target
    {
        UpstreamOrigin origin;
        QByteArray request; // the whole HTTP request head
        QString shownUrl;   // without credentials, for messages
        int headerTimeoutMs = 0;
    };

    EventStreamReader();
    ~EventStreamReader() override;
    Q_DISABLE_COPY_MOVE(EventStreamReader)

    // On the reader's thread.
    void open(const Target &target, quint64 generation);
    void close();
    // Reads again if it had paused and the owner has caught up.
    void resumeIfTaken();
    const std::shared_ptr<HandOver> &handOver() const { return m_handOver; }

    // Any thread: when the last byte arrived (or the stream was opened), steady milliseconds.
    qint64 lastByteMs() const { return m_lastByteMs.load(std::memory_order_relaxed); }
    void touch();

Q_SIGNALS:
    void opened(quint64 generation);
    void received(quint64 generation, const boo::EventBatch &batch);
    // The stream ended: refused, HTTP error, network error or closed by the host.
    void lost(quint64 generation, const boo::Error &error);

private:
    void upstreamHead(int status, const HttpHeaders &headers) override;
    void upstreamBody(QByteArrayView piece) override;
    void upstreamComplete() override;
    void upstreamFailed(UpstreamFailure failure, const QString &message) override;
    void fail(const Error &error);
    void deliver();

    QPointer<UpstreamConnection> m_connection;
    EventBatch m_batch; // decoded, not yet handed over
    QTimer m_deliveryTimer;
    QElapsedTimer m_lastDelivery;
    std::shared_ptr<HandOver> m_handOver = std::make_shared<HandOver>();
    Target m_target;
    quint64 m_generation = 0;
    int m_status = 0;
    QByteArray m_errorBody;
    SseParser m_parser;
    EventDecoder m_decoder;
    std::atomic<qint64> m_lastByteMs{0};
};

} // namespace boo
