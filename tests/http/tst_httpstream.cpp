#include "core/http/httpresponder.h"
#include "core/http/httpserver.h"
#include "core/http/httpstream.h"
#include "core/http/websocketconnection.h"
#include "core/http/writebatch.h"

#include "httptestclient.h"

#include <QDeadlineTimer>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QWebSocket>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace boo;
using namespace httptest;

// Streaming responses, WebSocket hand-over and shutting HttpServer down under them.
class TestHttpStream : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void chunkedStreamFraming();
    void writeBatchHoldsPiecesButNotTheEnd();
    void http10StreamRunsUntilClose();
    void streamSeenIncrementallyByQnam();
    void streamClientGone();
    void streamAbort();
    void streamBackPressure();
    void streamOwnerDeletesInClientGone();
    void webSocketUpgrade();
    void closeKeepsOrAbortsConnections();
    void closeAbortResetsEveryConnection();

private:
    quint16 port() const { return m_server->serverPort(); }
    void addEchoRoutes();

    std::unique_ptr<HttpServer> m_server;
    QNetworkAccessManager *m_nam = nullptr;
};

void TestHttpStream::init()
{
    m_server = std::make_unique<HttpServer>();
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    QVERIFY(port() != 0);
    m_nam = new QNetworkAccessManager(this);
    addEchoRoutes();
}

void TestHttpStream::cleanup()
{
    delete m_nam;
    m_nam = nullptr;
    m_server.reset();
}

void TestHttpStream::addEchoRoutes()
{
    m_server->route("GET"_ba, u"/hello"_s, [](const HttpRequest &, HttpResponder r) { r.respond(HttpResponse::text(200, "hello\n"_ba)); });
    m_server->route("GET"_ba, u"/items/{id}/{rest...}"_s, [](const HttpRequest &req, HttpResponder r) {
        r.respond(HttpResponse::text(200,
                                     (req.pathParam(u"id") + u'|' + req.pathParam(u"rest") + u'|' + req.queryValue(u"q") + u'|'
                                      + QString::fromLatin1(req.header("x-test")))
                                         .toUtf8()));
    });
    m_server->route("POST"_ba, u"/echo"_s, [](const HttpRequest &req, HttpResponder r) {
        r.respond(HttpResponse(200, "application/octet-stream"_ba, req.body()));
    });
    m_server->route(
        "POST"_ba, u"/small"_s,
        [](const HttpRequest &req, HttpResponder r) { r.respond(HttpResponse::text(200, QByteArray::number(req.body().size()))); }, 10);
}

void TestHttpStream::chunkedStreamFraming()
{
    std::unique_ptr<HttpStream> stream;
    m_server->route("GET"_ba, u"/events"_s, [&stream](const HttpRequest &, HttpResponder r) {
        stream = r.startStream(200, {{"Content-Type"_ba, "text/event-stream"_ba}});
    });
    RawClient c(port());
    QVERIFY(c.connected());
    c.send(get("/events"_ba));
    QTRY_VERIFY_WITH_TIMEOUT(stream != nullptr, 5000);
    QVERIFY(c.waitFor("\r\n\r\n"_ba));
    QVERIFY(c.received().contains("Transfer-Encoding: chunked\r\n"));
    QVERIFY(!c.received().contains("Content-Length"));
    const qsizetype headEnd = c.received().indexOf("\r\n\r\n") + 4;
    QVERIFY(stream->write("hello"));
    QVERIFY(stream->write(""));
    QVERIFY(stream->write(QByteArray(300, 'x')));
    QVERIFY(c.waitFor("12c\r\n"_ba));
    QVERIFY(c.waitForBytes(headEnd + 10 + 5 + 300 + 2));
    QCOMPARE(c.received().sliced(headEnd, 10), "5\r\nhello\r\n"_ba);
    QCOMPARE(stream->bytesWritten(), 305);
    stream->end();
    QVERIFY(!stream->isOpen());
    QVERIFY(!stream->write("late"));
    QVERIFY(c.waitFor("\r\n0\r\n\r\n"_ba));
    // The connection serves the next request after a proper end.
    c.send(get("/hello"_ba));
    QVERIFY(c.waitFor("hello\n"_ba));
}

