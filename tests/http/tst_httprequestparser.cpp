#include "core/http/httprequestparser.h"

#include <QTest>

using namespace Qt::StringLiterals;
using boo::HttpRequest;
using boo::HttpRequestParser;
using Event = HttpRequestParser::Event;

namespace {

struct Outcome
{
    QList<HttpRequest> requests;
    int errorStatus = 0;
    qsizetype maxBuffered = 0; // largest body the parser held at any point
};

// Feeds `pieces` in order, finishing every request it can; like a connection would.
Outcome run(const QList<QByteArray> &pieces, HttpRequestParser::Limits limits = {})
{
    Outcome out;
    HttpRequestParser parser(limits);
    for (const QByteArray &piece : pieces) {
        QByteArrayView rest = piece;
        for (;;) {
            qsizetype consumed = 0;
            const Event e = parser.feed(rest, &consumed);
            rest = rest.sliced(consumed);
            if (e == Event::Failed) {
                out.errorStatus = parser.errorStatus();
                return out;
            }
            if (e == Event::MessageComplete) {
                out.maxBuffered = qMax(out.maxBuffered, parser.request().body().size());
                out.requests.append(parser.takeRequest());
                continue;
            }
            if (e == Event::HeadComplete)
                continue;
            break; // NeedMore: everything consumed
        }
        if (!rest.isEmpty()) {
            out.errorStatus = -1; // parser stopped consuming without a reason
            return out;
        }
    }
    return out;
}

} // namespace

class TestHttpRequestParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validRequest_data();
    void validRequest();
    void invalidRequest_data();
    void invalidRequest();
    void headLimit();
    void headerFieldLimit();
    void contentLengthAboveLimitFailsBeforeBody();
    void chunkedBodyCrossingLimitStopsEarly();
    void routeLimitChangedAfterHead();
    void pipelinedRequestsStopAtBoundary();
    void queryDecodingFollowsGo();
    void findHeadEnd();
};

void TestHttpRequestParser::validRequest_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("rawQuery");
    QTest::addColumn<QByteArray>("header"); // "name=value" of one header to check
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("minor");

    QTest::newRow("get") << "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"_ba
                         << "GET"_ba << u"/health"_s << QByteArray() << "host=x"_ba << QByteArray() << 1;
    QTest::newRow("content-length body")
        << "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"model\":\"a\"}"_ba
        << "POST"_ba << u"/v1/chat/completions"_s << QByteArray() << "content-type=application/json"_ba
        << "{\"model\":\"a\"}"_ba << 1;
    QTest::newRow("chunked with extension and trailer")
        << "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n"_ba
        << "POST"_ba << u"/x"_s << QByteArray() << "transfer-encoding=chunked"_ba
        << "hello world"_ba << 1;
    QTest::newRow("upper-case hex chunk")
        << "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n"_ba
        << "POST"_ba << u"/x"_s << QByteArray() << "host=x"_ba
        << "0123456789"_ba << 1;
    QTest::newRow("leading empty lines") << "\r\n\r\nGET /a HTTP/1.1\r\nHost: x\r\n\r\n"_ba
                                         << "GET"_ba << u"/a"_s << QByteArray() << "host=x"_ba << QByteArray() << 1;
    QTest::newRow("spaced value") << "GET /a?b=c HTTP/1.1\r\nHost: x\r\nX-A:  spaced value \r\n\r\n"_ba
                                  << "GET"_ba << u"/a"_s << "b=c"_ba
                                  << "x-a=spaced value"_ba << QByteArray() << 1;
    QTest::newRow("empty segments collapse") << "GET //a//b/?q HTTP/1.1\r\nHost: x\r\n\r\n"_ba
                                             << "GET"_ba << u"/a/b/"_s << "q"_ba << QByteArray() << QByteArray() << 1;
    QTest::newRow("encoded letters stay one path") << "GET /api/ws/%63ontrol HTTP/1.1\r\nHost: x\r\n\r\n"_ba
                                                   << "GET"_ba << u"/api/ws/control"_s << QByteArray() << QByteArray() << QByteArray() << 1;
    QTest::newRow("dots inside a segment") << "GET /m/v1.5..q4/a. HTTP/1.1\r\nHost: x\r\n\r\n"_ba
                                           << "GET"_ba << u"/m/v1.5..q4/a."_s << QByteArray() << QByteArray() << QByteArray() << 1;
    QTest::newRow("chunked after an empty list element")
        << "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: ,chunked\r\n\r\n1\r\nz\r\n0\r\n\r\n"_ba
        << "POST"_ba << u"/x"_s << QByteArray() << QByteArray() << "z"_ba << 1;
    QTest::newRow("http/1.0 without host") << "GET / HTTP/1.0\r\n\r\n"_ba
                                           << "GET"_ba << u"/"_s << QByteArray() << QByteArray() << QByteArray() << 0;
    QTest::newRow("absolute form") << "GET http://example.com:8080/api/version?x=1 HTTP/1.1\r\nHost: example.com\r\n\r\n"_ba
                                   << "GET"_ba << u"/api/version"_s << "x=1"_ba << QByteArray() << QByteArray() << 1;
    QTest::newRow("percent-encoded path") << "GET /upstream/org%3Amodel/x%20y HTTP/1.1\r\nHost: x\r\n\r\n"_ba
                                          << "GET"_ba << u"/upstream/org:model/x y"_s << QByteArray() << QByteArray() << QByteArray() << 1;
    QTest::newRow("options asterisk") << "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n"_ba
                                      << "OPTIONS"_ba << u"*"_s << QByteArray() << QByteArray() << QByteArray() << 1;
    QTest::newRow("http/1.2 treated as 1.1") << "GET / HTTP/1.2\r\nHost: x\r\n\r\n"_ba
                                             << "GET"_ba << u"/"_s << QByteArray() << QByteArray() << QByteArray() << 1;
    QTest::newRow("utf-8 path") << "GET /caf%C3%A9 HTTP/1.1\r\nHost: x\r\n\r\n"_ba
                                << "GET"_ba << u"/café"_s << QByteArray() << QByteArray() << QByteArray() << 1;
}

