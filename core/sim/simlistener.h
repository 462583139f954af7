#pragma once

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

class QTcpServer;
class QTcpSocket;

namespace boo {

class HttpServer;

// The listening port of a simulated host, and the faults that live below HTTP. Paused, new
// connections wait in the kernel's listen backlog: the handshake completes, nobody reads.
// Stalled, they are accepted and then held unread, which is what a hung process looks like
// to a client. Whatever gets through is handed to an HttpServer, which knows nothing of this.
class SimListener final : public QObject
{
    Q_OBJECT

public:
    // `server` serves the connections let through; it is observed, not owned.
    explicit SimListener(HttpServer *server, QObject *parent = nullptr);
    ~SimListener() override;
    Q_DISABLE_COPY_MOVE(SimListener)

    // port 0 picks a free port; serverPort() tells which. On failure errorString() says why.
    bool listen(const QHostAddress &address, quint16 port = 0);
    bool isListening() const;
    quint16 serverPort() const;
    QString errorString() const { return m_errorString; }
    // The process going away: the port refuses, and every connection resets, held or served.
    // A stall stays set, so that the host comes back as hung as it went.
    void close();

    void pauseAccepting();
    void resumeAccepting();
    // Unstalling serves the held connections, with what their clients sent meanwhile.
    void setStalled(bool stalled);
    bool isStalled() const { return m_stalled; }
    // Connections accepted while stalled and not yet served or gone.
    int heldCount() const { return int(m_held.size()); }

private:
    void onNewConnection();
    void hold(QTcpSocket *socket);

    QPointer<HttpServer> m_server;
    QTcpServer *m_tcp;
    QString m_errorString;
    QList<QTcpSocket *> m_held;
    bool m_stalled = false;
};

} // namespace boo
