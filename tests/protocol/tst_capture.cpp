#include "core/protocol/capture.h"
#include "testfixtures.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

class TestCapture : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fixture();
    void notStoredBody();
    void malformed_data();
    void malformed();
};

void TestCapture::fixture()
{
    const auto capture = Capture::fromJson(readFixture(u"api-capture.json"_s));
    QVERIFY2(capture.ok(), capture.ok() ? "" : qPrintable(capture.error().message));
    QCOMPARE(capture->id, 1043);
    QCOMPARE(capture->reqPath, u"/v1/chat/completions"_s);
    QCOMPARE(capture->reqHeaders.size(), 7);
    QCOMPARE(capture->reqHeaders.value(u"Authorization"_s), u"[REDACTED]"_s);
    QCOMPARE(capture->reqHeaders.value(u"User-Agent"_s), u"OpenAI/Python 1.99.1"_s);
    QVERIFY(capture->reqBody.has_value());
    QCOMPARE(
        *capture->reqBody,
        QByteArray(
            R"({"model":"qwen3-30b-a3b","stream":true,"messages":[{"role":"user","content":"Write a haiku about VRAM."}],"max_tokens":64})"));
    QCOMPARE(capture->reqBody->size(), 122); // matches the captured Content-Length
    QVERIFY(capture->respHeaders.has_value());
    QCOMPARE(capture->respHeaders->value(u"Server"_s), u"llama.cpp"_s);
    QVERIFY(capture->respBody.has_value());
    QVERIFY(capture->respBody->startsWith(
        R"(data: {"choices":[{"finish_reason":null,"index":0,"delta":{"role":"assistant","content":null}}])"));
    QVERIFY(capture->respBody->contains(R"("content":"Weights fill the card")"));
    QVERIFY(capture->respBody->contains(R"("timings":{"cache_n":512,"prompt_n":1874)"));
    QVERIFY(capture->respBody->endsWith("data: [DONE]\n\n"));
    QCOMPARE(capture->respBody->count("data: "), 4);
}

void TestCapture::notStoredBody()
{
    const auto capture = Capture::fromJson(readFixture(u"older/api-capture-no-body.json"_s));
    QVERIFY(capture.ok());
    QCOMPARE(capture->id, 1041);
    QCOMPARE(capture->reqBody, std::optional<QByteArray>(QByteArray("{}")));
    QCOMPARE(capture->respHeaders->value(u"Retry-After"_s), u"1"_s);
    QVERIFY(!capture->respBody.has_value());

    // An empty body that was stored is not the same as a body that was not stored.
    const auto empty = Capture::fromJson(R"({"id":2,"req_body":"","resp_headers":null,"resp_body":null})");
    QVERIFY(empty.ok());
    QCOMPARE(empty->reqBody, std::optional<QByteArray>(QByteArray()));
    QVERIFY(!empty->respHeaders.has_value());
}

void TestCapture::malformed_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("message");
    QTest::newRow("bad base64") << QByteArray(R"({"id":1,"req_body":"not*base64!"})") << u"protocol.value"_s
                                << u"/api/captures: field \"req_body\" is not valid base64"_s;
    QTest::newRow("non-latin base64") << QByteArray(R"({"id":1,"resp_body":"ZGF0YQ\u00e9=="})") << u"protocol.value"_s
                                      << u"field \"resp_body\" is not valid base64"_s;
    QTest::newRow("body as array") << QByteArray(R"({"id":1,"req_body":[1,2]})") << u"protocol.field"_s
                                   << u"field \"req_body\" is an array, expected a string (base64) or null"_s;
    QTest::newRow("id missing") << QByteArray(R"({"req_path":"/x"})") << u"protocol.field"_s << u"/api/captures: field \"id\" is missing"_s;
    QTest::newRow("header number") << QByteArray(R"({"id":1,"resp_headers":{"Content-Length":5}})") << u"protocol.field"_s
                                   << u"field \"resp_headers.Content-Length\" is a number, expected a string"_s;
    QTest::newRow("404 text") << QByteArray("capture not found") << u"protocol.json"_s << u"/api/captures: invalid JSON"_s;
}

void TestCapture::malformed()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, code);
    QFETCH(QString, message);
    const auto capture = Capture::fromJson(body);
    QVERIFY(!capture.ok());
    QCOMPARE(capture.error().code, code);
    QVERIFY2(capture.error().message.contains(message), qPrintable(capture.error().message));
}

QTEST_GUILESS_MAIN(TestCapture)
#include "tst_capture.moc"
