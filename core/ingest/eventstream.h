#pragma once

#include "core/common/result.h"
#include "core/protocol/hostevent.h"

#include <QNetworkRequest>
#include <QObject>

#include <memory>

class QThread;

namespace boo {

class EventStreamReader;
struct EventBatch;

// llama-swap's `GET /api/events` as a stream of decoded HostEvents.
//
// The stream has no transfer timeout (an idle host sends nothing for minutes); only the wait for
// the connection and the response headers is bounded, so a host that accepts connections but
// never answers is noticed. Malformed frames are reported one by one and never end the stream.
//
// The socket, the SSE framing and the JSON decoding run on one thread shared by every stream
// (EventStreamReader): a busy host sends thousands of small frames a second, and reading and
// decoding them on the gateway's thread took a third of it in `boo-bench gateway`. This object
// lives on its creator's thread and signals there, a few milliseconds' worth of events at a time,
// in order. After close() nothing more is signalled, whatever the reader had under way.
class EventStream final : public QObject
{
    Q_OBJECT

public:
    explicit EventStream(QObject *parent = nullptr);
    ~EventStream() override;
    Q_DISABLE_COPY_MOVE(EventStream)

    // The URL and raw headers of `request` are sent (Authorization, Accept, ...).
    void open(const QNetworkRequest &request, int headerTimeoutMs);
    // Ends the stream without signalling lost().
    void close();
    bool isOpen() const { return m_open; }
    // Milliseconds since the last byte arrived (or since open()).
    qint64 quietMs() const;

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
    void onOpened(quint64 generation);
    void onReceived(quint64 generation, const boo::EventBatch &batch);
    void onLost(quint64 generation, const boo::Error &error);

    std::shared_ptr<QThread> m_thread;
    EventStreamReader *m_reader;
    quint64 m_generation = 0; // of the current open(); bumped by close()
    bool m_open = false;
};

} // namespace boo
