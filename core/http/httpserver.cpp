#include "core/http/httpserver.h"

#include "core/http/httpconnection.h"
#include "core/http/httplog.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QWebSocketServer>

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

void HttpServer::addWebSocketPath(const QString &path, QWebSocketServer *server)
{
    m_webSocketPaths.insert(path, server);
}

void HttpServer::removeWebSocketPath(const QString &path)
{
    m_webSocketPaths.remove(path);
}

QWebSocketServer *HttpServer::webSocketServerFor(const QString &path) const
{
    return m_webSocketPaths.value(path).data();
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
    auto *connection = new HttpConnection(socket, this);
    m_connections.append(connection);
    connect(connection, &HttpConnection::closed, this, [this, connection] {
        m_connections.removeOne(connection);
        connection->deleteLater();
    });
    connection->start();
}

qint64 HttpServer::bodyLimitFor(QByteArrayView method, QByteArrayView rawPath) const
{
    const HttpRouter::Match match = m_router.match(method, rawPath);
    if (match.route && match.route->maxBodyBytes >= 0)
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

void HttpServer::handleRequest(HttpRequest request, HttpResponder responder)
{
    if (m_preRouting && m_preRouting(request, responder))
        return;
    if (!responder.isPending())
        return;
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
