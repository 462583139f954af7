#pragma once

#include "core/http/httprequest.h"
#include "core/http/httprequestparser.h"
#include "core/http/httpresponse.h"
#include "core/http/httpserver.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>

class QTcpSocket;

namespace boo {

class HttpStream;

// One accepted TCP connection (internal to HttpServer). Requests on a connection are handled
// strictly in order: the next request is parsed only after the previous response completed
// and most of it was sent, which keeps pipelining correct and bounds memory to one request and
// HttpServerLimits::maxPendingOutputBytes of answers at a time.
class HttpConnection final : public QObject
{
    Q_OBJECT

public:
    // `peer`: the client's address as the server counts connections per peer.
    HttpConnection(QTcpSocket *socket, QString peer, HttpServer *server);
    ~HttpConnection() override;
    Q_DISABLE_COPY_MOVE(HttpConnection)

    void start();
    // Resets the connection now (server shutdown).
    void abort();
    bool isClosed() const { return m_state == State::Closed; }
    // Between requests (or before the first) with nothing received: closing it costs the client
    // no work, only a reconnect.
    bool isIdle() const;
    const QString &peer() const { return m_peer; }
    // Handed on as a WebSocket (closed() was emitted for that, not for an end).
    bool wasUpgraded() const { return m_upgraded; }

    // Entry points for HttpResponder and HttpStream; each names the exchange it belongs to,
    // so a stale handle can never answer a later request on the same connection.
    bool isCurrent(quint64 exchange) const;
    void respond(quint64 exchange, HttpResponse response);
    std::unique_ptr<HttpStream> startStream(quint64 exchange, int status, HttpHeaders headers, QByteArrayView firstPiece = {});
    bool writeStream(quint64 exchange, QByteArrayView data);
    void endStream(quint64 exchange);
    void abortStream(quint64 exchange);
    qint64 bytesToWrite() const;

Q_SIGNALS:
    void closed();

private:
    enum class State { Head, Body, Handling, Streaming, Lingering, Closing, Closed };
    static constexpr int kLingerMs = 2000;
    static constexpr qint64 kLingerMaxBytes = 4 * 1024 * 1024;

    void onReadyRead();
    void processInput();
    bool processHead();
    // Runs the server's pre-routing hook on the parsed head; true when it answered.
    bool authorizeHead();
    void upgrade(const HttpServer::WebSocketHandler &handler);
    void beginExchange(const HttpRequest &request);
    bool processBody();
    void dispatch();
    void sendError(int status);
    void linger();
    void halfCloseWhenSent();
    void drainLingering();
    QByteArray head(int status, HttpHeaders &headers, qint64 contentLength, bool chunked);
    void write(QByteArrayView data);
    void appendChunk(QByteArray &out, QByteArrayView data) const;
    void finishExchange();
    enum class TimerMode { None, Idle, Header, Body, Linger };
    void arm(TimerMode mode);
    void onTimeout();
    void teardown();

    QTcpSocket *m_socket;
    QPointer<HttpServer> m_server;
    const HttpServerLimits m_limits; // as they were when the connection was accepted
    const QString m_peer;
    HttpRequestParser m_parser;
    State m_state = State::Head;
    QTimer m_timer;
    TimerMode m_timerMode = TimerMode::None;
    bool m_processing = false;
    bool m_reprocess = false;
    bool m_halfClosed = false;
    bool m_upgraded = false;
    qint64 m_lingerBytes = 0;
    int m_requests = 0; // on this connection so far

    // The exchange in progress.
    quint64 m_exchange = 0;
    HttpRequest m_request;
    QElapsedTimer m_started;
    bool m_isHead = false;
    bool m_closeAfter = false;
    bool m_chunked = false;
    bool m_bodyUnread = false; // answered on its head while a body was announced
    QElapsedTimer m_bodyStarted;
    int m_status = 0;
    qint64 m_bodyBytes = 0;
    QPointer<HttpStream> m_stream;
};

} // namespace boo