void TestHttpRequestParser::validRequest()
{
    QFETCH(QByteArray, wire);
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, rawQuery);
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, body);
    QFETCH(int, minor);

    const auto check = [&](const Outcome &out, const QByteArray &how) {
        if (out.errorStatus != 0 || out.requests.size() != 1) {
            qWarning() << how << "error" << out.errorStatus << "requests" << out.requests.size();
            return false;
        }
        const HttpRequest &r = out.requests.first();
        bool ok = r.method() == method && r.path() == path && r.rawQuery() == rawQuery && r.body() == body && r.versionMinor() == minor;
        if (!header.isEmpty()) {
            const qsizetype eq = header.indexOf('=');
            ok = ok && r.header(header.first(eq)) == header.sliced(eq + 1);
        }
        if (!ok)
            qWarning() << how << r.method() << r.path() << r.rawQuery() << r.body();
        return ok;
    };

    QVERIFY(check(run({wire}), "whole"_ba));
    // Every split into two pieces: the parser must not care where reads end.
    for (qsizetype i = 1; i < wire.size(); ++i)
        QVERIFY2(check(run({wire.first(i), wire.sliced(i)}), QByteArray("split at " + QByteArray::number(i))), "split");
    QList<QByteArray> bytes;
    for (char c : wire)
        bytes.append(QByteArray(1, c));
    QVERIFY(check(run(bytes), "byte by byte"_ba));
}

