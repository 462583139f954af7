#include "core/protocol/apierror.h"
#include "testfixtures.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

class TestApiError : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bodies_data();
    void bodies();
    void failures_data();
    void failures();
};

void TestApiError::bodies_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("format");
    QTest::addColumn<bool>("fromLlamaSwap");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("code");
    using F = ApiError::Format;
    QTest::newRow("structured (fixture)") << readFixture(u"older/error-object-envelope.json"_s) << int(F::Structured) << true
                                          << u"Too many requests"_s << u"rate_limit_error"_s << u"concurrency_limit"_s;
    QTest::newRow("legacy string (fixture)") << readFixture(u"older/error-string-envelope.json"_s) << int(F::Legacy) << true
                                             << u"no local server found for requested model"_s << QString() << QString();
    QTest::newRow("plain text (fixture)") << readFixture(u"older/error-plain.txt"_s) << int(F::PlainText) << true
                                          << u"no router for requested model"_s << QString() << QString();
    QTest::newRow("go 404 (fixture)") << readFixture(u"older/error-404-page.txt"_s) << int(F::PlainText) << false << u"404 page not found"_s
                                      << QString() << QString();
    QTest::newRow("html (fixture)") << readFixture(u"older/error-html.html"_s) << int(F::Html) << true
                                    << u"model \"qwen<3>\" not found & gone"_s << QString() << QString();
    QTest::newRow("structured 404") << QByteArray(
        R"({"src":"llama-swap","error":{"message":"model not found","type":"invalid_request_error","param":null,"code":"not_found"}})")
                                    << int(F::Structured) << true << u"model not found"_s << u"invalid_request_error"_s << u"not_found"_s;
    QTest::newRow("structured without code") << QByteArray(
        R"({"src":"llama-swap","error":{"message":"x","type":"server_error","param":null}})")
                                             << int(F::Structured) << true << u"x"_s << u"server_error"_s << QString();
    QTest::newRow("upstream openai style") << QByteArray(
        R"({"error":{"code":400,"message":"the request exceeds the available context size","type":"exceed_context_size_error"}})")
                                           << int(F::Upstream) << false << u"the request exceeds the available context size"_s << QString()
                                           << QString();
    QTest::newRow("upstream detail") << QByteArray(R"({"detail":"Not Found"})") << int(F::Upstream) << false << u"Not Found"_s << QString()
                                     << QString();
    QTest::newRow("upstream unknown json") << QByteArray(R"({"oops":true})") << int(F::Upstream) << false << u"{\"oops\":true}"_s
                                           << QString() << QString();
    QTest::newRow("truncated json is text") << QByteArray(R"({"src":"llama-swap","err)") << int(F::PlainText) << false
                                            << u"{\"src\":\"llama-swap\",\"err"_s << QString() << QString();
    QTest::newRow("http.Error 502") << QByteArray("Bad Gateway\n") << int(F::PlainText) << false << u"Bad Gateway"_s << QString()
                                    << QString();
}

void TestApiError::bodies()
{
    QFETCH(QByteArray, body);
    QFETCH(int, format);
    QFETCH(bool, fromLlamaSwap);
    QFETCH(QString, message);
    QFETCH(QString, type);
    QFETCH(QString, code);
    const auto error = ApiError::fromBody(body);
    QVERIFY2(error.ok(), error.ok() ? "" : qPrintable(error.error().message));
    QCOMPARE(int(error->format), format);
    QCOMPARE(error->fromLlamaSwap, fromLlamaSwap);
    QCOMPARE(error->message, message);
    QCOMPARE(error->type, type);
    QCOMPARE(error->code, code);
}

void TestApiError::failures_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("message");
    QTest::newRow("empty") << QByteArray() << u"error body: the body is empty"_s;
    QTest::newRow("blank") << QByteArray(" \n") << u"error body: the body is empty"_s;
    QTest::newRow("error is a number") << QByteArray(R"({"src":"llama-swap","error":5})")
                                       << u"error envelope: field \"error\" is a number, expected a string or an object"_s;
    QTest::newRow("message is a list") << QByteArray(R"({"src":"llama-swap","error":{"message":["a"]}})")
                                       << u"error envelope: field \"error.message\" is an array, expected a string"_s;
}

void TestApiError::failures()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, message);
    const auto error = ApiError::fromBody(body);
    QVERIFY(!error.ok());
    QCOMPARE(error.error().message, message);
}

QTEST_GUILESS_MAIN(TestApiError)
#include "tst_apierror.moc"
