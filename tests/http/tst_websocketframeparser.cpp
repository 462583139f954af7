// WebSocketFrameParser: client frames read strictly (masking, sizes from the header, control
// frames, fragmentation, UTF-8), the same verdict at every split of the input (issue 17).
#include "core/http/websocketframeparser.h"

#include <QTest>

using namespace Qt::StringLiterals;
using boo::WebSocketFrameParser;
using Kind = WebSocketFrameParser::Event::Kind;

Q_DECLARE_METATYPE(WebSocketFrameParser::Event::Kind)

namespace {

// A client frame: FIN and opcode in the first byte, masked with a fixed key unless told not to.
QByteArray frame(quint8 first, const QByteArray &payload, bool masked = true, qint64 claimedLength = -1)
{
    const qint64 n = claimedLength >= 0 ? claimedLength : payload.size();
    QByteArray out;
    out += char(first);
    const char maskBit = masked ? char(0x80) : char(0);
    if (n < 126) {
        out += char(maskBit | char(n));
    } else if (n <= 0xffff) {
        out += char(maskBit | 126);
        out += char(n >> 8);
        out += char(n & 0xff);
    } else {
        out += char(maskBit | 127);
        for (int shift = 56; shift >= 0; shift -= 8)
            out += char((n >> shift) & 0xff);
    }
    const char key[4] = {0x12, 0x34, 0x56, 0x78};
    if (masked)
        out.append(key, 4);
    for (qsizetype i = 0; i < payload.size(); ++i)
        out += masked ? char(payload[i] ^ key[i % 4]) : payload[i];
    return out;
}

struct Outcome
{
    QList<Kind> kinds;
    QList<QByteArray> payloads;
    quint16 closeCode = 0;
};

Outcome run(const QList<QByteArrayView> &pieces, WebSocketFrameParser::Limits limits = {})
{
    WebSocketFrameParser parser(limits);
    Outcome out;
    for (QByteArrayView piece : pieces) {
        for (;;) {
            const WebSocketFrameParser::Event e = parser.next(piece);
            piece = piece.sliced(e.consumed);
            if (e.kind == Kind::NeedMore)
                break;
            out.kinds << e.kind;
            out.payloads << e.payload;
            if (e.kind == Kind::Failed || e.kind == Kind::Close) {
                out.closeCode = e.closeCode;
                return out;
            }
        }
    }
    return out;
}

} // namespace

class TestWebSocketFrameParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void messages_data()
    {
        QTest::addColumn<QByteArray>("wire");
        QTest::addColumn<QList<Kind>>("kinds");
        QTest::addColumn<QByteArray>("lastPayload");
        QTest::addColumn<quint16>("closeCode");
        QTest::newRow("text") << frame(0x81, "hello"_ba) << QList<Kind>{Kind::Text} << "hello"_ba << quint16(0);
        QTest::newRow("empty text") << frame(0x81, {}) << QList<Kind>{Kind::Text} << QByteArray() << quint16(0);
        QTest::newRow("binary 200 bytes") << frame(0x82, QByteArray(200, 'b')) << QList<Kind>{Kind::Binary} << QByteArray(200, 'b')
                                          << quint16(0);
        QTest::newRow("fragments with a ping between")
            << frame(0x01, "he"_ba) + frame(0x89, "p"_ba) + frame(0x00, "ll"_ba) + frame(0x80, "o"_ba)
            << QList<Kind>{Kind::Ping, Kind::Text} << "hello"_ba << quint16(0);
        QTest::newRow("utf-8 text") << frame(0x81, "caf\xc3\xa9 \xf0\x9f\x98\x80"_ba) << QList<Kind>{Kind::Text}
                                    << "caf\xc3\xa9 \xf0\x9f\x98\x80"_ba << quint16(0);
        QTest::newRow("close with code") << frame(0x88,
                                                  "\x03\xe8"
                                                  "bye"_ba)
                                         << QList<Kind>{Kind::Close} << "bye"_ba << quint16(1000);
        QTest::newRow("close without code") << frame(0x88, {}) << QList<Kind>{Kind::Close} << QByteArray() << quint16(1005);
        QTest::newRow("pong") << frame(0x8a, "x"_ba) << QList<Kind>{Kind::Pong} << "x"_ba << quint16(0);

        // Refusals (RFC 6455): 1002 protocol, 1007 payload, 1009 too big.
        const auto bad = [](const char *name, const QByteArray &wire, quint16 code) {
            QTest::newRow(name) << wire << QList<Kind>{Kind::Failed} << QByteArray() << code;
        };
        bad("unmasked", frame(0x81, "hi"_ba, false), 1002);
        bad("unmasked, refused before its payload", frame(0x81, QByteArray(), false, 100), 1002);
        bad("reserved bit", frame(0xc1, "hi"_ba), 1002);
        bad("unknown data opcode", frame(0x83, "hi"_ba), 1002);
        bad("unknown control opcode", frame(0x8b, "hi"_ba), 1002);
        bad("fragmented ping", frame(0x09, "p"_ba), 1002);
        bad("ping over 125 bytes", frame(0x89, QByteArray(126, 'p')), 1002);
        bad("continuation first", frame(0x80, "x"_ba), 1002);
        bad("new message inside one", frame(0x01, "a"_ba) + frame(0x81, "b"_ba), 1002);
        bad("16-bit length for a short frame", QByteArray("\x81\xfe\x00\x05", 4) + QByteArray(4, 0) + "hello", 1002);
        bad("64-bit length top bit", QByteArray("\x81\xff\x80\x00\x00\x00\x00\x00\x00\x01", 10) + QByteArray(4, 0), 1002);
        bad("one-byte close", frame(0x88, "x"_ba), 1002);
        bad("close code 1005 on the wire", frame(0x88, "\x03\xed"_ba), 1002);
        bad("text not utf-8", frame(0x81, "\xc3\x28"_ba), 1007);
        bad("overlong utf-8", frame(0x81, "\xc0\xaf"_ba), 1007);
        bad("surrogate in utf-8", frame(0x81, "\xed\xa0\x80"_ba), 1007);
        bad("frame over the limit", frame(0x81, QByteArray(4097, 'x')), 1009);
        // The probe's frame: it claims 100 MiB and is refused from its header alone.
        bad("claims 100 MiB", frame(0x82, QByteArray(), true, 100 * 1024 * 1024), 1009);
        bad("message over the limit", frame(0x01, QByteArray(3000, 'x')) + frame(0x80, QByteArray(1100, 'x')), 1009);
    }
    void messages()
    {
        QFETCH(QByteArray, wire);
        QFETCH(QList<Kind>, kinds);
        QFETCH(QByteArray, lastPayload);
        QFETCH(quint16, closeCode);
        const auto check = [&](const Outcome &o) {
            if (o.kinds != kinds || o.closeCode != closeCode)
                return false;
            return kinds.last() == Kind::Failed || o.payloads.last() == lastPayload;
        };
        QVERIFY(check(run({wire})));
        for (qsizetype i = 1; i < wire.size(); ++i)
            QVERIFY2(check(run({QByteArrayView(wire).first(i), QByteArrayView(wire).sliced(i)})), qPrintable(QString::number(i)));
    }

    void nothingOversizeIsBuffered()
    {
        // A header that claims more than the limit fails as soon as the length is read, having
        // consumed only the header.
        WebSocketFrameParser parser;
        const QByteArray head = frame(0x82, QByteArray(), true, 100 * 1024 * 1024);
        const QByteArray wire = head + QByteArray(1000, 'x');
        const WebSocketFrameParser::Event e = parser.next(wire);
        QCOMPARE(e.kind, Kind::Failed);
        QCOMPARE(e.consumed, head.size());
        QCOMPARE(parser.closeCode(), WebSocketFrameParser::kMessageTooBig);
        // And nothing more is read afterwards.
        QCOMPARE(parser.next("more"_ba).kind, Kind::Failed);
        QCOMPARE(parser.next("more"_ba).consumed, qsizetype(0));
    }

    void unmaskedAllowedWhenNotRequired()
    {
        const Outcome o = run({frame(0x81, "hi"_ba, false)}, {4096, 4096, false});
        QCOMPARE(o.kinds, QList<Kind>{Kind::Text});
        QCOMPARE(o.payloads.first(), "hi"_ba);
    }
};

QTEST_GUILESS_MAIN(TestWebSocketFrameParser)
#include "tst_websocketframeparser.moc"
