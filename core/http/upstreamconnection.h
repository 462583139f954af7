#pragma once

#include "core/common/enumnames.h"
#include "core/http/upstreamresponseparser.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

class QTcpSocket;

namespace boo {

// Where an upstream lives on the network: one pool of connections per origin.
struct UpstreamOrigin
{
    QString host;
    quint16 port = 0;
    bool tls = false;

    QString key() const;
    friend bool operator==(const UpstreamOrigin &, const UpstreamOrigin &) = default;
};

// Why an exchange with an upstream failed, and whether the request may have reached it.
enum class UpstreamFailure {
    Connect,        // refused, unreachable, name not found, TLS handshake: the host never saw it
    ConnectTimeout, // no connection in time: never saw it
    HeaderTimeout,  // connected and sent, no response head in time
    Reset,          // the connection closed or broke before the response was complete
    Protocol,       // not a valid HTTP/1.1 response
    Idle,           // a body (stream) went silent for too long
};
// The outcome words of the gateway's attempt log and metrics.
inline constexpr EnumName<UpstreamFailure> kUpstreamFailureNames[] = {
    {UpstreamFailure::Connect, u"connect"},
    {UpstreamFailure::ConnectTimeout, u"connect-timeout"},
    {UpstreamFailure::HeaderTimeout, u"header-timeout"},
    {UpstreamFailure::Reset, u"reset"},
    {UpstreamFailure::Protocol, u"protocol"},
    {UpstreamFailure::Idle, u"idle"},
};
QString upstreamFailureName(UpstreamFailure failure);

struct UpstreamTimeouts
{
    int connectMs = 3000;
    int headerMs = 60000; // from the request written to the response head
    int idleMs = 120000;  // longest silence inside a body; 0: no limit (an event stream)
};

// One keep-alive HTTP/1.1 connection to an upstream host, one exchange at a time. The body
// of the response goes to the listener as views into the read buffer, so a proxied stream is
// copied once on its way in (the socket read) and once on its way out (the client write).
class UpstreamConnection final : public QObject
{
    Q_OBJECT

public:
    class Listener
    {
    public:
        virtual void upstreamHead(int status, const HttpHeaders &headers) = 0;
        virtual void upstreamBody(QByteArrayView piece) = 0;
        // Every piece of one socket read has been delivered: a proxy writes them on together.
        virtual void upstreamReadDone() {}
        virtual void upstreamComplete() = 0;
        virtual void upstreamFailed(UpstreamFailure failure, const QString &message) = 0;

    protected:
        ~Listener() = default;
    };

    UpstreamConnection(UpstreamOrigin origin, QObject *parent = nullptr);
    ~UpstreamConnection() override;
    Q_DISABLE_COPY_MOVE(UpstreamConnection)

    const UpstreamOrigin &origin() const { return m_origin; }
    // Connected, between exchanges, nothing unread: may carry another request.
    bool isReusable() const;

    // Starts an exchange; every outcome reaches `listener` exactly once as complete or failed
    // (unless detach() comes first). `request` is the complete request (head and body).
    void send(const QByteArray &request, bool headRequest, UpstreamTimeouts timeouts, Listener *listener);
    // Stops reporting to the listener and closes the connection (the host sees the client go).
    void abortExchange();
    // When the request bytes went out and when the first response bytes came (steady clock).
    qint64 sentAtNs() const { return m_sentAtNs; }
    qint64 firstByteNs() const { return m_firstByteNs; }
    // Back-pressure: while paused nothing is read, so the socket buffer and then TCP itself
    // slow the host down to the speed of our client.
    void setPaused(bool paused);

Q_SIGNALS:
    // The exchange finished and the connection is idle (or closed): the pool takes it back.
    void exchangeDone();
    void closed();

private:
    void startConnect();
    void onConnected();
    void onReadyRead();
    void onDisconnected();
    void onSocketError();
    void onTimeout();
    void writeRequest();
    void finish(bool ok, UpstreamFailure failure = UpstreamFailure::Reset, const QString &message = {});

    UpstreamOrigin m_origin;
    QTcpSocket *m_socket = nullptr;
    UpstreamResponseParser m_parser;
    UpstreamResponseParser::Sink m_sink;
    Listener *m_listener = nullptr;
    QByteArray m_request;
    QByteArray m_readBuffer;
    UpstreamTimeouts m_timeouts;
    QTimer m_timer;
    enum class Phase { Idle, Connecting, Waiting, Receiving } m_phase = Phase::Idle;
    bool m_connected = false;
    bool m_headRequest = false;
    qint64 m_sentAtNs = 0;
    qint64 m_lastReadNs = 0;
    qint64 m_firstByteNs = 0;
    bool m_paused = false;
};

} // namespace boo