void TestHttpRequestParser::invalidRequest_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<int>("status");

    QTest::newRow("garbage") << "HELLO\r\n\r\n"_ba << 400;
    QTest::newRow("binary") << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 15) << 400;
    QTest::newRow("missing host") << "GET / HTTP/1.1\r\n\r\n"_ba << 400;
    QTest::newRow("two hosts") << "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"_ba << 400;
    QTest::newRow("bad content-length") << "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 12a\r\n\r\n"_ba << 400;
    QTest::newRow("negative content-length") << "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"_ba << 400;
    QTest::newRow("huge content-length") << "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n"_ba << 400;
    QTest::newRow("conflicting content-length") << "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"_ba << 400;
    QTest::newRow("content-length and chunked")
        << "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n"_ba << 400;
    QTest::newRow("gzip transfer coding") << "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"_ba << 501;
    QTest::newRow("http/2") << "GET / HTTP/2.0\r\nHost: x\r\n\r\n"_ba << 505;
    QTest::newRow("bad version") << "GET / HTTX/1.1\r\nHost: x\r\n\r\n"_ba << 400;
    QTest::newRow("extra space") << "GET  / HTTP/1.1\r\nHost: x\r\n\r\n"_ba << 400;
    QTest::newRow("no target") << "GET HTTP/1.1\r\nHost: x\r\n\r\n"_ba << 400;
    QTest::newRow("relative target") << "GET index.html HTTP/1.1\r\nHost: x\r\n\r\n"_ba << 400;
    QTest::newRow("fragment") << "GET /a#b HTTP/1.1\r\nHost: x\r\n\r\n"_ba << 400;
    QTest::newRow("asterisk for GET") << "GET * HTTP/1.1\r\nHost: x\r\n\r\n"_ba << 400;
    QTest::newRow("obs-fold") << "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n"_ba << 400;
    QTest::newRow("header without colon") << "GET / HTTP/1.1\r\nHost: x\r\nBroken\r\n\r\n"_ba << 400;
    QTest::newRow("space before colon") << "GET / HTTP/1.1\r\nHost : x\r\n\r\n"_ba << 400;
    static const char withNul[] = "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n";
    QTest::newRow("nul in value") << QByteArray(withNul, sizeof(withNul) - 1) << 400;
    QTest::newRow("bad percent") << "GET /a%zz HTTP/1.1\r\nHost: x\r\n\r\n"_ba << 400;
    QTest::newRow("truncated percent") << "GET /a% HTTP/1.1\r\nHost: x\r\n\r\n"_ba << 400;
    QTest::newRow("unknown expectation") << "POST / HTTP/1.1\r\nHost: x\r\nExpect: magic\r\n\r\n"_ba << 417;
    QTest::newRow("bad chunk size") << "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"_ba << 400;
    QTest::newRow("empty chunk size") << "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n\r\n"_ba << 400;
    QTest::newRow("overlong chunk size") << "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n"_ba
                                         << 400;
    QTest::newRow("chunk without CRLF") << "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n"_ba << 400;
    QTest::newRow("chunked on http/1.0") << "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"_ba << 400;
    // Strict framing (issue 17): what two readers could frame differently is refused.
    QTest::newRow("bare LF line ends") << "GET /a HTTP/1.1\nHost: x\n\n"_ba << 400;
    QTest::newRow("bare LF after the request line") << "GET /a HTTP/1.1\nHost: x\r\n\r\n"_ba << 400;
    QTest::newRow("bare LF after a field") << "GET /a HTTP/1.1\r\nHost: x\nX-A: b\r\n\r\n"_ba << 400;
    QTest::newRow("bare CR in the request line") << "GET /a\rB HTTP/1.1\r\nHost: x\r\n\r\n"_ba << 400;
    QTest::newRow("chunked, identity") << "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n"_ba << 400;
    QTest::newRow("identity alone") << "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n\r\n"_ba << 400;
    QTest::newRow("chunked twice") << "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"_ba
                                   << 400;
    QTest::newRow("content-length list that differs") << "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 4\r\n\r\nabcd"_ba << 400;
    QTest::newRow("empty content-length") << "POST / HTTP/1.1\r\nHost: x\r\nContent-Length:\r\n\r\n"_ba << 400;
    QTest::newRow("bare LF after chunk size") << "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\n"_ba
                                              << 400;
    QTest::newRow("bare LF after chunk data") << "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\n0\r\n\r\n"_ba
                                              << 400;
    QTest::newRow("space before chunk size") << "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n 3\r\nabc\r\n0\r\n\r\n"_ba
                                             << 400;
    QTest::newRow("bad chunk extension") << "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3;a=\"x\r\nabc\r\n"_ba << 400;
    QTest::newRow("chunk extension without name")
        << "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3;=1\r\nabc\r\n"_ba << 400;
    QTest::newRow("bare LF in the trailer") << "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: y\n\r\n"_ba << 400;
    // One path for authorisation and routing (issue 17).
    QTest::newRow("dot-dot segment") << "GET /upstream/auto/../../api/fleet HTTP/1.1\r\nHost: x\r\n\r\n"_ba << 400;
    QTest::newRow("encoded dot-dot") << "GET /upstream/auto/%2e%2e/%2E%2e/api/fleet HTTP/1.1\r\nHost: x\r\n\r\n"_ba << 400;
    QTest::newRow("dot segment") << "GET /api/./fleet HTTP/1.1\r\nHost: x\r\n\r\n"_ba << 400;
    QTest::newRow("trailing dot-dot") << "GET /api/fleet/.. HTTP/1.1\r\nHost: x\r\n\r\n"_ba << 400;
    QTest::newRow("encoded slash") << "GET /api%2Fws%2Fcontrol HTTP/1.1\r\nHost: x\r\n\r\n"_ba << 400;
    QTest::newRow("encoded backslash") << "GET /upstream/m/..%5c..%5capi HTTP/1.1\r\nHost: x\r\n\r\n"_ba << 400;
    QTest::newRow("raw backslash") << "GET /upstream/m/..\\api HTTP/1.1\r\nHost: x\r\n\r\n"_ba << 400;
    QTest::newRow("encoded NUL") << "GET /a%00b HTTP/1.1\r\nHost: x\r\n\r\n"_ba << 400;
}

