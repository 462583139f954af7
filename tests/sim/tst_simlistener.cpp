#include "simtestsupport.h"

#include "core/http/httpserver.h"
#include "core/sim/simlistener.h"

#include <memory>

using namespace Qt::StringLiterals;
using namespace boo;
using namespace simtest;

// The TCP-level faults of a simulated host's port, on a bare HttpServer: what a client sees
// and what the server is handed.
class TestSimListener : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void servesWhatItAccepts();
    void stallAcceptsButNeverAnswers();
    void heldClientLeavingIsForgotten();
    void pauseAccepting();
    void closeResetsHeldAndServedConnections();

private:
    quint16 port() const { return m_listener->serverPort(); }
    static QByteArray hello() { return "GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"_ba; }

    std::unique_ptr<HttpServer> m_server;
    std::unique_ptr<SimListener> m_listener;
};

void TestSimListener::init()
{
    m_server = std::make_unique<HttpServer>();
    m_server->route("GET"_ba, u"/hello"_s, [](const HttpRequest &, HttpResponder r) { r.respond(HttpResponse::text(200, "hello\n"_ba)); });
    m_listener = std::make_unique<SimListener>(m_server.get());
    QVERIFY(m_listener->listen(QHostAddress::LocalHost, 0));
    QVERIFY(port() != 0);
    QVERIFY(!m_server->isListening()); // the port is the listener's
}

void TestSimListener::cleanup()
{
    m_listener.reset();
    m_server.reset();
}

void TestSimListener::servesWhatItAccepts()
{
    RawClient c(port());
    c.send(hello());
    QVERIFY(c.waitFor("hello\n"_ba));
    QCOMPARE(m_server->connectionCount(), 1);
    QCOMPARE(m_listener->heldCount(), 0);
}

void TestSimListener::stallAcceptsButNeverAnswers()
{
    m_listener->setStalled(true);
    QVERIFY(m_listener->isStalled());
    RawClient c(port());
    QCOMPARE(c.socket().state(), QAbstractSocket::ConnectedState); // the TCP handshake completes
    c.send(hello());
    QTest::qWait(200);
    QVERIFY(c.data().isEmpty());
    QVERIFY(!c.closed());
    QCOMPARE(m_listener->heldCount(), 1);
    QCOMPARE(m_server->connectionCount(), 0);
    m_listener->setStalled(false);
    QVERIFY(c.waitFor("hello\n"_ba)); // the request sent while held is answered
    QCOMPARE(m_listener->heldCount(), 0);
    QCOMPARE(m_server->connectionCount(), 1);
}

void TestSimListener::heldClientLeavingIsForgotten()
{
    m_listener->setStalled(true);
    RawClient c(port());
    QTRY_COMPARE_WITH_TIMEOUT(m_listener->heldCount(), 1, 5000);
    c.socket().abort();
    QTRY_COMPARE_WITH_TIMEOUT(m_listener->heldCount(), 0, 5000);
    m_listener->setStalled(false);
    QCOMPARE(m_server->connectionCount(), 0);
}

void TestSimListener::pauseAccepting()
{
    m_listener->pauseAccepting();
    RawClient c(port());
    QCOMPARE(c.socket().state(), QAbstractSocket::ConnectedState); // completed by the kernel's listen backlog
    c.send(hello());
    QTest::qWait(150);
    QVERIFY(c.data().isEmpty());
    QCOMPARE(m_listener->heldCount(), 0);
    QCOMPARE(m_server->connectionCount(), 0);
    m_listener->resumeAccepting();
    QVERIFY(c.waitFor("hello\n"_ba));
}

void TestSimListener::closeResetsHeldAndServedConnections()
{
    RawClient served(port());
    served.send(hello());
    QVERIFY(served.waitFor("hello\n"_ba));
    m_listener->setStalled(true);
    RawClient held(port());
    QTRY_COMPARE_WITH_TIMEOUT(m_listener->heldCount(), 1, 5000);
    const quint16 oldPort = port();

    m_listener->close();
    QVERIFY(served.waitClosed() && held.waitClosed());
    QVERIFY(held.data().isEmpty());
    QVERIFY(!m_listener->isListening());
    QCOMPARE(m_listener->heldCount(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(m_server->connectionCount(), 0, 5000);
    QTcpSocket refused;
    QSignalSpy refusedError(&refused, &QTcpSocket::errorOccurred);
    refused.connectToHost(QHostAddress::LocalHost, oldPort);
    QTRY_COMPARE_WITH_TIMEOUT(refusedError.size(), 1, 5000);
    QCOMPARE(refused.error(), QAbstractSocket::ConnectionRefusedError);

    // Back on the same port, as hung as it went down, until unstalled.
    QVERIFY(m_listener->isStalled());
    QVERIFY(m_listener->listen(QHostAddress::LocalHost, oldPort));
    RawClient again(oldPort);
    again.send(hello());
    QTRY_COMPARE_WITH_TIMEOUT(m_listener->heldCount(), 1, 5000);
    m_listener->setStalled(false);
    QVERIFY(again.waitFor("hello\n"_ba));
}

QTEST_GUILESS_MAIN(TestSimListener)
#include "tst_simlistener.moc"
