#include "core/http/httpresponder.h"
#include "core/http/httpserver.h"
#include "core/http/httpstream.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace boo;

namespace {

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
    bool connected() { return QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::ConnectedState; }, 5000); }
    void send(const QByteArray &bytes) { m_socket.write(bytes); m_socket.flush(); }
    bool waitFor(const QByteArray &needle, int ms = 5000)
    {
        return QTest::qWaitFor([&] { return m_received.contains(needle); }, ms);
    }
    bool waitForBytes(qsizetype n, int ms = 5000)
    {
        return QTest::qWaitFor([&] { return m_received.size() >= n; }, ms);
    }
    bool waitClosed(int ms = 5000) { return QTest::qWaitFor([&] { return m_closed; }, ms); }
    bool isClosed() const { return m_closed; }
    QByteArray &received() { return m_received; }
    QTcpSocket &socket() { return m_socket; }
    int count(const QByteArray &needle) const { return int(m_received.count(needle)); }

private:
    QTcpSocket m_socket;
    QByteArray m_received;
    bool m_closed = false;
};

QByteArray get(const QByteArray &path, const QByteArray &extra = {})
{
    return "GET "_ba + path + " HTTP/1.1\r\nHost: test\r\n" + extra + "\r\n";
}

} // namespace

class TestHttpServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void qnamGetWithParamsAndQuery();
    void defaultNotFoundAndMethodNotAllowed();
    void overriddenNotFoundAndMethodNotAllowed();
    void headHasNoBody();
    void keepAliveServesInOrder();
    void pipelinedRequestsWaitForAsyncResponse();
    void http10ClosesUnlessKeepAlive();
    void connectionCloseHonoured();
    void expectContinue();
    void chunkedRequestBody();
    void qnamPostBody();
    void contentLengthOverLimitRefusedWithoutReading();
    void perRouteBodyLimit();
    void chunkedBodyOverLimit();
    void hugeHeaders();
    void malformedRequests_data();
    void malformedRequests();
    void garbageNeverKillsTheServer();
    void clientsVanishingMidRequest();
    void headerTimeout();
    void idleKeepAliveTimeout();
    void asyncResponder();
    void droppedResponderSends500();
    void responderAfterClientLeftIsHarmless();
    void chunkedStreamFraming();
    void http10StreamRunsUntilClose();
    void streamSeenIncrementallyByQnam();
    void streamClientGone();
    void streamAbort();
    void streamBackPressure();
    void streamOwnerDeletesInClientGone();
    void preRoutingHook();
    void requestFinishedSignal();
    void webSocketUpgrade();
    void closeKeepsOrAbortsConnections();
    void abortAllConnections();
    void stallAcceptsButNeverAnswers();
    void pauseAccepting();
    void listenErrors();

private:
    quint16 port() const { return m_server->serverPort(); }
    void addEchoRoutes();

    std::unique_ptr<HttpServer> m_server;
    QNetworkAccessManager *m_nam = nullptr;
};

void TestHttpServer::init()
{
    m_server = std::make_unique<HttpServer>();
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    QVERIFY(port() != 0);
    m_nam = new QNetworkAccessManager(this);
    addEchoRoutes();
}

void TestHttpServer::cleanup()
{
    delete m_nam;
    m_nam = nullptr;
    m_server.reset();
}

void TestHttpServer::addEchoRoutes()
{
    m_server->route("GET"_ba, u"/hello"_s, [](const HttpRequest &, HttpResponder r) {
        r.respond(HttpResponse::text(200, "hello\n"_ba));
    });
    m_server->route("GET"_ba, u"/items/{id}/{rest...}"_s, [](const HttpRequest &req, HttpResponder r) {
        r.respond(HttpResponse::text(200, (req.pathParam(u"id") + u'|' + req.pathParam(u"rest") + u'|'
                                           + req.queryValue(u"q") + u'|' + QString::fromLatin1(req.header("x-test")))
                                              .toUtf8()));
    });
    m_server->route("POST"_ba, u"/echo"_s, [](const HttpRequest &req, HttpResponder r) {
        r.respond(HttpResponse(200, "application/octet-stream"_ba, req.body()));
    });
    m_server->route("POST"_ba, u"/small"_s, [](const HttpRequest &req, HttpResponder r) {
        r.respond(HttpResponse::text(200, QByteArray::number(req.body().size())));
    }, 10);
}

