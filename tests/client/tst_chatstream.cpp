// The Playground's streaming chat client against real loopback peers: a simulated llama-swap host
// reached straight (as a local cockpit does) and the gateway of a `--serve` (as an attached one
// does). Every failure a user can meet must end the exchange with a clear error.

#include "core/actions/hostaccess.h"
#include "core/client/chatstream.h"
#include "core/sim/simhost.h"
#include "tests/common/gatewayharness.h"
#include "tests/common/livefleet.h"
#include "tests/common/testdatabases.h"
#include "tests/gateway/gatewaytestutil.h"

#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;
using namespace boo::test;

namespace {

ChatRequest hello(int maxTokens = 12)
{
    ChatRequest r;
    r.messages = {{u"user"_s, u"Say hello"_s}};
    r.maxTokens = maxTokens;
    return r;
}

QByteArray headerOf(const SimCapture &capture, const QByteArray &name)
{
    for (const auto &[key, value] : capture.reqHeaders) {
        if (key == name)
            return value;
    }
    return {};
}

} // namespace

class TestChatStream : public QObject
{
    Q_OBJECT

    std::unique_ptr<LiveFleet> m_live;
    QNetworkAccessManager m_nam;

    ChatTarget target(const QString &model)
    {
        auto t = ChatTarget::direct(*m_live->runtime()->access(), u"h1"_s, model);
        if (!t)
            qFatal("%s", qPrintable(t.error().message));
        return *t;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        // "fast" answers at once; "slow" streams for seconds, time enough to break it mid-way.
        SimHostConfig host = quickHost(u"h1"_s, {u"qwen3-8b"_s}, 400);
        host.models << quickHost(u"x"_s, {u"slow-model"_s}, 20).models;
        m_live = LiveFleet::start({host}, &error);
        QVERIFY2(m_live, qPrintable(error));
        QVERIFY(m_live->waitConnected());
    }

    void cleanup() { m_live->host(u"h1"_s)->setForcedStatus(0); }

    void requestBody()
    {
        ChatRequest r = hello(64);
        r.systemPrompt = u"Be brief."_s;
        r.temperature = 0.2;
        r.topK = 40;
        r.seed = 7;
        r.stop = {u"###"_s};
        r.extras = QJsonObject{{u"min_p"_s, 0.05}, {u"top_k"_s, 5}, {u"model"_s, u"other"_s}, {u"stream"_s, false}};
        const QJsonObject body = r.toJson(u"qwen3-8b"_s);
        QCOMPARE(body.value(u"model"_s).toString(), u"qwen3-8b"_s); // extras cannot redirect
        QCOMPARE(body.value(u"stream"_s).toBool(), true);
        QCOMPARE(body.value(u"temperature"_s).toDouble(), 0.2);
        QCOMPARE(body.value(u"top_k"_s).toInt(), 5); // extras win over the form
        QCOMPARE(body.value(u"min_p"_s).toDouble(), 0.05);
        QCOMPARE(body.value(u"seed"_s).toInteger(), 7);
        QCOMPARE(body.value(u"stop"_s).toArray(), QJsonArray{u"###"_s});
        QVERIFY(!body.contains(u"top_p"_s)); // unset: the host's default applies
        const QJsonArray messages = body.value(u"messages"_s).toArray();
        QCOMPARE(messages.size(), 2);
        QCOMPARE(messages.at(0).toObject().value(u"role"_s).toString(), u"system"_s);
        QCOMPARE(messages.at(1).toObject().value(u"content"_s).toString(), u"Say hello"_s);
    }

    void extras()
    {
        QVERIFY(ChatRequest::parseExtras(u"  "_s).ok());
        QCOMPARE(ChatRequest::parseExtras(u"{\"min_p\": 0.1}"_s)->value(u"min_p"_s).toDouble(), 0.1);
        QCOMPARE(ChatRequest::parseExtras(u"[1]"_s).error().code, u"chat.extras"_s);
        QCOMPARE(ChatRequest::parseExtras(u"{min_p"_s).error().code, u"chat.extras"_s);
    }

    void curl()
    {
        ChatTarget t = ChatTarget::gateway(QUrl(u"http://server:9503"_s), u"s3cret"_s, u"auto"_s);
        const QString command = t.curlCommand(hello());
        QVERIFY(command.startsWith(u"curl -N 'http://server:9503/v1/chat/completions'"_s));
        QVERIFY(command.contains(u"Bearer $BOO_TOKEN"_s));
        QVERIFY(!command.contains(u"s3cret"_s));
        QVERIFY(command.contains(u"\"model\": \"auto\""_s));
    }