void TestHttpRequestParser::invalidRequest()
{
    QFETCH(QByteArray, wire);
    QFETCH(int, status);
    QCOMPARE(run({wire}).errorStatus, status);
    // Same verdict however the bytes arrive.
    for (qsizetype i = 1; i < wire.size(); ++i)
        QCOMPARE(run({wire.first(i), wire.sliced(i)}).errorStatus, status);
}

void TestHttpRequestParser::headerFieldLimit()
{
    HttpRequestParser::Limits limits;
    limits.maxHeaderFields = 10;
    QByteArray wire = "GET / HTTP/1.1\r\nHost: x\r\n"_ba;
    for (int i = 0; i < 9; ++i)
        wire += "X-" + QByteArray::number(i) + ": v\r\n";
    QCOMPARE(run({wire + "\r\n"}, limits).errorStatus, 0); // 10 fields
    wire += "X-Tenth: v\r\n";
    QCOMPARE(run({wire + "\r\n"}, limits).errorStatus, 431);
    // The default allows 100: a flood of small fields is refused though the head is small.
    QByteArray flood = "GET / HTTP/1.1\r\nHost: x\r\n"_ba;
    for (int i = 0; i < 200; ++i)
        flood += "X: v\r\n";
    QVERIFY(flood.size() < 2000);
    QCOMPARE(run({flood + "\r\n"}).errorStatus, 431);
}

void TestHttpRequestParser::headLimit()
{
    HttpRequestParser::Limits limits;
    limits.maxHeadBytes = 1024;
    const QByteArray big = "GET / HTTP/1.1\r\nHost: x\r\nX-Big: "_ba + QByteArray(2000, 'a') + "\r\n\r\n";
    QCOMPARE(run({big}, limits).errorStatus, 431);

    // Exactly at the limit is fine.
    QByteArray exact = "GET / HTTP/1.1\r\nHost: x\r\nX-Pad: "_ba;
    exact += QByteArray(1024 - exact.size() - 4, 'p') + "\r\n\r\n";
    QCOMPARE(exact.size(), 1024);
    const Outcome ok = run({exact}, limits);
    QCOMPARE(ok.errorStatus, 0);
    QCOMPARE(ok.requests.size(), 1);

    // A header that never ends is refused as soon as it passes the limit, not buffered on.
    HttpRequestParser parser(limits);
    qsizetype consumed = 0;
    QCOMPARE(parser.feed("GET / HTTP/1.1\r\nX: ", &consumed), Event::NeedMore);
    Event e = Event::NeedMore;
    int rounds = 0;
    while (e == Event::NeedMore && rounds < 100) {
        e = parser.feed(QByteArray(100, 'a'), &consumed);
        ++rounds;
    }
    QCOMPARE(e, Event::Failed);
    QCOMPARE(parser.errorStatus(), 431);
    QVERIFY(rounds <= 11);
}

void TestHttpRequestParser::contentLengthAboveLimitFailsBeforeBody()
{
    HttpRequestParser parser({64 * 1024, 100});
    qsizetype consumed = 0;
    const QByteArray head = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\n\r\n"_ba;
    QCOMPARE(parser.feed(QByteArray(head + "abc"), &consumed), Event::HeadComplete);
    QCOMPARE(consumed, head.size());
    QCOMPARE(parser.contentLength(), 101);
    QCOMPARE(parser.feed("abc", &consumed), Event::Failed);
    QCOMPARE(consumed, 0);
    QCOMPARE(parser.errorStatus(), 413);
}

