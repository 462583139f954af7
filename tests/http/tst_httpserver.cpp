#include "core/http/httpresponder.h"
#include "core/http/httpserver.h"
#include "core/http/httpstream.h"

#include "httptestclient.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace boo;
using namespace httptest;

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
    void preRoutingHook();
    void requestFinishedSignal();
    void listenErrors();
    void serveConnectionAcceptedElsewhere();
    void smallExchangeLatency();

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

void TestHttpServer::qnamGetWithParamsAndQuery()
{
    QNetworkRequest request(QUrl(u"http://127.0.0.1:%1/items/42/a/b%20c?q=x%2By+z"_s.arg(port())));
    request.setRawHeader("X-Test", "yes");
    QNetworkReply *reply = m_nam->get(request);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 5000);
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QCOMPARE(reply->readAll(), "42|a/b c|x+y z|yes"_ba);
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
    m_server->route("GET"_ba, u"/slow"_s, [&parked](const HttpRequest &, HttpResponder r) { parked.push_back(std::move(r)); });
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
    QTest::newRow("garbage") << "\x01\x02garbage\r\n\r\n"_ba
                             << "HTTP/1.1 400 Bad Request"_ba;
    QTest::newRow("bogus content-length") << "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: lots\r\n\r\n"_ba
                                          << "HTTP/1.1 400 Bad Request"_ba;
    QTest::newRow("bad chunk size") << "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n"_ba
                                    << "HTTP/1.1 400 Bad Request"_ba;
    QTest::newRow("no host") << "GET /hello HTTP/1.1\r\n\r\n"_ba
                             << "HTTP/1.1 400 Bad Request"_ba;
    QTest::newRow("http/2 preface") << "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"_ba
                                    << "HTTP/1.1 505 "_ba;
    QTest::newRow("unsupported coding") << "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: br, chunked\r\n\r\n"_ba
                                        << "HTTP/1.1 501 Not Implemented"_ba;
    // RFC 9112 §6.3: a request whose last coding is not chunked has no knowable length.
    QTest::newRow("chunked not last") << "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked, identity\r\n\r\n"_ba
                                      << "HTTP/1.1 400 Bad Request"_ba;
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
    const QList<QByteArray> prefixes
        = {QByteArray(), "GET / HTTP/1.1\r\n"_ba, "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\n"_ba,
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
    m_server->route("GET"_ba, u"/park"_s, [&parked](const HttpRequest &, HttpResponder r) { parked.push_back(std::move(r)); });
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

void TestHttpServer::listenErrors()
{
    HttpServer other;
    QVERIFY(!other.listen(QHostAddress::LocalHost, port()));
    QVERIFY(!other.errorString().isEmpty());
    QVERIFY(!other.isListening());
}

void TestHttpServer::serveConnectionAcceptedElsewhere()
{
    // A listener the server does not own, as the simulator has; what it hands over is served
    // like a connection of the server's own port, also the bytes sent before the hand-over.
    QTcpServer elsewhere;
    QVERIFY(elsewhere.listen(QHostAddress::LocalHost, 0));
    RawClient early(elsewhere.serverPort());
    QVERIFY(early.connected());
    QTRY_VERIFY_WITH_TIMEOUT(elsewhere.hasPendingConnections(), 5000);
    QTcpSocket *earlySocket = elsewhere.nextPendingConnection();
    early.send(get("/hello"_ba));
    QTRY_VERIFY_WITH_TIMEOUT(earlySocket->bytesAvailable() > 0, 5000);

    // One whose client left before the hand-over is freed, never served.
    RawClient left(elsewhere.serverPort());
    QVERIFY(left.connected());
    QTRY_VERIFY_WITH_TIMEOUT(elsewhere.hasPendingConnections(), 5000);
    QPointer<QTcpSocket> leftSocket = elsewhere.nextPendingConnection();
    left.socket().abort();
    QTRY_COMPARE_WITH_TIMEOUT(leftSocket->state(), QAbstractSocket::UnconnectedState, 5000);
    m_server->serve(leftSocket);
    QTRY_VERIFY_WITH_TIMEOUT(!leftSocket, 5000);
    QCOMPARE(m_server->connectionCount(), 0);

    m_server->serve(earlySocket);
    QVERIFY(early.waitFor("hello\n"_ba));
    QCOMPARE(m_server->connectionCount(), 1);
    early.received().clear();
    early.send(get("/items/7/x"_ba)); // keep-alive on it as on any other
    QVERIFY(early.waitFor("7|x||"_ba));

    // Shutdown reaches it too.
    m_server->close(HttpServer::ExistingConnections::Abort);
    QVERIFY(early.waitClosed());
    QTRY_COMPARE_WITH_TIMEOUT(m_server->connectionCount(), 0, 5000);
}

void TestHttpServer::smallExchangeLatency()
{
    // The gateway built on this server may add less than 0.5 ms to time-to-first-byte; this
    // keeps the server's own share visible (client, kernel and event loop included).
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, port());
    QVERIFY(client.waitForConnected(5000));
    client.setSocketOption(QAbstractSocket::LowDelayOption, 1);
    QByteArray received;
    QEventLoop loop;
    connect(&client, &QTcpSocket::readyRead, &loop, [&] {
        received += client.readAll();
        if (received.endsWith("hello\n"))
            loop.quit();
    });
    QList<qint64> samples;
    QElapsedTimer t;
    for (int i = 0; i < 300; ++i) {
        received.clear();
        t.start();
        client.write(get("/hello"_ba));
        QTimer::singleShot(2000, &loop, &QEventLoop::quit);
        loop.exec();
        QVERIFY(received.endsWith("hello\n"));
        samples.append(t.nsecsElapsed());
    }
    std::sort(samples.begin(), samples.end());
    const double median = double(samples.at(samples.size() / 2)) / 1e6;
    qInfo("small keep-alive exchange, round trip: median %.3f ms, p90 %.3f ms", median, double(samples.at(samples.size() * 9 / 10)) / 1e6);
    QVERIFY2(median < 2.0, "a trivial exchange should take well under a millisecond");
}

QTEST_GUILESS_MAIN(TestHttpServer)
#include "tst_httpserver.moc"