void TestHttpStream::writeBatchHoldsPiecesButNotTheEnd()
{
    std::unique_ptr<HttpStream> stream;
    m_server->route("GET"_ba, u"/events"_s, [&stream](const HttpRequest &, HttpResponder r) {
        stream = r.startStream(200, {{"Content-Type"_ba, "text/event-stream"_ba}});
    });
    RawClient c(port());
    QVERIFY(c.connected());
    c.send(get("/events"_ba));
    QTRY_VERIFY_WITH_TIMEOUT(stream != nullptr, 5000);
    QVERIFY(c.waitFor("\r\n\r\n"_ba));
    {
        WriteBatch batch; // as the gateway handling one read from a host
        QVERIFY(stream->write("piece"));
        QVERIFY(stream->bytesPending() > 0); // held for the batch's end
        // The end goes out at once with what was held: the handler's work after it (the
        // gateway's dispatch log) must not delay the client's last byte.
        stream->end();
        // Read without running the event loop, where the server's socket would send anything
        // still queued on its own: the bytes must have left in end().
        const QByteArray whole = "5\r\npiece\r\n0\r\n\r\n"_ba;
        QDeadlineTimer deadline(3000);
        while (!c.received().contains(whole) && !deadline.hasExpired())
            c.socket().waitForReadyRead(int(deadline.remainingTime()));
        QVERIFY2(c.received().contains(whole), c.received().right(40).constData());
    }
}

void TestHttpStream::http10StreamRunsUntilClose()
{
    std::unique_ptr<HttpStream> stream;
    m_server->route("GET"_ba, u"/events"_s, [&stream](const HttpRequest &, HttpResponder r) {
        stream = r.startStream(200, {{"Content-Type"_ba, "text/plain"_ba}});
    });
    RawClient c(port());
    QVERIFY(c.connected());
    c.send("GET /events HTTP/1.0\r\n\r\n"_ba);
    QTRY_VERIFY_WITH_TIMEOUT(stream != nullptr, 5000);
    stream->write("raw-1 ");
    stream->write("raw-2");
    QVERIFY(c.waitFor("raw-1 raw-2"_ba));
    QVERIFY(!c.received().contains("chunked"));
    stream->end();
    QVERIFY(c.waitClosed());
    QVERIFY(c.received().endsWith("raw-1 raw-2"));
}

void TestHttpStream::streamSeenIncrementallyByQnam()
{
    std::unique_ptr<HttpStream> stream;
    m_server->route("GET"_ba, u"/events"_s, [&stream](const HttpRequest &, HttpResponder r) {
        stream = r.startStream(200, {{"Content-Type"_ba, "text/event-stream"_ba}});
    });
    QNetworkReply *reply = m_nam->get(QNetworkRequest(QUrl(u"http://127.0.0.1:%1/events"_s.arg(port()))));
    QByteArray got;
    connect(reply, &QNetworkReply::readyRead, this, [&] { got += reply->readAll(); });
    QTRY_VERIFY_WITH_TIMEOUT(stream != nullptr, 5000);
    stream->write("data:one\n\n");
    QTRY_COMPARE_WITH_TIMEOUT(got, "data:one\n\n"_ba, 5000);
    QVERIFY(!reply->isFinished());
    stream->write("data:two\n\n");
    QTRY_COMPARE_WITH_TIMEOUT(got, "data:one\n\ndata:two\n\n"_ba, 5000);
    stream->end();
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 5000);
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    reply->deleteLater();
}

void TestHttpStream::streamClientGone()
{
    std::unique_ptr<HttpStream> stream;
    m_server->route("GET"_ba, u"/events"_s, [&stream](const HttpRequest &, HttpResponder r) { stream = r.startStream(200); });
    auto c = std::make_unique<RawClient>(port());
    QVERIFY(c->connected());
    c->send(get("/events"_ba));
    QTRY_VERIFY_WITH_TIMEOUT(stream != nullptr, 5000);
    QSignalSpy gone(stream.get(), &HttpStream::clientGone);
    stream->write("x");
    c.reset();
    QTRY_COMPARE_WITH_TIMEOUT(gone.size(), 1, 5000);
    QVERIFY(!stream->isOpen());
    QVERIFY(!stream->write("y"));
    QCOMPARE(stream->bytesPending(), 0);
}

