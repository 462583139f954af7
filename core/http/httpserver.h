#pragma once

#include "core/http/httprequest.h"
#include "core/http/httpresponder.h"
#include "core/http/httprouter.h"
#include "core/http/httpserverlimits.h"

#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

class QTcpServer;
class QTcpSocket;

namespace boo {

class HttpConnection;
class WebSocketConnection;

// A small HTTP/1.1 server on QTcpServer, and a security boundary (docs/security.md). We do not
// use QHttpServer (Qt 6.4): it buffers whole bodies before handlers run, while the gateway needs
// a body limit that holds before buffering.
//
// Order of work on a request: the head is parsed strictly (HttpRequestParser, path normalised
// by HttpPath), then the pre-routing hook decides on the head alone (an unauthorised request is
// answered before a byte of its body is read, a WebSocket upgrade before its 101), then the body
// is read up to the matched route's limit, then the handler runs. HttpServerLimits bound what
// one client can hold.
class HttpServer final : public QObject
{
    Q_OBJECT

public:
    using Handler = HttpRouter::Handler;
    // Runs on the head of every request (its body not read yet, so body() is empty), before
    // WebSocket upgrades and routing; returns true when it answered (auth refusals, CORS
    // preflights), at once and with the responder it was given. It may also just observe and
    // return false. When it answers a request that announced a body, the connection closes.
    using PreRoutingHook = std::function<bool(const HttpRequest &, HttpResponder &)>;
    using MethodNotAllowedHandler = std::function<void(const HttpRequest &, const QByteArrayList &allowed, HttpResponder)>;
    // Takes over an accepted WebSocket (its 101 not sent yet): connect to it, then call start().
    // The handler owns it from then on and deletes it after disconnected().
    using WebSocketHandler = std::function<void(WebSocketConnection *)>;
    // Shapes the answer to errors found before routing (413 body too large, 400, 408, 431),
    // which are plain text by default; nullopt keeps the default. `rawPath` is empty when the
    // request line itself was unreadable.
    using ProtocolErrorResponder = std::function<std::optional<HttpResponse>(int status, QByteArrayView rawPath)>;

    enum class ExistingConnections { Keep, Abort };

    explicit HttpServer(QObject *parent = nullptr);
    ~HttpServer() override;
    Q_DISABLE_COPY_MOVE(HttpServer)

    // Applies to connections accepted afterwards (and to listen() for the backlog).
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
    // Connections being served: idle, mid-request or streaming (WebSockets handed on excluded).
    int connectionCount() const { return int(m_connections.size()); }
    // WebSockets handed to their handlers and still open.
    int webSocketCount() const { return m_webSockets; }
    // Connections refused at the caps since start.
    qint64 refusedConnections() const { return m_refused; }

    bool route(QByteArray method, const QString &pattern, Handler handler, qint64 maxBodyBytes = -1);
    void setNotFoundHandler(Handler handler) { m_notFound = std::move(handler); }
    void setMethodNotAllowedHandler(MethodNotAllowedHandler handler) { m_methodNotAllowed = std::move(handler); }
    void setPreRoutingHook(PreRoutingHook hook) { m_preRouting = std::move(hook); }
    void setProtocolErrorResponder(ProtocolErrorResponder responder) { m_protocolErrors = std::move(responder); }
    // GET requests with "Upgrade: websocket" on `path` (the normalised, decoded path) that the
    // pre-routing hook let through become WebSocketConnections for `handler`.
    void addWebSocketPath(const QString &path, WebSocketHandler handler);
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
    // Makes room for one more connection from `peer`: closes an idle one at a cap, or false.
    bool admit(const QString &peer);
    void refuse(QTcpSocket *socket);
    void forgetPeer(const QString &peer);
    // Runs the pre-routing hook on a head; true when it answered.
    bool handleHead(const HttpRequest &head, HttpResponder &responder);
    void handleRequest(HttpRequest request, HttpResponder responder);
    qint64 bodyLimitFor(QByteArrayView method, QByteArrayView rawPath) const;
    const WebSocketHandler *webSocketHandlerFor(const QString &path) const;
    // Hands an upgraded connection to its handler and counts it until it is gone.
    void adoptWebSocket(WebSocketConnection *socket, const QString &peer, const WebSocketHandler &handler);
    static QString peerKey(const QTcpSocket *socket);

    HttpServerLimits m_limits;
    QTcpServer *m_tcp;
    QString m_errorString;
    HttpRouter m_router;
    Handler m_notFound;
    MethodNotAllowedHandler m_methodNotAllowed;
    PreRoutingHook m_preRouting;
    ProtocolErrorResponder m_protocolErrors;
    QHash<QString, WebSocketHandler> m_webSocketPaths;
    QList<HttpConnection *> m_connections;
    QHash<QString, int> m_perPeer; // open connections by peer address, WebSockets included
    int m_webSockets = 0;
    qint64 m_refused = 0;
};

} // namespace boo