void TestHttpServer::qnamGetWithParamsAndQuery()
{
    QNetworkRequest request(QUrl(u"http://127.0.0.1:%1/items/42/a/b%2Fc?q=x%2By+z"_s.arg(port())));
    request.setRawHeader("X-Test", "yes");
    QNetworkReply *reply = m_nam->get(request);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 5000);
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QCOMPARE(reply->readAll(), "42|a/b/c|x+y z|yes"_ba);
    QVERIFY(!reply->rawHeader("Date").isEmpty());
    reply->deleteLater();
}

void TestHttpServer::defaultNotFoundAndMethodNotAllowed()
{
    RawClient c(port());
    QVERIFY(c.connected());
    c.send(get("/nope"_ba));
    QVERIFY(c.waitFor("404 page not found\n"_ba));
    QVERIFY(c.received().startsWith("HTTP/1.1 404 Not Found\r\n"));
    QVERIFY(c.received().contains("Content-Type: text/plain; charset=utf-8\r\n"));
    QVERIFY(c.received().contains("Content-Length: 19\r\n"));
    c.received().clear();
    c.send(get("/echo"_ba));
    QVERIFY(c.waitFor("Method Not Allowed\n"_ba));
    QVERIFY(c.received().startsWith("HTTP/1.1 405 Method Not Allowed\r\n"));
    QVERIFY(c.received().contains("\r\nAllow: POST\r\n"));
    QVERIFY(!c.isClosed()); // a 404/405 keeps the connection
}

void TestHttpServer::overriddenNotFoundAndMethodNotAllowed()
{
    m_server->setNotFoundHandler([](const HttpRequest &req, HttpResponder r) {
        r.respond(HttpResponse::json(404, "{\"missing\":\"" + req.path().toUtf8() + "\"}"));
    });
    m_server->setMethodNotAllowedHandler([](const HttpRequest &, const QByteArrayList &allowed, HttpResponder r) {
        r.respond(HttpResponse::text(405, "only " + allowed.join(' ')));
    });
    RawClient c(port());
    QVERIFY(c.connected());
    c.send(get("/x"_ba));
    QVERIFY(c.waitFor("{\"missing\":\"/x\"}"_ba));
    c.send("DELETE /hello HTTP/1.1\r\nHost: t\r\n\r\n"_ba);
    QVERIFY(c.waitFor("only GET HEAD"_ba));
}

void TestHttpServer::headHasNoBody()
{
    RawClient c(port());
    QVERIFY(c.connected());
    c.send("HEAD /hello HTTP/1.1\r\nHost: t\r\n\r\n"_ba + get("/hello"_ba));
    QTRY_COMPARE_WITH_TIMEOUT(c.count("HTTP/1.1 200 OK"_ba), 2, 5000);
    QVERIFY(c.waitFor("hello\n"_ba));
    // The HEAD answer announces the length but the next bytes are the second response.
    const QByteArray &all = c.received();
    const qsizetype firstEnd = all.indexOf("\r\n\r\n") + 4;
    QVERIFY(all.first(firstEnd).contains("Content-Length: 6\r\n"));
    QVERIFY(all.sliced(firstEnd).startsWith("HTTP/1.1 200 OK"));
}

void TestHttpServer::keepAliveServesInOrder()
{
    RawClient c(port());
    QVERIFY(c.connected());
    for (int i = 0; i < 3; ++i) {
        c.received().clear();
        c.send(get("/items/" + QByteArray::number(i) + "/r"));
        QVERIFY(c.waitFor(QByteArray::number(i) + "|r||"));
    }
    QCOMPARE(m_server->connectionCount(), 1);
}