void TestHttpStream::streamAbort()
{
    std::unique_ptr<HttpStream> stream;
    m_server->route("GET"_ba, u"/events"_s, [&stream](const HttpRequest &, HttpResponder r) { stream = r.startStream(200); });
    QNetworkReply *reply = m_nam->get(QNetworkRequest(QUrl(u"http://127.0.0.1:%1/events"_s.arg(port()))));
    QTRY_VERIFY_WITH_TIMEOUT(stream != nullptr, 5000);
    QSignalSpy gone(stream.get(), &HttpStream::clientGone);
    stream->write("partial");
    QTRY_VERIFY_WITH_TIMEOUT(reply->bytesAvailable() > 0, 5000);
    stream->abort();
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 5000);
    // No terminating chunk: the client sees a broken transfer, not a clean end.
    QVERIFY(reply->error() != QNetworkReply::NoError);
    QCOMPARE(gone.size(), 0); // the writer asked for it; nobody needs telling
    reply->deleteLater();
}

void TestHttpStream::streamBackPressure()
{
    std::unique_ptr<HttpStream> stream;
    m_server->route("GET"_ba, u"/events"_s, [&stream](const HttpRequest &, HttpResponder r) { stream = r.startStream(200); });
    RawClient c(port());
    QVERIFY(c.connected());
    c.socket().setReadBufferSize(1024);
    QObject::disconnect(&c.socket(), &QTcpSocket::readyRead, nullptr, nullptr); // a client that stops reading
    c.send(get("/events"_ba));
    QTRY_VERIFY_WITH_TIMEOUT(stream != nullptr, 5000);
    const QByteArray block(1024 * 1024, 'b');
    for (int i = 0; i < 64; ++i)
        stream->write(block);
    QVERIFY(stream->bytesPending() > 0);
}

void TestHttpStream::streamOwnerDeletesInClientGone()
{
    std::unique_ptr<HttpStream> stream;
    m_server->route("GET"_ba, u"/events"_s, [&stream](const HttpRequest &, HttpResponder r) {
        stream = r.startStream(200);
        QObject::connect(stream.get(), &HttpStream::clientGone, [&stream] { stream.reset(); });
    });
    for (int i = 0; i < 3; ++i) {
        auto c = std::make_unique<RawClient>(port());
        QVERIFY(c->connected());
        c->send(get("/events"_ba));
        QTRY_VERIFY_WITH_TIMEOUT(stream != nullptr, 5000);
        c.reset();
        QTRY_VERIFY_WITH_TIMEOUT(stream == nullptr, 5000);
    }
}

