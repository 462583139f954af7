#include "core/protocol/sseparser.h"
#include "testfixtures.h"

#include <QTest>

using namespace Qt::StringLiterals;
using boo::SseEvent;
using boo::SseParser;

namespace {

QList<SseEvent> feedWhole(const QByteArray &stream, qsizetype maxLine = SseParser::DefaultMaxLineSize)
{
    SseParser parser(maxLine);
    return parser.feed(stream);
}

QList<SseEvent> feedBytewise(const QByteArray &stream, qsizetype maxLine = SseParser::DefaultMaxLineSize)
{
    SseParser parser(maxLine);
    QList<SseEvent> events;
    for (qsizetype i = 0; i < stream.size(); ++i)
        events += parser.feed(QByteArrayView(stream).sliced(i, 1));
    return events;
}

SseEvent ev(const char *data, const char *id = "", std::optional<int> retry = std::nullopt, const char *type = "message")
{
    return SseEvent{QByteArray(type), QByteArray(data), QByteArray(id), retry};
}

} // namespace

class TestSseParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void framing_data();
    void framing();
    void everySplitGivesTheSameEvents_data();
    void everySplitGivesTheSameEvents();
    void crAtChunkEndThenLfIsOneLineEnd();
    void oversizedLineDropsOnlyThatEvent();
    void oversizedLineIsNotBuffered();
    void manyDataLinesAreBoundedToo();
    void resetForgetsPartialEventAndId();
};

void TestSseParser::framing_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QList<SseEvent>>("expected");

    QTest::newRow("llama-swap style, no space") << QByteArray("event:message\ndata:{\"a\":1}\n\n") << QList<SseEvent>{ev("{\"a\":1}")};
    QTest::newRow("space after colon stripped once") << QByteArray("event: message\ndata:  x\n\n") << QList<SseEvent>{ev(" x")};
    QTest::newRow("multi-line data joined with LF") << QByteArray("data:a\ndata:b\ndata:\n\n") << QList<SseEvent>{ev("a\nb\n")};
    QTest::newRow("CRLF line ends") << QByteArray("data:a\r\n\r\ndata:b\r\n\r\n") << QList<SseEvent>{ev("a"), ev("b")};
    QTest::newRow("lone CR line ends") << QByteArray("data:a\r\rdata:b\r\r") << QList<SseEvent>{ev("a"), ev("b")};
    QTest::newRow("mixed line ends") << QByteArray("data:a\r\ndata:b\rdata:c\n\r\n") << QList<SseEvent>{ev("a\nb\nc")};
    QTest::newRow("comments ignored") << QByteArray(":hello\ndata:x\n: another\n\n") << QList<SseEvent>{ev("x")};
    QTest::newRow("block without data not dispatched") << QByteArray("event:foo\nid:1\n\ndata:y\n\n") << QList<SseEvent>{ev("y", "1")};
    QTest::newRow("id persists, retry per block")
        << QByteArray("id:7\nretry:1500\ndata:a\n\ndata:b\n\n") << QList<SseEvent>{ev("a", "7", 1500), ev("b", "7")};
    QTest::newRow("id with NUL ignored") << (QByteArray("id:1\n\ndata:a\nid:x") + '\0' + QByteArray("y\n\n"))
                                         << QList<SseEvent>{ev("a", "1")};
    QTest::newRow("bad retry ignored") << QByteArray("retry:-5\nretry:\nretry:99999999999\ndata:a\n\n") << QList<SseEvent>{ev("a")};
    QTest::newRow("named event") << QByteArray("event:ping\ndata:1\n\n") << QList<SseEvent>{ev("1", "", {}, "ping")};
    QTest::newRow("unterminated event stays pending") << QByteArray("data:a\n\ndata:b\n") << QList<SseEvent>{ev("a")};
    QTest::newRow("BOM stripped") << QByteArray("\xEF\xBB\xBF"
                                                "data:a\n\n")
                                  << QList<SseEvent>{ev("a")};
    QTest::newRow("BOM prefix that is not a BOM") << QByteArray("\xEF\xBB"
                                                                "data:a\n\n")
                                                  << QList<SseEvent>{};
    QTest::newRow("second BOM is data") << QByteArray("\xEF\xBB\xBF\xEF\xBB\xBF"
                                                      "data:a\n\ndata:b\n\n")
                                        << QList<SseEvent>{ev("b")};

    const QList<SseEvent> tricky{
        ev("first line\nsecond line", "42", {}, "custom"),
        ev("lone-cr line", "42", 2500),
        ev("", "42"),
        ev(" two spaces keep one", ""),
        ev("caf\xc3\xa9 \xe2\x82\xac", ""),
    };
    QTest::newRow("synthetic/tricky.sse") << readFixture(u"synthetic/tricky.sse"_s) << tricky;
}

void TestSseParser::framing()
{
    QFETCH(QByteArray, stream);
    QFETCH(QList<SseEvent>, expected);
    const QList<SseEvent> events = feedWhole(stream);
    QCOMPARE(events.size(), expected.size());
    for (qsizetype i = 0; i < events.size(); ++i) {
        QCOMPARE(events[i].event, expected[i].event);
        QCOMPARE(events[i].data, expected[i].data);
        QCOMPARE(events[i].id, expected[i].id);
        QCOMPARE(events[i].retryMs, expected[i].retryMs);
    }
    QCOMPARE(feedBytewise(stream), expected);
}