    void streamsFromHost()
    {
        ChatStream stream(&m_nam);
        QSignalSpy deltas(&stream, &ChatStream::contentDelta);
        QSignalSpy finished(&stream, &ChatStream::finished);
        QSignalSpy failed(&stream, &ChatStream::failed);
        stream.start(target(u"qwen3-8b"_s), hello(12));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size() + failed.size(), 1, 15000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).value<Error>().message));
        QVERIFY(deltas.size() >= 2);
        QString joined;
        for (const auto &args : deltas)
            joined += args.at(0).toString();
        QCOMPARE(joined, stream.content());
        const ChatStats stats = finished.at(0).at(0).value<ChatStats>();
        QVERIFY(stats.ttftMs && *stats.ttftMs > 0);
        QVERIFY(*stats.ttftMs <= stats.elapsedMs);
        QCOMPARE(stats.tokens, stats.usage.value(u"completion_tokens"_s).toInt());
        QVERIFY(stats.tokensPerSecond > 0);
        QVERIFY(stats.timings.value(u"predicted_per_second"_s).toDouble() > 0);
        QVERIFY(!stream.isRunning());

        // The host saw the request as the Playground's.
        SimHost *host = m_live->host(u"h1"_s);
        const SimCapture *capture = host->captures().find(host->activity().lastId());
        QVERIFY(capture);
        QCOMPARE(headerOf(*capture, "X-Boo-Source"), "playground"_ba);
    }

    void httpError()
    {
        m_live->host(u"h1"_s)->setForcedStatus(503);
        ChatStream stream(&m_nam);
        QSignalSpy failed(&stream, &ChatStream::failed);
        stream.start(target(u"qwen3-8b"_s), hello());
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 10000);
        const Error error = failed.at(0).at(0).value<Error>();
        QCOMPARE(error.code, u"chat.http"_s);
        QVERIFY2(error.message.contains(u"503"_s), qPrintable(error.message));
    }

    void endsWithoutDone()
    {
        ChatStream stream(&m_nam);
        QSignalSpy deltas(&stream, &ChatStream::contentDelta);
        QSignalSpy finished(&stream, &ChatStream::finished);
        QSignalSpy failed(&stream, &ChatStream::failed);
        stream.start(target(u"slow-model"_s), hello(400));
        QTRY_VERIFY_WITH_TIMEOUT(deltas.size() >= 2, 10000);
        QVERIFY(m_live->host(u"h1"_s)->crashModel(u"slow-model"_s).ok());
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 10000);
        QCOMPARE(failed.at(0).at(0).value<Error>().code, u"chat.incomplete"_s);
        QVERIFY(finished.isEmpty());
    }

    void hostVanishes()
    {
        ChatStream stream(&m_nam);
        QSignalSpy deltas(&stream, &ChatStream::contentDelta);
        QSignalSpy failed(&stream, &ChatStream::failed);
        stream.start(target(u"slow-model"_s), hello(400));
        QTRY_VERIFY_WITH_TIMEOUT(deltas.size() >= 2, 10000);
        SimHost *host = m_live->host(u"h1"_s);
        host->goDown();
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 10000);
        const QString code = failed.at(0).at(0).value<Error>().code;
        QVERIFY2(code == u"chat.network"_s || code == u"chat.incomplete"_s, qPrintable(code));
        QVERIFY(host->comeUp().ok());
        QVERIFY(m_live->waitConnected());
    }

    void cancel()
    {
        ChatStream stream(&m_nam);
        QSignalSpy deltas(&stream, &ChatStream::contentDelta);
        QSignalSpy finished(&stream, &ChatStream::finished);
        QSignalSpy failed(&stream, &ChatStream::failed);
        stream.start(target(u"slow-model"_s), hello(400));
        QTRY_VERIFY_WITH_TIMEOUT(deltas.size() >= 1, 10000);
        stream.cancel();
        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed.at(0).at(0).value<Error>().code, u"chat.cancelled"_s);
        const qsizetype seen = deltas.size();
        QTest::qWait(200);
        QCOMPARE(deltas.size(), seen);
        QVERIFY(finished.isEmpty());
        QVERIFY(!stream.isRunning());
    }

    void throughGateway()
    {
        auto db = TestDatabase::create(SqlDialect::Sqlite);
        GatewayHarness h(db->url(), {quickHost(u"g1"_s, {u"qwen3-8b"_s}, 400)}, GatewayHarness::fastOptions(), u"tok"_s);
        const auto started = h.start();
        QVERIFY2(started.ok(), started.ok() ? "" : qPrintable(started.error().message));

        ChatStream stream(&m_nam);
        QSignalSpy finished(&stream, &ChatStream::finished);
        QSignalSpy failed(&stream, &ChatStream::failed);
        stream.start(ChatTarget::gateway(QUrl(h.baseUrl()), u"tok"_s, u"g1/qwen3-8b"_s), hello());
        QTRY_COMPARE_WITH_TIMEOUT(finished.size() + failed.size(), 1, 15000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).value<Error>().message));
        QVERIFY(!stream.content().isEmpty());
        QVERIFY(finished.at(0).at(0).value<ChatStats>().ttftMs.has_value());
        const SimCapture *capture = h.host(u"g1"_s)->captures().find(h.host(u"g1"_s)->activity().lastId());
        QVERIFY(capture);
        QCOMPARE(headerOf(*capture, "X-Boo-Source"), "playground"_ba);

        stream.start(ChatTarget::gateway(QUrl(h.baseUrl()), u"wrong"_s, u"g1/qwen3-8b"_s), hello());
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 10000);
        QCOMPARE(failed.at(0).at(0).value<Error>().code, u"chat.http"_s);
        QVERIFY(failed.at(0).at(0).value<Error>().message.contains(u"401"_s));
    }
};

QTEST_GUILESS_MAIN(TestChatStream)
#include "tst_chatstream.moc"
