#include "core/http/httpserver.h"

#include "core/http/httpconnection.h"
#include "core/http/httplog.h"
#include "core/http/websocketconnection.h"

#include <QTcpServer>
#include <QTcpSocket>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace boo {

HttpServer::HttpServer(QObject *parent)
    : QObject(parent)
    , m_tcp(new QTcpServer(this))
{
    connect(m_tcp, &QTcpServer::newConnection, this, &HttpServer::onNewConnection);
}

HttpServer::~HttpServer()
{
    // Connections are children; reset them first so that streams hear about it while the
    // server is still whole.
    abortAllConnections();
}

bool HttpServer::listen(const QHostAddress &address, quint16 port)
{
    if (m_tcp->isListening())
        m_tcp->close();
    // Qt listens with a backlog of 50: a burst of connects beyond it is lost in the kernel.
    m_tcp->setListenBacklogSize(m_limits.listenBacklog);
    m_tcp->setMaxPendingConnections(m_limits.listenBacklog);
    if (!m_tcp->listen(address, port)) {
        m_errorString = m_tcp->errorString();
        return false;
    }
    m_errorString.clear();
    return true;
}

bool HttpServer::isListening() const
{
    return m_tcp->isListening();
}

quint16 HttpServer::serverPort() const
{
    return m_tcp->serverPort();
}

QHostAddress HttpServer::serverAddress() const
{
    return m_tcp->serverAddress();
}

void HttpServer::close(ExistingConnections existing)
{
    m_tcp->close();
    if (existing == ExistingConnections::Abort)
        abortAllConnections();
}

bool HttpServer::route(QByteArray method, const QString &pattern, Handler handler, qint64 maxBodyBytes)
{
    QString error;
    if (!m_router.add(std::move(method), pattern, std::move(handler), maxBodyBytes, &error)) {
        qCWarning(lcHttp).noquote() << error;
        return false;
    }
    return true;
}

void HttpServer::addWebSocketPath(const QString &path, WebSocketHandler handler)
{
    m_webSocketPaths.insert(path, std::move(handler));
}

void HttpServer::removeWebSocketPath(const QString &path)
{
    m_webSocketPaths.remove(path);
}

const HttpServer::WebSocketHandler *HttpServer::webSocketHandlerFor(const QString &path) const
{
    const auto it = m_webSocketPaths.constFind(path);
    return it == m_webSocketPaths.cend() ? nullptr : &it.value();
}

void HttpServer::adoptWebSocket(WebSocketConnection *socket, const QString &peer, const WebSocketHandler &handler)
{
    ++m_webSockets;
    connect(socket, &QObject::destroyed, this, [this, peer] {
        --m_webSockets;
        forgetPeer(peer);
    });
    // Copy: the handler may replace its own path while running.
    const WebSocketHandler run = handler;
    run(socket);
}

QString HttpServer::peerKey(const QTcpSocket *socket)
{
    QHostAddress address = socket->peerAddress();
    // ::ffff:10.0.0.1 and 10.0.0.1 are one peer.
    bool mapped = false;
    const quint32 v4 = address.toIPv4Address(&mapped);
    if (mapped)
        address = QHostAddress(v4);
    return address.toString();
}

void HttpServer::forgetPeer(const QString &peer)
{
    const auto it = m_perPeer.find(peer);
    if (it != m_perPeer.end() && --it.value() <= 0)
        m_perPeer.erase(it);
}

bool HttpServer::admit(const QString &peer)
{
    const bool peerFull = m_perPeer.value(peer) >= m_limits.maxConnectionsPerPeer;
    const bool full = m_connections.size() + m_webSockets >= m_limits.maxConnections;
    if (!peerFull && !full)
        return true;
    // An idle keep-alive connection (or one that has sent nothing yet) costs its client only a
    // reconnect: closing the oldest such one keeps the cap from locking out new clients.
    const auto idle = std::find_if(m_connections.cbegin(), m_connections.cend(),
                                   [&](const HttpConnection *c) { return c->isIdle() && (!peerFull || c->peer() == peer); });
    if (idle == m_connections.cend())
        return false;
    HttpConnection *victim = *idle;
    qCDebug(lcHttp) << "closing an idle connection of" << victim->peer() << "to make room";
    victim->abort(); // leaves m_connections through closed()
    return true;
}