void TestHttpServer::pipelinedRequestsWaitForAsyncResponse()
{
    std::vector<HttpResponder> parked;
    m_server->route("GET"_ba, u"/slow"_s, [&parked](const HttpRequest &, HttpResponder r) {
        parked.push_back(std::move(r));
    });
    RawClient c(port());
    QVERIFY(c.connected());
    c.send(get("/slow"_ba) + get("/hello"_ba) + "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\nping"_ba);
    QTRY_COMPARE_WITH_TIMEOUT(parked.size(), size_t(1), 5000);
    QTest::qWait(50);
    QVERIFY(c.received().isEmpty()); // /hello must not overtake /slow
    parked.front().respond(HttpResponse::text(200, "slow-done"_ba));
    QVERIFY(c.waitFor("ping"_ba));
    const QByteArray &all = c.received();
    QVERIFY(all.indexOf("slow-done") < all.indexOf("hello\n"));
    QVERIFY(all.indexOf("hello\n") < all.indexOf("ping"));
}

void TestHttpServer::http10ClosesUnlessKeepAlive()
{
    {
        RawClient c(port());
        QVERIFY(c.connected());
        c.send("GET /hello HTTP/1.0\r\n\r\n"_ba);
        QVERIFY(c.waitClosed());
        QVERIFY(c.received().contains("Connection: close\r\n"));
        QVERIFY(c.received().endsWith("hello\n"));
    }
    RawClient c(port());
    QVERIFY(c.connected());
    c.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"_ba);
    QVERIFY(c.waitFor("hello\n"_ba));
    QVERIFY(c.received().contains("Connection: keep-alive\r\n"));
    c.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"_ba);
    QTRY_COMPARE_WITH_TIMEOUT(c.count("hello\n"_ba), 2, 5000);
    QVERIFY(!c.isClosed());
}

void TestHttpServer::connectionCloseHonoured()
{
    RawClient c(port());
    QVERIFY(c.connected());
    c.send(get("/hello"_ba, "Connection: close\r\n"_ba) + get("/hello"_ba));
    QVERIFY(c.waitClosed());
    QCOMPARE(c.count("HTTP/1.1 200 OK"_ba), 1);
}

void TestHttpServer::expectContinue()
{
    RawClient c(port());
    QVERIFY(c.connected());
    c.send("POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"_ba);
    QVERIFY(c.waitFor("HTTP/1.1 100 Continue\r\n\r\n"_ba));
    QVERIFY(!c.received().contains("200 OK"));
    c.send("abcde"_ba);
    QVERIFY(c.waitFor("abcde"_ba));
    QVERIFY(c.received().contains("HTTP/1.1 200 OK"));
}

void TestHttpServer::chunkedRequestBody()
{
    RawClient c(port());
    QVERIFY(c.connected());
    c.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n"_ba);
    QTest::qWait(20);
    c.send("5\r\npedia\r\n0\r\n\r\n"_ba);
    QVERIFY(c.waitFor("Wikipedia"_ba));
    QVERIFY(c.received().contains("Content-Length: 9\r\n"));
}

