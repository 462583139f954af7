#pragma once

// A raw-socket HTTP client for the core/http tests: bytes in, bytes out, no interpretation,
// so that framing can be checked exactly. Waits spin the event loop (the server under test
// runs in the same thread).

#include <QByteArray>
#include <QHostAddress>
#include <QTcpSocket>
#include <QTest>

namespace httptest {

using namespace Qt::StringLiterals;

// A client that speaks raw bytes, for everything where framing matters.
class RawClient
{
public:
    explicit RawClient(quint16 port)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        QObject::connect(&m_socket, &QTcpSocket::readyRead, [this] { m_received += m_socket.readAll(); });
        QObject::connect(&m_socket, &QTcpSocket::disconnected, [this] { m_closed = true; });
    }
    bool connected()
    {
        return QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::ConnectedState; }, 5000);
    }
    void send(const QByteArray &bytes)
    {
        m_socket.write(bytes);
        m_socket.flush();
    }
    bool waitFor(const QByteArray &needle, int ms = 5000)
    {
        return QTest::qWaitFor([&] { return m_received.contains(needle); }, ms);
    }
    bool waitForBytes(qsizetype n, int ms = 5000)
    {
        return QTest::qWaitFor([&] { return m_received.size() >= n; }, ms);
    }
    bool waitClosed(int ms = 5000)
    {
        return QTest::qWaitFor([&] { return m_closed; }, ms);
    }
    bool isClosed() const { return m_closed; }
    QByteArray &received() { return m_received; }
    QTcpSocket &socket() { return m_socket; }
    int count(const QByteArray &needle) const { return int(m_received.count(needle)); }

private:
    QTcpSocket m_socket;
    QByteArray m_received;
    bool m_closed = false;
};

inline QByteArray get(const QByteArray &path, const QByteArray &extra = {})
{
    return "GET "_ba + path + " HTTP/1.1\r\nHost: test\r\n" + extra + "\r\n";
}

} // namespace httptest