void HttpServer::refuse(QTcpSocket *socket)
{
    ++m_refused;
    qCDebug(lcHttp) << "refusing a connection from" << peerKey(socket) << "at the connection cap";
    socket->setParent(this);
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    socket->write("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 1\r\nConnection: close\r\n\r\n");
    socket->disconnectFromHost();
}

void HttpServer::abortAllConnections()
{
    const QList<HttpConnection *> connections = m_connections;
    for (HttpConnection *c : connections)
        c->abort();
}

void HttpServer::onNewConnection()
{
    while (QTcpSocket *socket = m_tcp->nextPendingConnection())
        serve(socket);
}

void HttpServer::serve(QTcpSocket *socket)
{
    Q_ASSERT(socket && socket->thread() == thread());
    // A connection that ended while someone else held it would never signal its end again,
    // so nothing would ever free it.
    if (socket->state() != QAbstractSocket::ConnectedState) {
        socket->deleteLater();
        return;
    }
    const QString peer = peerKey(socket);
    if (!admit(peer)) {
        refuse(socket);
        return;
    }
    auto *connection = new HttpConnection(socket, peer, this);
    m_connections.append(connection);
    ++m_perPeer[peer];
    connect(connection, &HttpConnection::closed, this, [this, connection, peer] {
        // A connection handed on as a WebSocket stays counted for its peer until it is gone.
        if (!connection->wasUpgraded())
            forgetPeer(peer);
        m_connections.removeOne(connection);
        connection->deleteLater();
    });
    connection->start();
}

qint64 HttpServer::bodyLimitFor(QByteArrayView method, QByteArrayView rawPath) const
{
    const HttpRouter::Match match = m_router.match(method, rawPath);
    if (!match.route)
        return m_limits.unroutedBodyBytes; // read only to be dropped: 404 or 405 follows
    if (match.route->maxBodyBytes >= 0)
        return match.route->maxBodyBytes;
    return m_limits.maxBodyBytes;
}

void HttpServer::respondNotFound(const HttpRequest &request, HttpResponder responder) const
{
    if (m_notFound) {
        m_notFound(request, std::move(responder));
        return;
    }
    HttpResponse response = HttpResponse::text(404, "404 page not found\n"_ba);
    response.setHeader("X-Content-Type-Options"_ba, "nosniff"_ba);
    responder.respond(std::move(response));
}

bool HttpServer::handleHead(const HttpRequest &head, HttpResponder &responder)
{
    return m_preRouting && (m_preRouting(head, responder) || !responder.isPending());
}

void HttpServer::handleRequest(HttpRequest request, HttpResponder responder)
{
    const HttpRouter::Match match = m_router.match(request.method(), request.rawPath());
    if (match.route) {
        request.setPathParams(match.params);
        // Copy the handler: it may replace its own route while running.
        const Handler handler = match.route->handler;
        handler(request, std::move(responder));
        return;
    }
    if (!match.allowedMethods.isEmpty()) {
        if (m_methodNotAllowed) {
            m_methodNotAllowed(request, match.allowedMethods, std::move(responder));
            return;
        }
        HttpResponse response = HttpResponse::text(405, "Method Not Allowed\n"_ba);
        response.setHeader("Allow"_ba, match.allowedMethods.join(", "));
        response.setHeader("X-Content-Type-Options"_ba, "nosniff"_ba);
        responder.respond(std::move(response));
        return;
    }
    respondNotFound(request, std::move(responder));
}

} // namespace boo
