// Stream reassembly and "copy as curl" for the capture inspector, on the reference capture.

#include "core/protocol/capture.h"
#include "core/protocol/curlcommand.h"
#include "core/protocol/streamedresponse.h"
#include "tests/protocol/testfixtures.h"

#include <QJsonArray>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

class TestStreamedResponse : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void reassemblesTheReferenceCapture()
    {
        const auto capture = Capture::fromJson(readFixture(u"api-capture.json"_s));
        QVERIFY(capture.ok());
        const auto stream = StreamedResponse::fromSse(*capture->respBody);
        QVERIFY(stream.has_value());
        QCOMPARE(stream->chunks, 3);
        QVERIFY(stream->done);
        QCOMPARE(stream->id, u"chatcmpl-Zq81"_s);
        QCOMPARE(stream->role, u"assistant"_s);
        QCOMPARE(stream->content, u"Weights fill the card"_s);
        QCOMPARE(stream->finishReason, u"stop"_s);
        QCOMPARE(stream->usage.value(u"completion_tokens"_s).toInt(), 642);
        QCOMPARE(stream->timings.value(u"predicted_per_second"_s).toDouble(), 87.3);
        const QJsonObject message = stream->toMessageJson();
        QCOMPARE(message.value(u"object"_s).toString(), u"chat.completion"_s);
        QCOMPARE(message.value(u"choices"_s).toArray().at(0).toObject().value(u"message"_s).toObject().value(u"content"_s).toString(),
                 u"Weights fill the card"_s);
    }

    void mergesToolCallsAndReasoning()
    {
        const QByteArray body = "data: {\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"Let me \"}}]}\n\n"
                                "data: {\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"think.\"}}]}\n\n"
                                "data: "
                                "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"function\":{"
                                "\"name\":\"get_\",\"arguments\":\"{\\\"ci\"}}]}}]}\n\n"
                                "data: "
                                "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"name\":\"weather\","
                                "\"arguments\":\"ty\\\":1}\"}}]},\"finish_reason\":\"tool_calls\"}]}\n\n";
        const auto stream = StreamedResponse::fromSse(body);
        QVERIFY(stream.has_value());
        QVERIFY(!stream->done); // cut before [DONE]
        QCOMPARE(stream->reasoning, u"Let me think."_s);
        QCOMPARE(stream->toolCalls.size(), 1);
        const QJsonObject function = stream->toolCalls.at(0).value(u"function"_s).toObject();
        QCOMPARE(function.value(u"name"_s).toString(), u"get_weather"_s);
        QCOMPARE(function.value(u"arguments"_s).toString(), u"{\"city\":1}"_s);
        QCOMPARE(stream->finishReason, u"tool_calls"_s);
    }

    void notAStream()
    {
        QVERIFY(!StreamedResponse::fromSse("{\"choices\":[]}").has_value());
        QVERIFY(!StreamedResponse::fromSse({}).has_value());
    }

    void curlNeverCarriesASecret()
    {
        const auto capture = Capture::fromJson(readFixture(u"api-capture.json"_s));
        QVERIFY(capture.ok());
        const QString curl = CurlCommand::fromCapture(*capture, QUrl(u"http://gpu1:8080/"_s));
        QVERIFY2(curl.startsWith(u"curl -sS -N -X POST 'http://gpu1:8080/v1/chat/completions'"_s), qPrintable(curl));
        QVERIFY(curl.contains(u"-H \"Authorization: Bearer $LLAMA_SWAP_API_KEY\""_s));
        QVERIFY(curl.contains(u"-H 'X-Session-Id: sess-7f3a'"_s));
        QVERIFY(!curl.contains(u"Content-Length"_s));
        QVERIFY(!curl.contains(u"[REDACTED]"_s));
        QVERIFY(curl.contains(u"\"content\":\"Write a haiku about VRAM.\""_s));
        QCOMPARE(CurlCommand::shellQuote(u"it's"_s), u"'it'\\''s'"_s);

        // The command is valid shell: run it with "curl" replaced by a printer of its arguments
        // and standard input.
        QTemporaryDir dir;
        QFile fake(dir.filePath(u"curl"_s));
        QVERIFY(fake.open(QIODevice::WriteOnly));
        fake.write("#!/bin/sh\nprintf '%s\\n' \"$@\"\ncat\n");
        fake.close();
        fake.setPermissions(fake.permissions() | QFileDevice::ExeOwner);
        QProcess shell;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"PATH"_s, dir.path() + u':' + env.value(u"PATH"_s));
        env.insert(u"LLAMA_SWAP_API_KEY"_s, u"k3y"_s);
        shell.setProcessEnvironment(env);
        shell.start(u"/bin/sh"_s, {u"-c"_s, curl});
        QVERIFY(shell.waitForFinished(5000));
        const QString out = QString::fromUtf8(shell.readAllStandardOutput());
        QVERIFY2(out.contains(u"Authorization: Bearer k3y\n"_s), qPrintable(out));
        QVERIFY2(out.contains(u"{\"model\":\"qwen3-30b-a3b\",\"stream\":true"_s), qPrintable(out));
    }
};

QTEST_GUILESS_MAIN(TestStreamedResponse)
#include "tst_streamedresponse.moc"