void TestSseParser::everySplitGivesTheSameEvents_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<int>("eventCount");
    QTest::newRow("api-events.sse") << readFixture(u"api-events.sse"_s) << 21;
    QTest::newRow("older/v235-events.sse") << readFixture(u"older/v235-events.sse"_s) << 7;
    QTest::newRow("older/v234-events.sse") << readFixture(u"older/v234-events.sse"_s) << 5;
    QTest::newRow("synthetic/tricky.sse") << readFixture(u"synthetic/tricky.sse"_s) << 5;
    QByteArray crlf = readFixture(u"api-events.sse"_s);
    crlf.replace("\n", "\r\n");
    QTest::newRow("api-events.sse with CRLF") << crlf << 21;
    QByteArray cr = readFixture(u"api-events.sse"_s);
    cr.replace("\n", "\r");
    QTest::newRow("api-events.sse with CR") << cr << 21;
}

void TestSseParser::everySplitGivesTheSameEvents()
{
    QFETCH(QByteArray, stream);
    QFETCH(int, eventCount);

    const QList<SseEvent> reference = feedWhole(stream);
    QCOMPARE(reference.size(), eventCount);
    QCOMPARE(feedBytewise(stream), reference);

    // Two chunks, cut at every byte boundary.
    for (qsizetype cut = 0; cut <= stream.size(); ++cut) {
        SseParser parser;
        QList<SseEvent> events = parser.feed(QByteArrayView(stream).first(cut));
        events += parser.feed(QByteArrayView(stream).sliced(cut));
        if (events != reference)
            QFAIL(qPrintable(u"split at byte %1 gave %2 events instead of %3"_s.arg(cut).arg(events.size()).arg(reference.size())));
    }
    // Three chunks of the same size in a few shapes.
    for (qsizetype step : {2, 3, 7, 64, 1000}) {
        SseParser parser;
        QList<SseEvent> events;
        for (qsizetype pos = 0; pos < stream.size(); pos += step)
            events += parser.feed(QByteArrayView(stream).sliced(pos, std::min(step, stream.size() - pos)));
        QCOMPARE(events, reference);
    }
}

void TestSseParser::crAtChunkEndThenLfIsOneLineEnd()
{
    SseParser parser;
    // If "\r" + "\n" counted as two line ends, the "\n" would be a blank line and dispatch early.
    QCOMPARE(parser.feed("data:a\r").size(), 0);
    QCOMPARE(parser.feed("\ndata:b\r").size(), 0);
    const auto events = parser.feed("\n\r\n");
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].data, QByteArray("a\nb"));
}

void TestSseParser::oversizedLineDropsOnlyThatEvent()
{
    const QByteArray big(200, 'x');
    const QByteArray stream = "data:ok1\n\ndata:" + big + "\ndata:tail\n\ndata:ok2\n\n";
    for (const bool bytewise : {false, true}) {
        SseParser parser(100);
        QList<SseEvent> events;
        if (bytewise) {
            for (char c : stream)
                events += parser.feed(QByteArrayView(&c, 1));
        } else {
            events = parser.feed(stream);
        }
        QCOMPARE(events.size(), 2);
        QCOMPARE(events[0].data, QByteArray("ok1"));
        QCOMPARE(events[1].data, QByteArray("ok2"));
        QCOMPARE(parser.droppedEventCount(), 1);
        QCOMPARE(parser.dispatchedEventCount(), 2);
    }
    // Exactly at the limit is still accepted ("data:" + 95 bytes = 100).
    SseParser parser(100);
    const auto events = parser.feed(QByteArray("data:" + QByteArray(95, 'y') + "\n\n"));
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].data.size(), 95);
    QCOMPARE(parser.droppedEventCount(), 0);
}

void TestSseParser::oversizedLineIsNotBuffered()
{
    // A 5 MB line against a 1 MiB limit, fed in 64 KiB chunks: the parser must not hold it.
    SseParser parser(1024 * 1024);
    const QByteArray chunk(64 * 1024, 'z');
    QCOMPARE(parser.feed("data:").size(), 0);
    qsizetype maxBuffered = 0;
    for (int i = 0; i < 80; ++i) {
        QCOMPARE(parser.feed(chunk).size(), 0);
        maxBuffered = std::max(maxBuffered, parser.bufferedBytes());
    }
    QVERIFY2(maxBuffered <= 1024 * 1024, qPrintable(QString::number(maxBuffered)));
    QCOMPARE(parser.bufferedBytes(), 0);
    QCOMPARE(parser.droppedEventCount(), 1);
    const auto events = parser.feed("\n\ndata:after\n\n");
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].data, QByteArray("after"));

    // The default limit is 8 MiB: a 5 MB data line passes.
    SseParser defaults;
    QCOMPARE(defaults.maxLineSize(), 8 * 1024 * 1024);
    const auto big = defaults.feed(QByteArray("data:" + QByteArray(5 * 1000 * 1000, 'q') + "\n\n"));
    QCOMPARE(big.size(), 1);
    QCOMPARE(big[0].data.size(), 5 * 1000 * 1000);
}

void TestSseParser::manyDataLinesAreBoundedToo()
{
    SseParser parser(100);
    QByteArray stream;
    for (int i = 0; i < 50; ++i)
        stream += "data:0123456789\n";
    stream += "\ndata:fine\n\n";
    const auto events = parser.feed(stream);
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].data, QByteArray("fine"));
    QCOMPARE(parser.droppedEventCount(), 1);
    QVERIFY(parser.bufferedBytes() == 0);
}

void TestSseParser::resetForgetsPartialEventAndId()
{
    SseParser parser;
    QCOMPARE(parser.feed("id:5\ndata:a\n\ndata:partial\n").size(), 1);
    parser.reset();
    const auto events = parser.feed("data:b\n\n");
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].data, QByteArray("b"));
    QCOMPARE(events[0].id, QByteArray());
}

QTEST_GUILESS_MAIN(TestSseParser)
#include "tst_sseparser.moc"