void TestHttpServer::qnamPostBody()
{
    QNetworkRequest request(QUrl(u"http://127.0.0.1:%1/echo"_s.arg(port())));
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    const QByteArray body(3 * 1024 * 1024, 'z');
    QNetworkReply *reply = m_nam->post(request, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(reply->readAll(), body);
    reply->deleteLater();
}

void TestHttpServer::contentLengthOverLimitRefusedWithoutReading()
{
    HttpServerLimits limits;
    limits.maxBodyBytes = 1000;
    m_server->setLimits(limits);
    RawClient c(port());
    QVERIFY(c.connected());
    c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100000000\r\n\r\n"_ba);
    QVERIFY(c.waitClosed());
    QVERIFY(c.received().startsWith("HTTP/1.1 413 Request Entity Too Large\r\n"));
    QVERIFY(c.received().contains("Connection: close\r\n"));
}

void TestHttpServer::perRouteBodyLimit()
{
    RawClient c(port());
    QVERIFY(c.connected());
    c.send("POST /small HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\n0123456789"_ba);
    QVERIFY(c.waitFor("\r\n\r\n10"_ba));
    c.send("POST /small HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n\r\n"_ba);
    QVERIFY(c.waitClosed());
    QVERIFY(c.received().contains("HTTP/1.1 413 "));
    // Other routes keep the server default.
    RawClient d(port());
    QVERIFY(d.connected());
    d.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n\r\n0123456789X"_ba);
    QVERIFY(d.waitFor("0123456789X"_ba));
}

void TestHttpServer::chunkedBodyOverLimit()
{
    RawClient c(port());
    QVERIFY(c.connected());
    c.send("POST /small HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n01234567\r\n"_ba);
    QTest::qWait(20);
    QVERIFY(!c.isClosed());
    c.send("8\r\n01234567\r\n"_ba);
    QVERIFY(c.waitClosed());
    QVERIFY(c.received().startsWith("HTTP/1.1 413 "));
}

void TestHttpServer::hugeHeaders()
{
    RawClient c(port());
    QVERIFY(c.connected());
    c.send("GET /hello HTTP/1.1\r\nHost: t\r\n"_ba);
    for (int i = 0; i < 100; ++i)
        c.send("X-Filler-" + QByteArray::number(i) + ": " + QByteArray(1000, 'f') + "\r\n");
    QVERIFY(c.waitClosed());
    QVERIFY(c.received().startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n"));
}

void TestHttpServer::malformedRequests_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<QByteArray>("statusLine");
    QTest::newRow("garbage") << "\x01\x02garbage\r\n\r\n"_ba << "HTTP/1.1 400 Bad Request"_ba;
    QTest::newRow("bogus content-length") << "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: lots\r\n\r\n"_ba
                                          << "HTTP/1.1 400 Bad Request"_ba;
    QTest::newRow("bad chunk size") << "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n"_ba
                                    << "HTTP/1.1 400 Bad Request"_ba;
    QTest::newRow("no host") << "GET /hello HTTP/1.1\r\n\r\n"_ba << "HTTP/1.1 400 Bad Request"_ba;
    QTest::newRow("http/2 preface") << "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"_ba << "HTTP/1.1 505 "_ba;
    QTest::newRow("unsupported coding") << "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: br\r\n\r\n"_ba
                                        << "HTTP/1.1 501 Not Implemented"_ba;
}

void TestHttpServer::malformedRequests()
{
    QFETCH(QByteArray, wire);
    QFETCH(QByteArray, statusLine);
    RawClient c(port());
    QVERIFY(c.connected());
    c.send(wire);
    QVERIFY(c.waitClosed());
    QVERIFY2(c.received().startsWith(statusLine), c.received().constData());
    QVERIFY(c.received().contains("Connection: close\r\n"));
}

void TestHttpServer::garbageNeverKillsTheServer()
{
    std::vector<std::unique_ptr<RawClient>> clients;
    quint32 seed = 12345;
    const auto next = [&seed] {
        seed = seed * 1664525u + 1013904223u;
        return seed >> 8;
    };
    const QList<QByteArray> prefixes = {
        QByteArray(), "GET / HTTP/1.1\r\n"_ba, "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\n"_ba,
        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"_ba};
    for (int i = 0; i < 40; ++i) {
        auto c = std::make_unique<RawClient>(port());
        QVERIFY(c->connected());
        QByteArray junk = prefixes.at(i % prefixes.size());
        const int n = int(next() % 3000);
        for (int k = 0; k < n; ++k)
            junk.append(char(next() & 0xff));
        c->send(junk);
        if (i % 3 == 0)
            c->socket().abort(); // and vanish
        clients.push_back(std::move(c));
    }
    QTest::qWait(100);
    clients.clear();
    // Still serving, and nothing leaked.
    RawClient ok(port());
    QVERIFY(ok.connected());
    ok.send(get("/hello"_ba));
    QVERIFY(ok.waitFor("hello\n"_ba));
    QTRY_COMPARE_WITH_TIMEOUT(m_server->connectionCount(), 1, 5000);
}

void TestHttpServer::clientsVanishingMidRequest()
{
    for (const QByteArray &partial : {"GET /hel"_ba, "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nhalf"_ba,
                                      "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabc"_ba}) {
        RawClient c(port());
        QVERIFY(c.connected());
        c.send(partial);
        QTRY_COMPARE_WITH_TIMEOUT(m_server->connectionCount(), 1, 5000);
        c.socket().abort();
        QTRY_COMPARE_WITH_TIMEOUT(m_server->connectionCount(), 0, 5000);
    }
}

void TestHttpServer::headerTimeout()
{
    HttpServerLimits limits;
    limits.headerTimeoutMs = 200;
    m_server->setLimits(limits);
    RawClient c(port());
    QVERIFY(c.connected());
    QElapsedTimer t;
    t.start();
    c.send("GET /hello HTTP/1.1\r\n"_ba);
    // Trickling bytes does not extend the deadline.
    for (int i = 0; i < 3; ++i) {
        QTest::qWait(60);
        c.send("X-A: b\r\n"_ba);
    }
    QVERIFY(c.waitClosed(2000));
    QVERIFY(t.elapsed() < 1500);
    QVERIFY(c.received().startsWith("HTTP/1.1 408 Request Timeout\r\n"));
}

void TestHttpServer::idleKeepAliveTimeout()
{
    HttpServerLimits limits;
    limits.idleTimeoutMs = 150;
    m_server->setLimits(limits);
    RawClient c(port());
    QVERIFY(c.connected());
    c.send(get("/hello"_ba));
    QVERIFY(c.waitFor("hello\n"_ba));
    QVERIFY(!c.isClosed());
    QVERIFY(c.waitClosed(2000));
    QCOMPARE(c.count("HTTP/1.1"_ba), 1); // closed silently, no 408
}

void TestHttpServer::asyncResponder()
{
    m_server->route("GET"_ba, u"/later"_s, [this](const HttpRequest &req, HttpResponder r) {
        QTimer::singleShot(50, this, [req, r = std::move(r)]() mutable {
            QVERIFY(r.isPending());
            QVERIFY(r.isClientConnected());
            r.respond(HttpResponse::text(202, "later " + req.path().toUtf8()));
        });
    });
    QNetworkReply *reply = m_nam->get(QNetworkRequest(QUrl(u"http://127.0.0.1:%1/later"_s.arg(port()))));
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 5000);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 202);
    QCOMPARE(reply->readAll(), "later /later"_ba);
    reply->deleteLater();
}

