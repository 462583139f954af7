// The envelope scanner must read exactly what a JSON parser reads, or decline. Every check here
// compares it with QJsonDocument, the parser it stands in for.
#include "core/protocol/envelopescanner.h"
#include "core/protocol/sseparser.h"
#include "testfixtures.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

namespace {

// Fails (returns false with a message) when the scanner answered for input QJsonDocument reads
// differently or refuses.
bool agreesWithParser(const QByteArray &input, QString *why)
{
    const auto scanned = scanStringEnvelope(input);
    if (!scanned)
        return true; // declining is always allowed: the full parser takes over
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(input, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        *why = u"scanned, but the parser refuses: %1"_s.arg(error.errorString());
        return false;
    }
    const QJsonObject object = document.object();
    if (!object.value(u"type"_s).isString() || object.value(u"type"_s).toString().toUtf8() != scanned->type) {
        *why = u"type differs: %1"_s.arg(QString::fromUtf8(scanned->type));
        return false;
    }
    if (!object.value(u"data"_s).isString() || object.value(u"data"_s).toString().toUtf8() != scanned->data) {
        *why = u"data differs: scanned %1"_s.arg(QString::fromUtf8(scanned->data.toPercentEncoding()));
        return false;
    }
    return true;
}

QList<QByteArray> fixtureEnvelopes()
{
    QList<QByteArray> envelopes;
    for (const QString &name : {u"api-events.sse"_s, u"older/v235-events.sse"_s, u"older/v234-events.sse"_s}) {
        SseParser parser;
        for (const SseEvent &event : parser.feed(readFixture(name)))
            envelopes.append(event.data);
    }
    return envelopes;
}

QByteArray envelopeOf(const QString &type, const QString &data)
{
    return QJsonDocument(QJsonObject{{u"type"_s, type}, {u"data"_s, data}}).toJson(QJsonDocument::Compact);
}

} // namespace

class TestEnvelopeScanner : public QObject
{
    Q_OBJECT

private slots:
    void readsEveryFixtureEnvelope();
    void readsEscapesLikeTheParser_data();
    void readsEscapesLikeTheParser();
    void declinesWhatIsNotThePlainShape_data();
    void declinesWhatIsNotThePlainShape();
    void randomTextRoundTrips();
    void mutatedEnvelopesNeverDisagree();
};

void TestEnvelopeScanner::readsEveryFixtureEnvelope()
{
    const QList<QByteArray> envelopes = fixtureEnvelopes();
    QVERIFY(envelopes.size() > 20);
    for (const QByteArray &envelope : envelopes) {
        // Real llama-swap envelopes are the plain shape: the fast path must take all of them.
        QVERIFY2(scanStringEnvelope(envelope).has_value(), envelope.left(120).constData());
        QString why;
        QVERIFY2(agreesWithParser(envelope, &why), qPrintable(why));
    }
}

void TestEnvelopeScanner::readsEscapesLikeTheParser_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("data");

    QTest::newRow("plain") << QByteArray(R"({"type":"activity","data":"{\"id\":1}"})") << QByteArray(R"({"id":1})");
    QTest::newRow("members reversed, spaced") << QByteArray(" { \"data\" : \"x\" ,\n\t\"type\" : \"a\" } \r\n") << QByteArray("x");
    QTest::newRow("other string member") << QByteArray(R"({"type":"a","v":"2","data":"x"})") << QByteArray("x");
    QTest::newRow("short escapes") << QByteArray(R"({"type":"a","data":"\"\\\/\b\f\n\r\t"})") << QByteArray("\"\\/\b\f\n\r\t");
    QTest::newRow("unicode escapes") << QByteArray(R"({"type":"a","data":"\u003c\u00e9\u20AC\ud83d\ude00\u0000"})")
                                     << QByteArray("<\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\0", 11);
    QTest::newRow("raw UTF-8") << QByteArray("{\"type\":\"a\",\"data\":\"gr\xc3\xbc\xc3\x9f \xf0\x9f\x98\x80\"}")
                               << QByteArray("gr\xc3\xbc\xc3\x9f \xf0\x9f\x98\x80");
    QTest::newRow("empty data") << QByteArray(R"({"type":"a","data":""})") << QByteArray("");
    QTest::newRow("DEL is not a control character") << QByteArray("{\"type\":\"a\",\"data\":\"\x7f\"}") << QByteArray("\x7f");
}

void TestEnvelopeScanner::readsEscapesLikeTheParser()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, data);
    const auto scanned = scanStringEnvelope(input);
    QVERIFY(scanned.has_value());
    QCOMPARE(scanned->data, data);
    QString why;
    QVERIFY2(agreesWithParser(input, &why), qPrintable(why));
}

