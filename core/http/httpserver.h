#pragma once

#include "core/http/httprequest.h"
#include "core/http/httpresponder.h"
#include "core/http/httprouter.h"

#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

class QTcpServer;
class QTcpSocket;
class QWebSocketServer;

namespace boo {

class HttpConnection;

struct HttpServerLimits
{
    qsizetype maxHeadBytes = 64 * 1024;     // request line + headers; more -> 431
    qint64 maxBodyBytes = 32 * 1024 * 1024; // default per route; more -> 413 before buffering
    int headerTimeoutMs = 10000;            // a request head (and each body step) must arrive in time
    int idleTimeoutMs = 60000;              // keep-alive connection without a request
};

// A small HTTP/1.1 server on QTcpServer. We do not use QHttpServer (Qt 6.4): it buffers
// whole bodies before handlers run, while the gateway needs a body limit that holds before
// buffering.
class HttpServer final : public QObject
{
    Q_OBJECT

public:
    using Handler = HttpRouter::Handler;
    // Runs before routing for every complete request; returns true when it answered
    // (auth refusals, CORS preflights). It may also just observe and return false.
    using PreRoutingHook = std::function<bool(const HttpRequest &, HttpResponder &)>;
    using MethodNotAllowedHandler = std::function<void(const HttpRequest &, const QByteArrayList &allowed, HttpResponder)>;
    // Shapes the answer to errors found before routing (413 body too large, 400, 408, 431),
    // which are plain text by default; nullopt keeps the default. `rawPath` is empty when the
    // request line itself was unreadable.
    using ProtocolErrorResponder = std::function<std::optional<HttpResponse>(int status, QByteArrayView rawPath)>;

    enum class ExistingConnections { Keep, Abort };

    explicit HttpServer(QObject *parent = nullptr);
    ~HttpServer() override;
    Q_DISABLE_COPY_MOVE(HttpServer)

    void setLimits(const HttpServerLimits &limits) { m_limits = limits; }
    const HttpServerLimits &limits() const { return m_limits; }

    // port 0 picks a free port; serverPort() tells which. On failure errorString() says why.
    bool listen(const QHostAddress &address, quint16 port = 0);
    bool isListening() const;
    quint16 serverPort() const;
    QHostAddress serverAddress() const;
    QString errorString() const { return m_errorString; }
    // Stops listening. With Abort every open connection (and stream) is reset as well, also
    // those handed in through serve().
    void close(ExistingConnections existing = ExistingConnections::Abort);
    // Serves a connection accepted elsewhere, exactly as one accepted by listen(); takes
    // ownership. For a caller that owns the listening socket and decides what reaches the
    // server and when. The socket must live in this server's thread; one that is no longer
    // connected is deleted unread. Bytes it already buffered are read as the request's start.
    void serve(QTcpSocket *socket);
    // Connections being served: idle, mid-request or streaming.
    int connectionCount() const { return int(m_connections.size()); }

    bool route(QByteArray method, const QString &pattern, Handler handler, qint64 maxBodyBytes = -1);
    void setNotFoundHandler(Handler handler) { m_notFound = std::move(handler); }
    void setMethodNotAllowedHandler(MethodNotAllowedHandler handler) { m_methodNotAllowed = std::move(handler); }
    void setPreRoutingHook(PreRoutingHook hook) { m_preRouting = std::move(hook); }
    void setProtocolErrorResponder(ProtocolErrorResponder responder) { m_protocolErrors = std::move(responder); }
    // GET requests with "Upgrade: websocket" on `path` are handed to `server` with the
    // handshake bytes still unread. The server must outlive this one or be removed first.
    void addWebSocketPath(const QString &path, QWebSocketServer *server);
    void removeWebSocketPath(const QString &path);

    // The routes, for a pre-routing hook that must know whether a request would find one.
    const HttpRouter &router() const { return m_router; }
    // The answer a request would get without any route: used by handlers that fall back.
    void respondNotFound(const HttpRequest &request, HttpResponder responder) const;

Q_SIGNALS:
    // After a response completed or its connection closed mid-stream: access logging.
    void requestFinished(const boo::HttpRequest &request, int status, qint64 bodyBytes, qint64 elapsedUs);

private:
    friend class HttpConnection;
    void onNewConnection();
    void abortAllConnections();
    void handleRequest(HttpRequest request, HttpResponder responder);
    qint64 bodyLimitFor(QByteArrayView method, QByteArrayView rawPath) const;
    QWebSocketServer *webSocketServerFor(const QString &path) const;

    HttpServerLimits m_limits;
    QTcpServer *m_tcp;
    QString m_errorString;
    HttpRouter m_router;
    Handler m_notFound;
    MethodNotAllowedHandler m_methodNotAllowed;
    PreRoutingHook m_preRouting;
    ProtocolErrorResponder m_protocolErrors;
    QHash<QString, QPointer<QWebSocketServer>> m_webSocketPaths;
    QList<HttpConnection *> m_connections;
};

} // namespace boo