void TestHttpServer::droppedResponderSends500()
{
    m_server->route("GET"_ba, u"/forgot"_s, [](const HttpRequest &, HttpResponder) {});
    m_server->route("GET"_ba, u"/forgot-later"_s, [this](const HttpRequest &, HttpResponder r) {
        auto *holder = new std::optional<HttpResponder>(std::move(r));
        QTimer::singleShot(20, this, [holder] { delete holder; });
    });
    RawClient c(port());
    QVERIFY(c.connected());
    c.send(get("/forgot"_ba) + get("/forgot-later"_ba));
    QTRY_COMPARE_WITH_TIMEOUT(c.count("HTTP/1.1 500 Internal Server Error"_ba), 2, 5000);
}

void TestHttpServer::responderAfterClientLeftIsHarmless()
{
    std::vector<HttpResponder> parked;
    m_server->route("GET"_ba, u"/park"_s, [&parked](const HttpRequest &, HttpResponder r) {
        parked.push_back(std::move(r));
    });
    {
        RawClient c(port());
        QVERIFY(c.connected());
        c.send(get("/park"_ba));
        QTRY_COMPARE_WITH_TIMEOUT(parked.size(), size_t(1), 5000);
        QVERIFY(parked.front().connectionContext());
        QPointer<QObject> context = parked.front().connectionContext();
        c.socket().abort();
        QTRY_VERIFY_WITH_TIMEOUT(!context, 5000); // destroyed once the client is gone
    }
    QVERIFY(!parked.front().isClientConnected());
    parked.front().respond(HttpResponse::text(200, "nobody listens"_ba));
    QVERIFY(!parked.front().startStream(200));
    parked.clear();
    QCOMPARE(m_server->connectionCount(), 0);
}