void TestHttpStream::webSocketUpgrade()
{
    std::vector<QPointer<WebSocketConnection>> serverSide;
    m_server->addWebSocketPath(u"/api/ws"_s, [&](WebSocketConnection *s) {
        serverSide.push_back(s);
        s->setParent(this);
        connect(s, &WebSocketConnection::disconnected, s, &QObject::deleteLater);
        connect(s, &WebSocketConnection::textReceived, s, [s](const QByteArray &m) { s->sendText(QByteArray("echo:" + m)); });
        s->start();
    });

    QWebSocket client;
    QStringList got;
    connect(&client, &QWebSocket::textMessageReceived, this, [&got](const QString &m) { got.append(m); });
    client.open(QUrl(u"ws://127.0.0.1:%1/api/ws"_s.arg(port())));
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), QAbstractSocket::ConnectedState, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(serverSide.size(), size_t(1), 5000);
    QCOMPARE(serverSide.front()->request().path(), u"/api/ws"_s);
    QCOMPARE(m_server->webSocketCount(), 1);
    client.sendTextMessage(u"hi"_s);
    QTRY_COMPARE_WITH_TIMEOUT(got, QStringList({u"echo:hi"_s}), 5000);

    // An upgrade on an unregistered path is an ordinary (404) request.
    RawClient stray(port());
    QVERIFY(stray.connected());
    stray.send(get("/elsewhere"_ba,
                   "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"_ba));
    QVERIFY(stray.waitFor("404 page not found\n"_ba));
    QCOMPARE(serverSide.size(), size_t(1));

    // A handshake without a proper key is refused as HTTP, not upgraded.
    RawClient keyless(port());
    QVERIFY(keyless.connected());
    keyless.send(get("/api/ws"_ba, "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"_ba));
    QVERIFY(keyless.waitFor("HTTP/1.1 400 Bad Request\r\n"_ba));
    QVERIFY(keyless.waitClosed());
    QCOMPARE(serverSide.size(), size_t(1));

    // Plain HTTP on the same port still works.
    RawClient c(port());
    QVERIFY(c.connected());
    c.send(get("/hello"_ba));
    QVERIFY(c.waitFor("hello\n"_ba));
    client.close();
    QTRY_VERIFY_WITH_TIMEOUT(serverSide.front().isNull(), 5000);
    QCOMPARE(m_server->webSocketCount(), 0);
}

void TestHttpStream::closeKeepsOrAbortsConnections()
{
    std::unique_ptr<HttpStream> stream;
    m_server->route("GET"_ba, u"/events"_s, [&stream](const HttpRequest &, HttpResponder r) { stream = r.startStream(200); });
    RawClient c(port());
    QVERIFY(c.connected());
    c.send(get("/events"_ba));
    QTRY_VERIFY_WITH_TIMEOUT(stream != nullptr, 5000);
    const quint16 oldPort = port();

    m_server->close(HttpServer::ExistingConnections::Keep);
    QVERIFY(!m_server->isListening());
    QTcpSocket refused;
    QSignalSpy refusedError(&refused, &QTcpSocket::errorOccurred);
    refused.connectToHost(QHostAddress::LocalHost, oldPort);
    QTRY_COMPARE_WITH_TIMEOUT(refusedError.size(), 1, 5000);
    QCOMPARE(refused.error(), QAbstractSocket::ConnectionRefusedError);
    QVERIFY(stream->write("still here"));
    QVERIFY(c.waitFor("still here"_ba));

    QSignalSpy gone(stream.get(), &HttpStream::clientGone);
    m_server->close(HttpServer::ExistingConnections::Abort);
    QCOMPARE(gone.size(), 1);
    QVERIFY(c.waitClosed());
    QVERIFY(!c.received().contains("\r\n0\r\n\r\n"));

    QVERIFY(m_server->listen(QHostAddress::LocalHost, oldPort)); // back up on the same port
    RawClient again(oldPort);
    QVERIFY(again.connected());
    again.send(get("/hello"_ba));
    QVERIFY(again.waitFor("hello\n"_ba));
}

void TestHttpStream::closeAbortResetsEveryConnection()
{
    std::vector<std::unique_ptr<HttpStream>> streams;
    m_server->route("GET"_ba, u"/events"_s, [&streams](const HttpRequest &, HttpResponder r) { streams.push_back(r.startStream(200)); });
    RawClient a(port()), b(port()), idle(port());
    QVERIFY(a.connected() && b.connected() && idle.connected());
    a.send(get("/events"_ba));
    b.send(get("/events"_ba));
    QTRY_COMPARE_WITH_TIMEOUT(streams.size(), size_t(2), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(m_server->connectionCount(), 3, 5000);
    m_server->close(HttpServer::ExistingConnections::Abort);
    QVERIFY(a.waitClosed() && b.waitClosed() && idle.waitClosed());
    QVERIFY(!streams[0]->isOpen() && !streams[1]->isOpen());
    QVERIFY(!m_server->isListening());
    QTRY_COMPARE_WITH_TIMEOUT(m_server->connectionCount(), 0, 5000);
}

QTEST_GUILESS_MAIN(TestHttpStream)
#include "tst_httpstream.moc"
