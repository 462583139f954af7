#include "core/protocol/eventdecoder.h"
#include "core/protocol/loglinesplitter.h"
#include "core/protocol/sseparser.h"
#include "testfixtures.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

namespace {

QStringList texts(const QList<LogLine> &lines)
{
    QStringList out;
    for (const LogLine &line : lines)
        out << line.text;
    return out;
}

} // namespace

class TestLogLineSplitter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void splitsAcrossChunks_data();
    void splitsAcrossChunks();
    void everySplitOfTheFixtureLogs();
    void utf8SequenceCutBetweenChunks();
    void ansiKeptAndStripped_data();
    void ansiKeptAndStripped();
    void longLinesAreCut();
};

void TestLogLineSplitter::splitsAcrossChunks_data()
{
    QTest::addColumn<QList<QByteArray>>("chunks");
    QTest::addColumn<QStringList>("lines");
    QTest::addColumn<QString>("pending");
    QTest::newRow("one chunk") << QList<QByteArray>{"a\nb\n"} << QStringList{u"a"_s, u"b"_s} << QString();
    QTest::newRow("partial last line kept") << QList<QByteArray>{"a\nb"} << QStringList{u"a"_s} << u"b"_s;
    QTest::newRow("line over three chunks") << QList<QByteArray>{"srv  upd", "ate_slots: all", " idle\nnext"}
                                            << QStringList{u"srv  update_slots: all idle"_s} << u"next"_s;
    QTest::newRow("CRLF") << QList<QByteArray>{"a\r", "\nb\r\n"} << QStringList{u"a"_s, u"b"_s} << QString();
    QTest::newRow("empty lines") << QList<QByteArray>{"\n\nx\n"} << QStringList{QString(), QString(), u"x"_s} << QString();
    QTest::newRow("empty chunks") << QList<QByteArray>{"", "a", "", "\n"} << QStringList{u"a"_s} << QString();
    QTest::newRow("drop marker") << QList<QByteArray>{"x\n\xe2\x80\x94 512 bytes dropped \xe2\x80\x94\n"}
                                 << QStringList{u"x"_s, u"\u2014 512 bytes dropped \u2014"_s} << QString();
}

void TestLogLineSplitter::splitsAcrossChunks()
{
    QFETCH(QList<QByteArray>, chunks);
    QFETCH(QStringList, lines);
    QFETCH(QString, pending);
    LogLineSplitter splitter;
    QList<LogLine> out;
    for (const QByteArray &chunk : chunks)
        out += splitter.feed(QByteArrayView(chunk));
    QCOMPARE(texts(out), lines);
    QCOMPARE(texts(splitter.flush()), pending.isEmpty() ? QStringList() : QStringList{pending});
    QCOMPARE(splitter.pendingBytes(), 0);
}

void TestLogLineSplitter::everySplitOfTheFixtureLogs()
{
    // The logData chunks of api-events.sse, proxy source, re-cut at every position.
    EventDecoder decoder;
    SseParser parser;
    QString proxy;
    const auto events = parser.feed(readFixture(u"api-events.sse"_s));
    for (const SseEvent &event : events) {
        const auto decoded = decoder.decode(event);
        QVERIFY(decoded.ok());
        if (const auto *log = std::get_if<LogDataEvent>(&*decoded); log && log->source == LogDataEvent::Source::Proxy)
            proxy += log->text;
    }
    const QByteArray bytes = proxy.toUtf8();
    LogLineSplitter whole;
    const QList<LogLine> reference = whole.feed(QByteArrayView(bytes));
    QCOMPARE(reference.size(), 7);
    QCOMPARE(reference.at(3).text, u"[INFO] <gpt-oss-20b> Health check passed on http://127.0.0.1:5800/health"_s);
    QCOMPARE(reference.at(6).text,
             u"[INFO] Request 192.168.1.50 \"POST /v1/chat/completions HTTP/1.1\" 200 164022 \"OpenAI/Python 1.99.1\" 14.233s"_s);
    for (qsizetype cut = 0; cut <= bytes.size(); ++cut) {
        LogLineSplitter splitter;
        QList<LogLine> lines = splitter.feed(QByteArrayView(bytes).first(cut));
        lines += splitter.feed(QByteArrayView(bytes).sliced(cut));
        QCOMPARE(lines, reference);
    }
}