void TestHttpServer::chunkedStreamFraming()
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

void TestHttpServer::http10StreamRunsUntilClose()
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

void TestHttpServer::streamSeenIncrementallyByQnam()
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

void TestHttpServer::streamClientGone()
{
    std::unique_ptr<HttpStream> stream;
    m_server->route("GET"_ba, u"/events"_s, [&stream](const HttpRequest &, HttpResponder r) {
        stream = r.startStream(200);
    });
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

void TestHttpServer::streamAbort()
{
    std::unique_ptr<HttpStream> stream;
    m_server->route("GET"_ba, u"/events"_s, [&stream](const HttpRequest &, HttpResponder r) {
        stream = r.startStream(200);
    });
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

void TestHttpServer::streamBackPressure()
{
    std::unique_ptr<HttpStream> stream;
    m_server->route("GET"_ba, u"/events"_s, [&stream](const HttpRequest &, HttpResponder r) {
        stream = r.startStream(200);
    });
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

void TestHttpServer::streamOwnerDeletesInClientGone()
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

void TestHttpServer::preRoutingHook()
{
    QList<QByteArray> seen;
    m_server->setPreRoutingHook([&seen](const HttpRequest &req, HttpResponder &r) {
        seen.append(req.path().toUtf8());
        if (req.header("authorization") != "Bearer k") {
            HttpResponse response = HttpResponse::text(401, "no"_ba);
            response.setHeader("WWW-Authenticate"_ba, "Basic realm=\"t\""_ba);
            r.respond(std::move(response));
            return true;
        }
        return false;
    });
    RawClient c(port());
    QVERIFY(c.connected());
    c.send(get("/hello"_ba) + get("/hello"_ba, "Authorization: Bearer k\r\n"_ba) + get("/missing"_ba, "Authorization: Bearer k\r\n"_ba));
    QVERIFY(c.waitFor("404 page not found\n"_ba));
    QVERIFY(c.received().startsWith("HTTP/1.1 401 Unauthorized\r\n"));
    QVERIFY(c.received().contains("WWW-Authenticate: Basic realm=\"t\"\r\n"));
    QVERIFY(c.received().contains("hello\n"));
    QCOMPARE(seen, QList<QByteArray>({"/hello"_ba, "/hello"_ba, "/missing"_ba}));
}

void TestHttpServer::requestFinishedSignal()
{
    QSignalSpy spy(m_server.get(), &HttpServer::requestFinished);
    RawClient c(port());
    QVERIFY(c.connected());
    c.send(get("/hello"_ba, "User-Agent: ua/1\r\n"_ba) + get("/nope"_ba));
    QTRY_COMPARE_WITH_TIMEOUT(spy.size(), 2, 5000);
    const auto first = spy.at(0);
    QCOMPARE(first.at(0).value<HttpRequest>().header("user-agent"), "ua/1"_ba);
    QCOMPARE(first.at(1).toInt(), 200);
    QCOMPARE(first.at(2).toLongLong(), 6);
    QVERIFY(first.at(3).toLongLong() >= 0);
    QCOMPARE(spy.at(1).at(1).toInt(), 404);
}

void TestHttpServer::webSocketUpgrade()
{
    QWebSocketServer ws(u"test"_s, QWebSocketServer::NonSecureMode);
    std::vector<QWebSocket *> serverSide;
    connect(&ws, &QWebSocketServer::newConnection, this, [&] {
        while (QWebSocket *s = ws.nextPendingConnection()) {
            serverSide.push_back(s);
            connect(s, &QWebSocket::textMessageReceived, s, [s](const QString &m) { s->sendTextMessage(u"echo:"_s + m); });
        }
    });
    m_server->addWebSocketPath(u"/api/ws"_s, &ws);

    QWebSocket client;
    QStringList got;
    connect(&client, &QWebSocket::textMessageReceived, this, [&got](const QString &m) { got.append(m); });
    client.open(QUrl(u"ws://127.0.0.1:%1/api/ws"_s.arg(port())));
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), QAbstractSocket::ConnectedState, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(serverSide.size(), size_t(1), 5000);
    QCOMPARE(serverSide.front()->requestUrl().path(), u"/api/ws"_s);
    client.sendTextMessage(u"hi"_s);
    QTRY_COMPARE_WITH_TIMEOUT(got, QStringList({u"echo:hi"_s}), 5000);

    // An upgrade on an unregistered path is an ordinary (404) request.
    RawClient stray(port());
    QVERIFY(stray.connected());
    stray.send(get("/elsewhere"_ba, "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"_ba));
    QVERIFY(stray.waitFor("404 page not found\n"_ba));
    QCOMPARE(serverSide.size(), size_t(1));

    // Plain HTTP on the same port still works.
    RawClient c(port());
    QVERIFY(c.connected());
    c.send(get("/hello"_ba));
    QVERIFY(c.waitFor("hello\n"_ba));
    client.close();
    for (QWebSocket *s : serverSide)
        s->deleteLater();
}

void TestHttpServer::closeKeepsOrAbortsConnections()
{
    std::unique_ptr<HttpStream> stream;
    m_server->route("GET"_ba, u"/events"_s, [&stream](const HttpRequest &, HttpResponder r) {
        stream = r.startStream(200);
    });
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

void TestHttpServer::abortAllConnections()
{
    std::vector<std::unique_ptr<HttpStream>> streams;
    m_server->route("GET"_ba, u"/events"_s, [&streams](const HttpRequest &, HttpResponder r) {
        streams.push_back(r.startStream(200));
    });
    RawClient a(port()), b(port()), idle(port());
    QVERIFY(a.connected() && b.connected() && idle.connected());
    a.send(get("/events"_ba));
    b.send(get("/events"_ba));
    QTRY_COMPARE_WITH_TIMEOUT(streams.size(), size_t(2), 5000);
    m_server->abortAllConnections();
    QVERIFY(a.waitClosed() && b.waitClosed() && idle.waitClosed());
    QVERIFY(!streams[0]->isOpen() && !streams[1]->isOpen());
    QVERIFY(m_server->isListening());
    QTRY_COMPARE_WITH_TIMEOUT(m_server->connectionCount(), 0, 5000);
}

void TestHttpServer::stallAcceptsButNeverAnswers()
{
    m_server->setStalled(true);
    RawClient c(port());
    QVERIFY(c.connected()); // the TCP handshake completes
    c.send(get("/hello"_ba));
    QTest::qWait(200);
    QVERIFY(c.received().isEmpty());
    QVERIFY(!c.isClosed());
    QCOMPARE(m_server->connectionCount(), 1);
    m_server->setStalled(false);
    QVERIFY(c.waitFor("hello\n"_ba));
}

void TestHttpServer::pauseAccepting()
{
    m_server->pauseAccepting();
    RawClient c(port());
    QVERIFY(c.connected()); // completed by the kernel's listen backlog
    c.send(get("/hello"_ba));
    QTest::qWait(150);
    QVERIFY(c.received().isEmpty());
    m_server->resumeAccepting();
    QVERIFY(c.waitFor("hello\n"_ba));
}

void TestHttpServer::listenErrors()
{
    HttpServer other;
    QVERIFY(!other.listen(QHostAddress::LocalHost, port()));
    QVERIFY(!other.errorString().isEmpty());
    QVERIFY(!other.isListening());
}

QTEST_GUILESS_MAIN(TestHttpServer)
#include "tst_httpserver.moc"