void TestHttpRequestParser::chunkedBodyCrossingLimitStopsEarly()
{
    HttpRequestParser parser({64 * 1024, 1000});
    qsizetype consumed = 0;
    QCOMPARE(parser.feed("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n", &consumed), Event::HeadComplete);
    // 600 + 600 crosses the limit at the second chunk header, before its data is buffered.
    const QByteArray chunk = "258\r\n"_ba + QByteArray(600, 'x') + "\r\n";
    QCOMPARE(parser.feed(chunk, &consumed), Event::NeedMore);
    QCOMPARE(consumed, chunk.size());
    QCOMPARE(parser.feed(chunk, &consumed), Event::Failed);
    QCOMPARE(parser.errorStatus(), 413);
    QVERIFY(consumed <= 5);
    QCOMPARE(parser.request().body().size(), 0); // the body lives in the parser until completion
}

void TestHttpRequestParser::routeLimitChangedAfterHead()
{
    HttpRequestParser parser({64 * 1024, 10});
    qsizetype consumed = 0;
    QCOMPARE(parser.feed("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 20\r\n\r\n", &consumed), Event::HeadComplete);
    parser.setMaxBodyBytes(20); // a route that allows bigger bodies
    QCOMPARE(parser.feed(QByteArray(20, 'b'), &consumed), Event::MessageComplete);
    QCOMPARE(parser.takeRequest().body(), QByteArray(20, 'b'));
}

void TestHttpRequestParser::pipelinedRequestsStopAtBoundary()
{
    const QByteArray first = "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"_ba;
    const QByteArray second = "GET /b HTTP/1.1\r\nHost: x\r\n\r\n"_ba;
    HttpRequestParser parser;
    qsizetype consumed = 0;
    const QByteArray wire = first + second;
    QCOMPARE(parser.feed(wire, &consumed), Event::HeadComplete);
    qsizetype total = consumed;
    QCOMPARE(parser.feed(QByteArrayView(wire).sliced(total), &consumed), Event::MessageComplete);
    total += consumed;
    QCOMPARE(total, first.size());
    QCOMPARE(parser.takeRequest().path(), u"/a"_s);

    const Outcome out = run({wire, wire});
    QCOMPARE(out.errorStatus, 0);
    QCOMPARE(out.requests.size(), 4);
    QCOMPARE(out.requests.at(3).path(), u"/b"_s);
}

void TestHttpRequestParser::queryDecodingFollowsGo()
{
    HttpRequest r;
    QVERIFY(r.setTarget("/api/performance?after=2026-08-22T18:40:55.1+02:00&b=%2B1&model=a&model=b%20c&bad=%zz&flag"_ba));
    // A raw '+' is a space (Go's url.ParseQuery), which is why clients must encode it.
    QCOMPARE(r.queryValue(u"after"), u"2026-08-22T18:40:55.1 02:00"_s);
    QCOMPARE(r.queryValue(u"b"), u"+1"_s);
    QCOMPARE(r.queryValues(u"model"), QStringList({u"a"_s, u"b c"_s}));
    QVERIFY(!r.hasQueryItem(u"bad"));
    QVERIFY(r.hasQueryItem(u"flag"));
    QCOMPARE(r.queryValue(u"flag"), QString());
    // The QUrlQuery keeps exactly what was sent.
    QCOMPARE(r.query().queryItemValue(u"after"_s, QUrl::PrettyDecoded), u"2026-08-22T18:40:55.1+02:00"_s);
    QCOMPARE(r.query().queryItemValue(u"b"_s, QUrl::PrettyDecoded), u"%2B1"_s);
    QCOMPARE(r.rawQuery(), "after=2026-08-22T18:40:55.1+02:00&b=%2B1&model=a&model=b%20c&bad=%zz&flag"_ba);
}

void TestHttpRequestParser::findHeadEnd()
{
    QCOMPARE(HttpRequestParser::findHeadEnd("GET / HTTP/1.1\r\nHost: x\r\n\r\nbody"), 27);
    QCOMPARE(HttpRequestParser::findHeadEnd("\r\n\r\nGET / HTTP/1.0\n\n"), 20);
    QCOMPARE(HttpRequestParser::findHeadEnd("\r\n\r\n"), -1);
    QCOMPARE(HttpRequestParser::findHeadEnd("GET / HTTP/1.1\r\nHost: x\r\n"), -1);
}

QTEST_GUILESS_MAIN(TestHttpRequestParser)
#include "tst_httprequestparser.moc"
