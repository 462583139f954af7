// ChunkedDecoder and ChunkedEncoder: the same body split at every byte boundary, extensions,
// trailers, every error with its limit at the boundary, and the encoder's round trip.
#include "core/http/chunkeddecoder.h"
#include "core/http/chunkedencoder.h"

#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using boo::ChunkedDecoder;
using boo::ChunkedEncoder;
using Kind = ChunkedDecoder::Step::Kind;
using Error = ChunkedDecoder::Error;

Q_DECLARE_METATYPE(ChunkedDecoder::Error)

namespace {

struct Outcome
{
    QByteArray body;
    Kind end = Kind::NeedMore;
    Error error = Error::None;
    qsizetype consumed = 0; // of all pieces together
    bool viewsIntoInput = true;
};

// Feeds the pieces in order like a connection would: each piece until NeedMore, Done or Failed.
Outcome decode(const QList<QByteArrayView> &pieces, ChunkedDecoder::Limits limits = {})
{
    ChunkedDecoder decoder(limits);
    Outcome out;
    for (const QByteArrayView piece : pieces) {
        qsizetype pos = 0;
        for (;;) {
            const ChunkedDecoder::Step step = decoder.next(piece.sliced(pos));
            pos += step.consumed;
            out.consumed += step.consumed;
            if (step.kind == Kind::Data) {
                out.viewsIntoInput = out.viewsIntoInput && !step.data.isEmpty() && step.data.data() >= piece.data()
                    && step.data.data() + step.data.size() <= piece.data() + piece.size();
                out.body += step.data;
                continue;
            }
            out.end = step.kind;
            break;
        }
        if (out.end != Kind::NeedMore)
            break;
    }
    out.error = decoder.error();
    return out;
}

Outcome decodeSplit(const QByteArray &wire, qsizetype split, ChunkedDecoder::Limits limits = {})
{
    const QByteArrayView all(wire);
    return decode({all.first(split), all.sliced(split)}, limits);
}

Outcome decodeBytewise(const QByteArray &wire, ChunkedDecoder::Limits limits = {})
{
    QList<QByteArrayView> pieces;
    for (qsizetype i = 0; i < wire.size(); ++i)
        pieces.append(QByteArrayView(wire).sliced(i, 1));
    return decode(pieces, limits);
}

QByteArray encode(const QList<QByteArray> &pieces)
{
    QByteArray out;
    for (const QByteArray &piece : pieces)
        ChunkedEncoder::appendChunk(out, piece);
    return out + ChunkedEncoder::kLastChunk;
}

} // namespace

