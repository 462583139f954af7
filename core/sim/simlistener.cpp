#include "core/sim/simlistener.h"

#include "core/http/httpserver.h"

#include <QTcpServer>
#include <QTcpSocket>

#include <utility>

namespace boo {

SimListener::SimListener(HttpServer *server, QObject *parent)
    : QObject(parent)
    , m_server(server)
    , m_tcp(new QTcpServer(this))
{
    connect(m_tcp, &QTcpServer::newConnection, this, &SimListener::onNewConnection);
}

SimListener::~SimListener() = default;

bool SimListener::listen(const QHostAddress &address, quint16 port)
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

bool SimListener::isListening() const
{
    return m_tcp->isListening();
}

quint16 SimListener::serverPort() const
{
    return m_tcp->serverPort();
}

void SimListener::close()
{
    m_tcp->close();
    if (m_server)
        m_server->close(HttpServer::ExistingConnections::Abort);
    const QList<QTcpSocket *> held = std::exchange(m_held, {});
    for (QTcpSocket *s : held) {
        s->disconnect(this);
        s->abort();
        s->deleteLater();
    }
}

void SimListener::pauseAccepting()
{
    m_tcp->pauseAccepting();
}

void SimListener::resumeAccepting()
{
    m_tcp->resumeAccepting();
}

void SimListener::setStalled(bool stalled)
{
    m_stalled = stalled;
    if (stalled)
        return;
    const QList<QTcpSocket *> held = std::exchange(m_held, {});
    for (QTcpSocket *s : held) {
        s->disconnect(this);
        if (m_server)
            m_server->serve(s); // also frees one whose client gave up meanwhile
        else
            s->deleteLater();
    }
}

void SimListener::onNewConnection()
{
    while (QTcpSocket *socket = m_tcp->nextPendingConnection()) {
        if (m_stalled)
            hold(socket);
        else if (m_server)
            m_server->serve(socket);
        else
            socket->deleteLater();
    }
}

void SimListener::hold(QTcpSocket *socket)
{
    socket->setParent(this);
    // A bounded buffer: a client that keeps sending to a hung host meets TCP back-pressure,
    // not our memory.
    socket->setReadBufferSize(64 * 1024);
    m_held.append(socket);
    connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
        m_held.removeOne(socket);
        socket->deleteLater();
    });
}

} // namespace boo
