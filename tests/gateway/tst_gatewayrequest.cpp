#include "core/gateway/gatewayrequest.h"
#include "core/gateway/openaierror.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

class TestGatewayRequest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rejectsBadBodies_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("code");
        QTest::newRow("empty") << QByteArray() << u"json.malformed"_s;
        QTest::newRow("truncated") << "{\"model\":"_ba << u"json.malformed"_s;
        QTest::newRow("array") << "[1,2]"_ba << u"json.not_object"_s;
        QTest::newRow("no model") << "{\"messages\":[]}"_ba << u"model.missing"_s;
        QTest::newRow("null model") << "{\"model\":null}"_ba << u"model.missing"_s;
        QTest::newRow("number model") << "{\"model\":7}"_ba << u"model.type"_s;
        QTest::newRow("empty model") << "{\"model\":\"\"}"_ba << u"model.type"_s;
    }
    void rejectsBadBodies()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, code);
        auto parsed = GatewayRequest::parse(GatewayEndpoint::ChatCompletions, body);
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().code, code);
        QVERIFY(!parsed.error().message.isEmpty());
    }

    void readsFacts()
    {
        const QByteArray body = "{\"model\":\"auto\",\"stream\":true,\"max_tokens\":64,\"tools\":[{\"type\":\"function\"}],"
                                "\"messages\":[{\"role\":\"user\",\"content\":\"12345678\"},"
                                "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"abcd\"}]}]}"_ba;
        auto r = GatewayRequest::parse(GatewayEndpoint::ChatCompletions, body);
        QVERIFY(r);
        QCOMPARE(r->model(), u"auto"_s);
        QVERIFY(r->stream());
        QVERIFY(r->hasTools());
        QCOMPARE(r->promptTokens(), 3); // 12 characters
        // Embeddings never stream, whatever the body says.
        auto e = GatewayRequest::parse(GatewayEndpoint::Embeddings, "{\"model\":\"m\",\"stream\":true,\"input\":[\"abcdefgh\"]}"_ba);
        QVERIFY(e);
        QVERIFY(!e->stream());
        QCOMPARE(e->promptTokens(), 2);
    }

    // Only the model value changes: numbers, spacing, key order and unknown keys stay as sent.
    void replacesTheModelInPlace_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("first") << "{\"model\":\"auto\",\"seed\":12345678901234567890,\"t\":0.10}"_ba
                               << "{\"model\":\"qwen3/8b\",\"seed\":12345678901234567890,\"t\":0.10}"_ba;
        QTest::newRow("spaced") << "{ \"messages\" : [ {\"model\":\"inner\"} ] ,\n \"model\" : \"auto\" }"_ba
                                << "{ \"messages\" : [ {\"model\":\"inner\"} ] ,\n \"model\" : \"qwen3/8b\" }"_ba;
        QTest::newRow("escaped strings before") << "{\"a\":\"x\\\"model\\\":\",\"model\":\"auto\"}"_ba
                                                << "{\"a\":\"x\\\"model\\\":\",\"model\":\"qwen3/8b\"}"_ba;
    }
    void replacesTheModelInPlace()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, expected);
        auto r = GatewayRequest::parse(GatewayEndpoint::ChatCompletions, body);
        QVERIFY(r);
        QCOMPARE(r->bodyForModel(u"qwen3/8b"_s), expected);
    }

    void escapesTheNewModel()
    {
        auto r = GatewayRequest::parse(GatewayEndpoint::Completions, "{\"model\":\"auto\"}"_ba);
        QVERIFY(r);
        const QByteArray out = r->bodyForModel(u"we\"ird\\id"_s);
        QCOMPARE(QJsonDocument::fromJson(out).object().value(u"model"_s).toString(), u"we\"ird\\id"_s);
    }

    void openAiErrorShape()
    {
        const QJsonObject o = QJsonDocument::fromJson(openaierror::body(429, u"busy"_s, u"slow down"_s)).object();
        const QJsonObject e = o.value(u"error"_s).toObject();
        QCOMPARE(e.value(u"message"_s).toString(), u"slow down"_s);
        QCOMPARE(e.value(u"type"_s).toString(), u"rate_limit_error"_s);
        QCOMPARE(e.value(u"code"_s).toString(), u"busy"_s);
        QVERIFY(e.contains(u"param"_s) && e.value(u"param"_s).isNull());
        QCOMPARE(openaierror::typeForStatus(401), u"authentication_error"_s);
        QCOMPARE(openaierror::typeForStatus(503), u"server_error"_s);
        QCOMPARE(openaierror::typeForStatus(404), u"invalid_request_error"_s);
        QVERIFY(openaierror::streamEvent(502, u"x"_s, u"y"_s).endsWith("\n\ndata: [DONE]\n\n"));
    }
};

QTEST_GUILESS_MAIN(TestGatewayRequest)
#include "tst_gatewayrequest.moc"