void TestEnvelopeScanner::declinesWhatIsNotThePlainShape_data()
{
    QTest::addColumn<QByteArray>("input");

    QTest::newRow("empty") << QByteArray();
    QTest::newRow("empty object") << QByteArray("{}");
    QTest::newRow("array") << QByteArray(R"(["type","data"])");
    QTest::newRow("data is an object") << QByteArray(R"({"type":"a","data":{"id":1}})");
    QTest::newRow("data is null") << QByteArray(R"({"type":"a","data":null})");
    QTest::newRow("other member a number") << QByteArray(R"({"type":"a","data":"x","n":1})");
    QTest::newRow("type missing") << QByteArray(R"({"data":"x"})");
    QTest::newRow("data missing") << QByteArray(R"({"type":"a"})");
    QTest::newRow("type twice") << QByteArray(R"({"type":"a","type":"b","data":"x"})");
    QTest::newRow("data twice") << QByteArray(R"({"type":"a","data":"x","data":"y"})");
    QTest::newRow("type not ASCII") << QByteArray("{\"type\":\"\xc3\xa9\",\"data\":\"x\"}");
    QTest::newRow("type escaped") << QByteArray(R"({"type":"\u0001","data":"x"})");
    QTest::newRow("unknown escape") << QByteArray(R"({"type":"a","data":"\x"})");
    QTest::newRow("short unicode escape") << QByteArray(R"({"type":"a","data":"\u12"})");
    QTest::newRow("bad hex") << QByteArray(R"({"type":"a","data":"\u12g4"})");
    QTest::newRow("lone high surrogate") << QByteArray(R"({"type":"a","data":"\ud83dx"})");
    QTest::newRow("lone low surrogate") << QByteArray(R"({"type":"a","data":"\ude00"})");
    QTest::newRow("high then not low") << QByteArray(R"({"type":"a","data":"\ud83d\u0041"})");
    QTest::newRow("raw control character") << QByteArray("{\"type\":\"a\",\"data\":\"a\nb\"}");
    QTest::newRow("invalid UTF-8") << QByteArray("{\"type\":\"a\",\"data\":\"\xff\xfe\"}");
    QTest::newRow("overlong UTF-8") << QByteArray("{\"type\":\"a\",\"data\":\"\xc0\xaf\"}");
    QTest::newRow("UTF-8 surrogate") << QByteArray("{\"type\":\"a\",\"data\":\"\xed\xa0\x80\"}");
    QTest::newRow("unterminated string") << QByteArray(R"({"type":"a","data":"x)");
    QTest::newRow("unterminated object") << QByteArray(R"({"type":"a","data":"x")");
    QTest::newRow("trailing comma") << QByteArray(R"({"type":"a","data":"x",})");
    QTest::newRow("trailing bytes") << QByteArray(R"({"type":"a","data":"x"} x)");
    QTest::newRow("second document") << QByteArray(R"({"type":"a","data":"x"}{})");
    QTest::newRow("single quotes") << QByteArray(R"({'type':'a','data':'x'})");
    QTest::newRow("missing colon") << QByteArray(R"({"type" "a","data":"x"})");
}

void TestEnvelopeScanner::declinesWhatIsNotThePlainShape()
{
    QFETCH(QByteArray, input);
    QVERIFY(!scanStringEnvelope(input).has_value());
}

void TestEnvelopeScanner::randomTextRoundTrips()
{
    // Text of every kind — ASCII, quotes and backslashes, control characters, BMP and astral
    // code points — written by Qt's serialiser must come back byte for byte.
    QRandomGenerator random(20261122);
    const char32_t pool[] = {u'a', u'"', u'\\', u'/', u'\n', u'\t', 0x01, 0x1f, 0x7f, 0xe9, 0x20ac, 0xfffd, 0x1f600, 0x10ffff};
    for (int round = 0; round < 2000; ++round) {
        std::u32string text;
        const int length = random.bounded(40);
        for (int i = 0; i < length; ++i)
            text += random.bounded(3) == 0 ? pool[random.bounded(int(std::size(pool)))] : char32_t(u' ' + random.bounded(95));
        const QString data = QString::fromStdU32String(text);
        const QByteArray input = envelopeOf(u"logData"_s, data);
        const auto scanned = scanStringEnvelope(input);
        QVERIFY2(scanned.has_value(), input.constData());
        QCOMPARE(scanned->data, data.toUtf8());
        QCOMPARE(scanned->type, QByteArray("logData"));
    }
}

void TestEnvelopeScanner::mutatedEnvelopesNeverDisagree()
{
    // Real envelopes with bytes flipped, dropped or inserted: the scanner may decline, but it
    // must never read something the parser reads otherwise.
    const QList<QByteArray> envelopes = fixtureEnvelopes();
    QVERIFY(!envelopes.isEmpty());
    QRandomGenerator random(7);
    const char interesting[] = {'"', '\\', 'u', 'd', '8', 'c', '{', '}', ',', ':', ' ', '\n', '\x80', '\xc3', '\xff', '\0'};
    int answered = 0;
    for (int round = 0; round < 20000; ++round) {
        QByteArray input = envelopes.at(random.bounded(int(envelopes.size())));
        for (int edits = 1 + random.bounded(3); edits > 0 && !input.isEmpty(); --edits) {
            const int at = random.bounded(int(input.size()));
            const char byte = interesting[random.bounded(int(sizeof interesting))];
            switch (random.bounded(3)) {
            case 0: input[at] = byte; break;
            case 1: input.remove(at, 1); break;
            default: input.insert(at, byte); break;
            }
        }
        answered += scanStringEnvelope(input).has_value();
        QString why;
        QVERIFY2(agreesWithParser(input, &why), qPrintable(why + u" for "_s + QString::fromLatin1(input.toPercentEncoding())));
    }
    QVERIFY2(answered > 1000, "the mutations should leave many envelopes readable");
}

QTEST_GUILESS_MAIN(TestEnvelopeScanner)
#include "tst_envelopescanner.moc"