class TestChunkedCodec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everySplit_data()
    {
        QTest::addColumn<QByteArray>("wire");
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("two chunks") << "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"_ba
                                    << "hello world"_ba;
        QTest::newRow("extensions") << "5;name=value;x\r\nhello\r\n6 ; q=\"a;b\"\r\n world\r\n0;last\r\n\r\n"_ba
                                    << "hello world"_ba;
        QTest::newRow("trailers") << "3\r\nabc\r\n0\r\nX-Checksum: 1\r\nX-Other: two\r\n\r\n"_ba
                                  << "abc"_ba;
        QTest::newRow("blanks after the size and around extensions") << "3 \t\r\nabc\r\n2 ; a = b ;c=\"q\\\"\"\t\r\nde\r\n0\t\r\n\r\n"_ba
                                                                     << "abcde"_ba;
        QTest::newRow("upper and lower hex, 15 digits") << "00000000000000A\r\n0123456789\r\nf\r\n0123456789abcde\r\n0\r\n\r\n"_ba
                                                        << "01234567890123456789abcde"_ba;
        QTest::newRow("CRLF inside the data") << "4\r\n\r\n\r\n\r\n0\r\n\r\n"_ba
                                              << "\r\n\r\n"_ba;
        QTest::newRow("only the last chunk") << "0\r\n\r\n"_ba << QByteArray();
        QTest::newRow("sse events") << encode({"data: one\n\n"_ba, "data: two"_ba, "two\n\n"_ba, QByteArray(300, 'x')})
                                    << "data: one\n\ndata: twotwo\n\n"_ba + QByteArray(300, 'x');
    }
    void everySplit()
    {
        QFETCH(QByteArray, wire);
        QFETCH(QByteArray, body);
        for (qsizetype split = 0; split <= wire.size(); ++split) {
            const Outcome o = decodeSplit(wire, split);
            QCOMPARE(o.end, Kind::Done);
            QCOMPARE(o.body, body);
            QCOMPARE(o.consumed, wire.size());
            QVERIFY(o.viewsIntoInput);
        }
        const Outcome bytewise = decodeBytewise(wire);
        QCOMPARE(bytewise.end, Kind::Done);
        QCOMPARE(bytewise.body, body);
        QCOMPARE(bytewise.consumed, wire.size());
    }

    void stopsAtTheEndOfTheMessage()
    {
        const QByteArray wire = "3\r\nabc\r\n0\r\nX: y\r\n\r\nPOST / HTTP/1.1\r\n"_ba;
        const Outcome o = decode({wire});
        QCOMPARE(o.end, Kind::Done);
        QCOMPARE(o.consumed, wire.indexOf("POST"));

        // Done and Failed repeat without consuming.
        ChunkedDecoder decoder;
        QCOMPARE(decoder.next("0\r\n\r\nmore"_ba).consumed, qsizetype(5));
        const ChunkedDecoder::Step again = decoder.next("more"_ba);
        QCOMPARE(again.kind, Kind::Done);
        QCOMPARE(again.consumed, qsizetype(0));
        QVERIFY(decoder.isDone());
        decoder.reset();
        QCOMPARE(decoder.next("zz\r\n"_ba).kind, Kind::Failed);
        QCOMPARE(decoder.next("5\r\nhello"_ba).kind, Kind::Failed);
        QCOMPARE(decoder.next("5\r\nhello"_ba).consumed, qsizetype(0));
    }

    void dataComesInPiecesAsItArrives()
    {
        ChunkedDecoder decoder;
        ChunkedDecoder::Step step = decoder.next("a\r\n0123"_ba);
        QCOMPARE(step.kind, Kind::Data);
        QCOMPARE(step.data.toByteArray(), "0123"_ba);
        QCOMPARE(decoder.chunkRemaining(), qint64(6));
        step = decoder.next("456789\r\n"_ba);
        QCOMPARE(step.data.toByteArray(), "456789"_ba);
        QCOMPARE(step.consumed, qsizetype(6));
        QCOMPARE(decoder.chunkRemaining(), qint64(0));
        QCOMPARE(decoder.bodyBytes(), qint64(10));
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("wire");
        QTest::addColumn<qsizetype>("maxLineBytes");
        QTest::addColumn<qsizetype>("maxTrailerBytes");
        QTest::addColumn<qint64>("maxBodyBytes");
        QTest::addColumn<Error>("error");
        QTest::addColumn<QByteArray>("bodyBefore"); // data returned before the error
        const auto row = [](const char *name, const QByteArray &wire, Error error, const QByteArray &bodyBefore = {},
                            ChunkedDecoder::Limits limits = {}) {
            QTest::newRow(name) << wire << limits.maxLineBytes << limits.maxTrailerBytes << limits.maxBodyBytes << error << bodyBefore;
        };
        row("not hex", "zz\r\n"_ba, Error::BadSize);
        row("empty size", "\r\n"_ba, Error::BadSize);
        row("only an extension", ";x=1\r\n"_ba, Error::BadSize);
        row("minus sign", "-0\r\n\r\n"_ba, Error::BadSize);
        row("plus sign", "+5\r\nhello\r\n"_ba, Error::BadSize);
        row("0x prefix", "0x5\r\nhello\r\n"_ba, Error::BadSize);
        row("space inside", "1 0\r\n"_ba, Error::BadSize);
        row("16 hex digits", "0000000000000001\r\nx\r\n"_ba, Error::BadSize);
        row("huge size", "ffffffffffffffffff\r\n"_ba, Error::BadSize);
        row("second size bad", "3\r\nabc\r\nq\r\n"_ba, Error::BadSize, "abc"_ba);
        row("data longer than its size", "3\r\nabcX\r\n"_ba, Error::MissingCrlf, "abc"_ba);
        row("CR without LF", "3\r\nabc\rX"_ba, Error::MissingCrlf, "abc"_ba);
        row("two CRs", "3\r\nabc\r\r\n"_ba, Error::MissingCrlf, "abc"_ba);
        row("oversize line", "5;" + QByteArray(20, 'e') + "\r\nhello\r\n", Error::LineTooLong, {}, {.maxLineBytes = 16});
        row("oversize line without end", "5;" + QByteArray(5000, 'e'), Error::LineTooLong);
        row("one large trailer", "0\r\nX-A: " + QByteArray(40, 'a') + "\r\n\r\n", Error::TrailerTooLarge, {}, {.maxTrailerBytes = 32});
        QByteArray endless = "1\r\nz\r\n0\r\n"_ba;
        for (int i = 0; i < 2000; ++i)
            endless += "X-Again: and again\r\n";
        row("trailer lines without end", endless, Error::TrailerTooLarge, "z"_ba, {.maxTrailerBytes = 1024});
        row("body cap at the second size", "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"_ba, Error::BodyTooLarge, "hello"_ba,
            {.maxBodyBytes = 10});
        // Strict framing (issue 17): bare line ends, leading blanks and broken extensions.
        row("bare LF after the size", "3\nabc\r\n0\r\n\r\n"_ba, Error::BareLineEnd);
        row("bare LF after blanks", "3 \nabc\r\n"_ba, Error::BareLineEnd);
        row("bare LF after an extension", "3;x\nabc\r\n"_ba, Error::BareLineEnd);
        row("bare LF after the data", "3\r\nabc\n0\r\n\r\n"_ba, Error::MissingCrlf, "abc"_ba);
        row("bare LF ends the trailer", "0\r\nX-T: 1\r\n\n"_ba, Error::BareLineEnd);
        row("bare LF after a trailer field", "0\r\nX-T: 1\n\r\n"_ba, Error::BareLineEnd);
        row("blank before the size", " 3\r\nabc\r\n"_ba, Error::BadSize);
        row("tab before the size", "\t3\r\nabc\r\n"_ba, Error::BadSize);
        row("form feed after the size", "3\f\r\nabc\r\n"_ba, Error::BadSize);
        row("CR inside the size line", "3\r;x\r\nabc\r\n"_ba, Error::BadSize);
        row("extension without a name", "3;\r\nabc\r\n"_ba, Error::BadSize);
        row("extension name not a token", "3;a@b\r\nabc\r\n"_ba, Error::BadSize);
        row("extension without a value", "3;a=\r\nabc\r\n"_ba, Error::BadSize);
        row("unterminated quoted value", "3;a=\"x\r\nabc\r\n"_ba, Error::BadSize);
        row("control byte in a quoted value", "3;a=\"\x01\"\r\nabc\r\n"_ba, Error::BadSize);
        row("body cap at the first size", "b\r\nhello world\r\n0\r\n\r\n"_ba, Error::BodyTooLarge, {}, {.maxBodyBytes = 10});
    }
    void errors()
    {
        QFETCH(QByteArray, wire);
        QFETCH(qsizetype, maxLineBytes);
        QFETCH(qsizetype, maxTrailerBytes);
        QFETCH(qint64, maxBodyBytes);
        QFETCH(Error, error);
        QFETCH(QByteArray, bodyBefore);
        const ChunkedDecoder::Limits limits{maxLineBytes, maxTrailerBytes, maxBodyBytes};
        // Splits change only where the error is found, never which one.
        const qsizetype step = wire.size() > 500 ? 97 : 1;
        for (qsizetype split = 0; split <= wire.size(); split += step) {
            const Outcome o = decodeSplit(wire, split, limits);
            QCOMPARE(o.end, Kind::Failed);
            QCOMPARE(o.error, error);
            QCOMPARE(o.body, bodyBefore);
        }
        if (wire.size() <= 500)
            QCOMPARE(decodeBytewise(wire, limits).error, error);
    }

    void limitsAtTheBoundary()
    {
        // A size line of exactly maxLineBytes with its CRLF passes, one byte more does not.
        const QByteArray line = "3;" + QByteArray(10, 'e') + "\r\n"; // 14 bytes
        const QByteArray wire = line + "abc\r\n0\r\n\r\n";
        QCOMPARE(decode({wire}, {14, 1024, 100}).end, Kind::Done);
        QCOMPARE(decode({wire}, {13, 1024, 100}).error, Error::LineTooLong);
        // Cut before its LF, the line fails as soon as the LF could no longer fit.
        QCOMPARE(decode({QByteArrayView(line).first(12)}, {14, 1024, 100}).end, Kind::NeedMore);
        QCOMPARE(decode({QByteArrayView(line).first(13)}, {13, 1024, 100}).error, Error::LineTooLong);

        // The trailer block counts every byte after the last chunk's size line, blank line included.
        const QByteArray trailers = "0\r\nX-A: 1\r\n\r\n"_ba; // 8 + 2 trailer bytes
        QCOMPARE(decode({trailers}, {4096, 10, 100}).end, Kind::Done);
        QCOMPARE(decode({trailers}, {4096, 9, 100}).error, Error::TrailerTooLarge);

        // The body limit is the sum of the chunk sizes.
        const QByteArray body = "5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n"_ba;
        QCOMPARE(decode({body}, {4096, 1024, 10}).end, Kind::Done);
        QCOMPARE(decode({body}, {4096, 1024, 9}).error, Error::BodyTooLarge);
    }

    void blankLineEndsTheTrailers()
    {
        // "\r\n" and "\n" end the trailers; "\r\r\n" is a (malformed, dropped) trailer line.
        QCOMPARE(decode({"0\r\n\r\r\n\r\n"_ba}).consumed, qsizetype(8));
        QCOMPARE(decode({"0\r\n\r\r\n"_ba}).end, Kind::NeedMore);
    }

    void messagesAreDistinct()
    {
        QSet<QString> seen;
        for (Error e : {Error::None, Error::BadSize, Error::LineTooLong, Error::MissingCrlf, Error::TrailerTooLarge, Error::BodyTooLarge}) {
            const QString text = ChunkedDecoder::message(e);
            QVERIFY(!text.isEmpty());
            seen.insert(text);
        }
        QCOMPARE(seen.size(), 6);
        QVERIFY(ChunkedDecoder::message(Error::BadSize) == "bad chunk size or extension"_L1);
    }

    void encoderWritesHexSizes_data()
    {
        QTest::addColumn<int>("size");
        for (int size : {1, 9, 10, 15, 16, 17, 255, 256, 4095, 4096, 65535, 65536, 1048577})
            QTest::addRow("%d", size) << size;
    }
    void encoderWritesHexSizes()
    {
        QFETCH(int, size);
        const QByteArray data(size, 'd');
        QByteArray out = "prefix"_ba;
        ChunkedEncoder::appendChunk(out, data);
        QCOMPARE(out, "prefix" + QByteArray::number(size, 16) + "\r\n" + data + "\r\n");
    }

    void encoderSkipsEmptyData()
    {
        QByteArray out = "x"_ba;
        ChunkedEncoder::appendChunk(out, {});
        QCOMPARE(out, "x"_ba);
    }

    void roundTrip()
    {
        QList<QByteArray> pieces;
        QByteArray expected;
        for (int i = 0; i < 40; ++i) {
            pieces.append(QByteArray(i * 7 + 1, char('a' + i % 26)) + "\r\n0\r\n");
            expected += pieces.last();
        }
        const QByteArray wire = encode(pieces);
        for (qsizetype split = 0; split <= wire.size(); split += 13) {
            const Outcome o = decodeSplit(wire, split);
            QCOMPARE(o.end, Kind::Done);
            QCOMPARE(o.body, expected);
            QCOMPARE(o.consumed, wire.size());
        }
    }
};

QTEST_GUILESS_MAIN(TestChunkedCodec)
#include "tst_chunkedcodec.moc"
