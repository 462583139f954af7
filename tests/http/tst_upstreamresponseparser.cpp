#include "core/http/upstreamresponseparser.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

namespace {

struct Outcome
{
    int status = 0;
    QByteArray contentType;
    QByteArray body;
    int heads = 0;
    UpstreamResponseParser::State state = UpstreamResponseParser::State::Head;
    qsizetype used = 0;
};

// Feeds `wire` in two pieces split at `split` (or whole when split < 0), then closes when asked.
Outcome run(const QByteArray &wire, qsizetype split, bool closeAfter, bool head = false)
{
    UpstreamResponseParser parser;
    parser.reset(head);
    Outcome out;
    UpstreamResponseParser::Sink sink;
    sink.head = [&](int status, const HttpHeaders &headers) {
        out.status = status;
        out.contentType = headers.value("content-type");
        ++out.heads;
    };
    sink.body = [&](QByteArrayView piece) { out.body += piece.toByteArray(); };
    if (split < 0) {
        out.used = parser.feed(wire, sink);
    } else {
        out.used = parser.feed(QByteArrayView(wire).first(split), sink);
        if (parser.state() == UpstreamResponseParser::State::Head || parser.state() == UpstreamResponseParser::State::Body)
            out.used += parser.feed(QByteArrayView(wire).sliced(split), sink);
    }
    if (closeAfter)
        parser.finishOnClose();
    out.state = parser.state();
    return out;
}

} // namespace

class TestUpstreamResponseParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everySplit_data()
    {
        QTest::addColumn<QByteArray>("wire");
        QTest::addColumn<bool>("closeAfter");
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("length") << "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"ok\":true}"_ba
                                << false << "{\"ok\":true}"_ba;
        QTest::newRow("chunked sse") << "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                                        "b\r\ndata: one\n\n\r\nf;ext=1\r\ndata: twotwo!\n\n\r\n0\r\nX-Trailer: 1\r\n\r\n"_ba
                                     << false << "data: one\n\ndata: twotwo!\n\n"_ba;
        QTest::newRow("until close") << "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it"_ba << true << "all of it"_ba;
        QTest::newRow("continue first") << "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 503 Service Unavailable\r\nContent-Type: a/b\r\n"
                                           "Content-Length: 4\r\n\r\nbusy"_ba
                                        << false << "busy"_ba;
        QTest::newRow("no body") << "HTTP/1.1 204 No Content\r\nContent-Type: x/y\r\n\r\n"_ba << false << QByteArray();
    }
    void everySplit()
    {
        QFETCH(QByteArray, wire);
        QFETCH(bool, closeAfter);
        QFETCH(QByteArray, body);
        const Outcome whole = run(wire, -1, closeAfter);
        QCOMPARE(whole.state, UpstreamResponseParser::State::Done);
        QCOMPARE(whole.body, body);
        QCOMPARE(whole.heads, 1);
        for (qsizetype split = 0; split <= wire.size(); ++split) {
            const Outcome o = run(wire, split, closeAfter);
            QCOMPARE(o.state, UpstreamResponseParser::State::Done);
            QCOMPARE(o.body, body);
            QCOMPARE(o.status, whole.status);
            QCOMPARE(o.contentType, whole.contentType);
            QCOMPARE(o.heads, 1);
        }
    }

    void stopsAtTheEndOfTheMessage()
    {
        const QByteArray wire = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n"_ba;
        const Outcome o = run(wire, -1, false);
        QCOMPARE(o.state, UpstreamResponseParser::State::Done);
        QCOMPARE(o.used, wire.indexOf("okHTTP") + 2);
    }

    void headResponsesHaveNoBody()
    {
        const Outcome o = run("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n"_ba, -1, false, true);
        QCOMPARE(o.state, UpstreamResponseParser::State::Done);
        QVERIFY(o.body.isEmpty());
    }

    void failures_data()
    {
        QTest::addColumn<QByteArray>("wire");
        QTest::addColumn<bool>("closeAfter");
        QTest::newRow("not http") << "SSH-2.0-OpenSSH\r\n\r\n"_ba << false;
        QTest::newRow("bad status") << "HTTP/1.1 2x0 OK\r\n\r\n"_ba << false;
        QTest::newRow("bad length") << "HTTP/1.1 200 OK\r\nContent-Length: -4\r\n\r\n"_ba << false;
        QTest::newRow("bad chunk size") << "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"_ba << false;
        QTest::newRow("chunk too long") << "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n"_ba << false;
        QTest::newRow("signed chunk size") << "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-0\r\n\r\n"_ba << false;
        QTest::newRow("trailer lines without end")
            << "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n"_ba + QByteArray("X-T: again\r\n").repeated(7000) << false;
        QTest::newRow("cut in body") << "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"_ba << true;
        QTest::newRow("cut in head") << "HTTP/1.1 200 OK\r\nContent-"_ba << true;
        // Strict framing, the same as our request parser's (issue 17).
        QTest::newRow("bare LF head") << "HTTP/1.1 200 OK\nContent-Length: 2\n\nok"_ba << false;
        QTest::newRow("bare LF after a field") << "HTTP/1.1 200 OK\r\nContent-Length: 2\nX: y\r\n\r\nok"_ba << false;
        QTest::newRow("length and chunked")
            << "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"_ba << false;
        QTest::newRow("two differing lengths") << "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"_ba << false;
        QTest::newRow("chunked, identity") << "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n"_ba << false;
        QTest::newRow("gzip, chunked") << "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"_ba << false;
        QTest::newRow("bare LF after chunk size") << "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\n"_ba << false;
        QTest::newRow("bad chunk extension") << "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;;\r\nabc\r\n0\r\n\r\n"_ba << false;
        QTest::newRow("obs-fold") << "HTTP/1.1 200 OK\r\nX-A: a\r\n b\r\nContent-Length: 0\r\n\r\n"_ba << false;
        QTest::newRow("space before colon") << "HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n"_ba << false;
        QTest::newRow("status without a space") << "HTTP/1.1 200OK\r\nContent-Length: 0\r\n\r\n"_ba << false;
    }
    void failures()
    {
        QFETCH(QByteArray, wire);
        QFETCH(bool, closeAfter);
        const Outcome o = run(wire, -1, closeAfter);
        QCOMPARE(o.state, UpstreamResponseParser::State::Failed);
    }

    void keepAlive()
    {
        UpstreamResponseParser p;
        p.reset();
        UpstreamResponseParser::Sink sink;
        p.feed("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"_ba, sink);
        QVERIFY(!p.keepAlive());
        p.reset();
        p.feed("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"_ba, sink);
        QVERIFY(p.keepAlive());
        p.reset();
        p.feed("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n"_ba, sink);
        QVERIFY(!p.keepAlive());
    }
};

QTEST_GUILESS_MAIN(TestUpstreamResponseParser)
#include "tst_upstreamresponseparser.moc"