void TestLogLineSplitter::utf8SequenceCutBetweenChunks()
{
    LogLineSplitter splitter;
    QVERIFY(splitter.feed(QByteArrayView("caf\xc3")).isEmpty());
    const auto lines = splitter.feed(QByteArrayView("\xa9 \xe2\x82"));
    QVERIFY(lines.isEmpty());
    const auto done = splitter.feed(QByteArrayView("\xac\n"));
    QCOMPARE(texts(done), QStringList{u"caf\u00e9 \u20ac"_s});
    // Invalid UTF-8 becomes U+FFFD, never a crash.
    QCOMPARE(texts(splitter.feed(QByteArrayView("a\xff"
                                                "b\n"))),
             QStringList{u"a\ufffdb"_s});
}

void TestLogLineSplitter::ansiKeptAndStripped_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("plain");
    QTest::newRow("colour") << u"\x1b[1;32mOK\x1b[0m done"_s << u"OK done"_s;
    QTest::newRow("256 colour") << u"\x1b[38;5;196mred\x1b[m"_s << u"red"_s;
    QTest::newRow("erase line") << u"progress\x1b[2K\x1b[1G 50%"_s << u"progress 50%"_s;
    QTest::newRow("OSC title BEL") << u"\x1b]0;title\x07text"_s << u"text"_s;
    QTest::newRow("OSC hyperlink ST") << u"\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\"_s << u"link"_s;
    QTest::newRow("two-byte escape") << u"a\x1b"
                                        "7b\x1b"
                                        "8c"_s
                                     << u"abc"_s;
    QTest::newRow("lone ESC at end") << u"abc\x1b"_s << u"abc"_s;
    QTest::newRow("unterminated CSI") << u"x\x1b[12"_s << u"x"_s;
    QTest::newRow("none") << u"plain [INFO] text"_s << u"plain [INFO] text"_s;
}

void TestLogLineSplitter::ansiKeptAndStripped()
{
    QFETCH(QString, text);
    QFETCH(QString, plain);
    LogLineSplitter splitter;
    const auto lines = splitter.feed(QString(text + u'\n'));
    QCOMPARE(lines.size(), 1);
    QCOMPARE(lines[0].text, text);
    QCOMPARE(lines[0].plain, plain);
    QCOMPARE(LogLineSplitter::stripAnsi(text), plain);
}

void TestLogLineSplitter::longLinesAreCut()
{
    LogLineSplitter splitter(16);
    QList<LogLine> lines;
    for (int i = 0; i < 5; ++i)
        lines += splitter.feed(QByteArrayView("0123456789"));
    QVERIFY(splitter.pendingBytes() <= 16);
    lines += splitter.feed(QByteArrayView("\n"));
    QStringList joined;
    QString all;
    for (const LogLine &line : lines) {
        QVERIFY(line.text.size() <= 16);
        all += line.text;
    }
    QCOMPARE(all, QString(u"0123456789"_s.repeated(5)));
    QCOMPARE(lines.size(), 4);
    QVERIFY(lines[0].forcedBreak);
    QVERIFY(!lines.last().forcedBreak);

    // A cut never splits a UTF-8 sequence: 15 ASCII bytes then a 3-byte euro sign.
    LogLineSplitter utf8(16);
    const auto cut = utf8.feed(QByteArrayView("abcdefghijklmno\xe2\x82\xac\n"));
    QCOMPARE(texts(cut), (QStringList{u"abcdefghijklmno"_s, u"\u20ac"_s}));
}

QTEST_GUILESS_MAIN(TestLogLineSplitter)
#include "tst_loglinesplitter.moc"
