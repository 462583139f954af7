#include "core/client/remoteroutingsource.h"
#include "core/providers/providerregistry.h"
#include "core/sim/simhost.h"
#include "core/store/database.h"
#include "tests/common/gatewayharness.h"
#include "tests/common/testdatabases.h"
#include "tests/gateway/gatewaytestutil.h"

#include <QNetworkAccessManager>
#include <QTcpSocket>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;
using namespace boo::test;

namespace {

std::unique_ptr<GatewayHarness> startHarness(TestDatabase &db, QList<SimHostConfig> hosts,
                                             GatewayOptions options = GatewayHarness::fastOptions(), const QString &token = {})
{
    auto h = std::make_unique<GatewayHarness>(db.url(), std::move(hosts), options, token);
    auto started = h->start();
    if (!started)
        qFatal("%s", qPrintable(started.error().message));
    return h;
}

qint64 scalar(Database &db, const QString &sql, const QVariantList &binds = {})
{
    auto q = db.exec(sql, binds);
    return q && q->next() ? q->value(0).toLongLong() : -1;
}

// Replaces the policies; fails the test with the server's message when refused.
bool put(GatewayHarness &h, const QJsonArray &policies)
{
    const auto done = h.putPolicies(policies);
    if (!done)
        qWarning().noquote() << done.error().message;
    return bool(done);
}

} // namespace

class TestGatewayApi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void authorisation()
    {
        auto db = TestDatabase::create(SqlDialect::Sqlite);
        auto h = startHarness(*db, {quickHost(u"h1"_s, {u"qwen3-8b"_s})}, GatewayHarness::fastOptions(), u"s3cret"_s);
        const QHash<QByteArray, QByteArray> none{{"Authorization", QByteArray()}};
        auto r = h->post(u"/v1/chat/completions"_s, chatBody(u"auto"_s), none);
        QCOMPARE(r.status, 401);
        QCOMPARE(r.header("www-authenticate"), "Bearer"_ba);
        QCOMPARE(r.error().value(u"type"_s).toString(), u"authentication_error"_s); // OpenAI's shape on /v1
        r = h->get(u"/v1/models"_s, {{"Authorization", "Bearer wrong"}});
        QCOMPARE(r.status, 401);
        r = h->get(u"/api/fleet"_s, none);
        QCOMPARE(r.status, 401);
        QVERIFY(!r.error().contains(u"type"_s)); // the control API keeps its own
        QCOMPARE(h->get(u"/upstream/h1/qwen3-8b/props"_s, none).error().value(u"type"_s).toString(), u"authentication_error"_s);
        QCOMPARE(h->post(u"/v1/chat/completions"_s, chatBody(u"auto"_s)).status, 200);
        QCOMPARE(h->rowsOn(u"h1"_s), 1);
    }

    void badInputGetsClearErrors_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::newRow("malformed json") << "POST"_ba << u"/v1/chat/completions"_s << "{\"model\":\"auto\","_ba << 400 << u"invalid_json"_s;
        QTest::newRow("not an object") << "POST"_ba << u"/v1/completions"_s << "[\"auto\"]"_ba << 400 << u"invalid_json"_s;
        QTest::newRow("no model") << "POST"_ba << u"/v1/chat/completions"_s << "{\"messages\":[]}"_ba << 400 << u"missing_model"_s;
        QTest::newRow("unknown model") << "POST"_ba << u"/v1/chat/completions"_s << "{\"model\":\"gpt-9\"}"_ba << 404
                                       << u"model_not_found"_s;
        QTest::newRow("unknown provider") << "POST"_ba << u"/v1/embeddings"_s << "{\"model\":\"zz/m\"}"_ba << 404 << u"model_not_found"_s;
        QTest::newRow("unknown host model") << "POST"_ba << u"/v1/chat/completions"_s << "{\"model\":\"h1/nope\"}"_ba << 404
                                            << u"model_not_found"_s;
        QTest::newRow("pattern as id") << "POST"_ba << u"/v1/chat/completions"_s << "{\"model\":\"h1/*\"}"_ba << 404
                                       << u"model_not_found"_s;
        QTest::newRow("wrong method") << "GET"_ba << u"/v1/chat/completions"_s << QByteArray() << 405 << u"method_not_allowed"_s;
        QTest::newRow("unknown route") << "GET"_ba << u"/v1/assistants"_s << QByteArray() << 404 << u"not_found"_s;
        QTest::newRow("too large") << "POST"_ba << u"/v1/chat/completions"_s << QByteArray(70 * 1024, 'x') << 413 << u"request_too_large"_s;
    }
    void badInputGetsClearErrors()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, code);
        auto db = TestDatabase::create(SqlDialect::Sqlite);
        GatewayOptions options = GatewayHarness::fastOptions();
        options.maxBodyBytes = 64 * 1024;
        auto h = startHarness(*db, {quickHost(u"h1"_s, {u"qwen3-8b"_s})}, options);
        const auto r = h->send(method, path, body, {});
        QCOMPARE(r.status, status);
        QCOMPARE(r.error().value(u"code"_s).toString(), code);
        QVERIFY(!r.error().value(u"message"_s).toString().isEmpty());
        QVERIFY(r.error().contains(u"type"_s));
        QCOMPARE(h->rowsOn(u"h1"_s), 0);
        // The server is still there.
        QCOMPARE(h->post(u"/v1/chat/completions"_s, chatBody(u"auto"_s)).status, 200);
    }

    // A huge declared body is refused before a byte of it is read.
    void refusesHugeBodiesUpFront()
    {
        auto db = TestDatabase::create(SqlDialect::Sqlite);
        auto h = startHarness(*db, {quickHost(u"h1"_s, {u"qwen3-8b"_s})});
        QTcpSocket socket;
        const QUrl url(h->baseUrl());
        socket.connectToHost(url.host(), quint16(url.port()));
        QVERIFY(socket.waitForConnected(2000));
        socket.write("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     "Content-Length: 1073741824\r\n\r\n{\"model\":");
        QByteArray answer;
        QTRY_VERIFY_WITH_TIMEOUT((answer += socket.readAll()).contains("request_too_large"), 5000);
        QVERIFY(answer.startsWith("HTTP/1.1 413"));
        QVERIFY(answer.contains("33554432 bytes"));
    }

    void attributesRequestsToSources_data()
    {
        TestDatabase::addDialectColumn();
        TestDatabase::addDialectRows();
    }
    void attributesRequestsToSources()
    {
        auto db = TestDatabase::createForCurrentRow();
        if (!db)
            return;
        auto h = startHarness(*db, {quickHost(u"h1"_s, {u"qwen3-8b"_s}), quickHost(u"h2"_s, {u"qwen3-8b"_s})});
        for (int i = 0; i < 3; ++i)
            QCOMPARE(h->post(u"/v1/chat/completions"_s, chatBody(u"auto"_s, i == 1), {{"X-Boo-Source", "aider"}}).status, 200);
        // Nothing is known to embed: both qwen3-8b are tried, and both refuse (501).
        QCOMPARE(h->post(u"/v1/embeddings"_s, "{\"model\":\"auto\",\"input\":\"x\"}"_ba).status, 502);
        QCOMPARE(
            h->post(u"/v1/completions"_s, "{\"model\":\"h2/qwen3-8b\",\"prompt\":\"x\",\"max_tokens\":2}"_ba, {{"X-Boo-Source", "web ui"}})
                .status,
            200);
        QCOMPARE(h->post(u"/v1/chat/completions"_s, chatBody(u"auto"_s)).status, 200); // no header: "unknown"
        Database &store = *h->ingest()->database();
        QTRY_COMPARE_WITH_TIMEOUT(scalar(store, u"SELECT COUNT(*) FROM control_requests WHERE source IS NOT NULL"_s), 7, 10000);
        QCOMPARE(scalar(store, u"SELECT COUNT(*) FROM control_requests WHERE source = ?"_s, {u"aider"_s}), 3);
        QCOMPARE(scalar(store, u"SELECT COUNT(*) FROM control_requests WHERE source = ?"_s, {u"web_ui"_s}), 1);
        // The last chat and the two refused embeddings.
        QCOMPARE(scalar(store, u"SELECT COUNT(*) FROM control_requests WHERE source = ?"_s, {u"unknown"_s}), 3);
        QCOMPARE(h->get(u"/api/requests?source=aider"_s).json().value(u"requests"_s).toArray().size(), 3);

        QTRY_COMPARE_WITH_TIMEOUT(scalar(store, u"SELECT COUNT(*) FROM gateway_dispatch_log"_s), 6, 5000);
        const QJsonArray sources = h->get(u"/api/gateway/sources"_s).json().value(u"sources"_s).toArray();
        QJsonObject aider;
        for (const QJsonValue &s : sources) {
            if (s.toObject().value(u"source"_s).toString() == u"aider"_s)
                aider = s.toObject();
        }
        QCOMPARE(aider.value(u"requests"_s).toInt(), 3);
        QCOMPARE(aider.value(u"host_requests"_s).toInt(), 3);
        QVERIFY(aider.value(u"output_tokens"_s).toInt() >= 3 * 4);
    }

    void dispatchLogAndMetrics()
    {
        auto db = TestDatabase::create(SqlDialect::Sqlite);
        auto h = startHarness(*db, {quickHost(u"h1"_s, {u"qwen3-8b"_s})});
        QCOMPARE(h->post(u"/v1/chat/completions"_s, chatBody(u"auto"_s), {{"X-Boo-Source", "a"}}).status, 200);
        h->host(u"h1"_s)->setForcedStatus(500);
        QCOMPARE(h->post(u"/v1/chat/completions"_s, chatBody(u"auto:fast"_s), {{"X-Boo-Source", "b"}}).status, 502);
        QTRY_COMPARE(h->get(u"/api/gateway/log"_s).json().value(u"entries"_s).toArray().size(), 2);
        const QJsonArray failed = h->get(u"/api/gateway/log?status=5xx"_s).json().value(u"entries"_s).toArray();
        QCOMPARE(failed.size(), 1);
        const QJsonObject entry = failed.first().toObject();
        QCOMPARE(entry.value(u"source"_s).toString(), u"b"_s);
        QCOMPARE(entry.value(u"policy"_s).toString(), u"auto:fast"_s);
        QVERIFY(entry.value(u"overhead_ms"_s).toDouble() >= 0);
        QVERIFY(entry.value(u"error"_s).toString().contains(u"HTTP 500"_s));
        QCOMPARE(h->get(u"/api/gateway/log?source=a&limit=1"_s).json().value(u"entries"_s).toArray().size(), 1);
        const auto firstPage = h->get(u"/api/gateway/log?limit=1"_s).json();
        const qint64 cursor = firstPage.value(u"next_before_id"_s).toInteger();
        QVERIFY(cursor > 0);
        QCOMPARE(h->get(u"/api/gateway/log?before_id=%1"_s.arg(cursor)).json().value(u"entries"_s).toArray().size(), 1);
        QCOMPARE(h->get(u"/api/gateway/log?status=9xx"_s).status, 400);

        const QByteArray metrics = h->get(u"/metrics"_s).body;
        QVERIFY(metrics.contains("boo_gateway_requests_total{policy=\"auto\",status=\"2xx\"} 1"));
        QVERIFY(metrics.contains("boo_gateway_requests_total{policy=\"auto:fast\",status=\"5xx\"} 1"));
        QVERIFY(metrics.contains("boo_gateway_attempts_total{provider=\"h1\",outcome=\"failed\"} 1"));
        QVERIFY(metrics.contains("boo_gateway_overhead_ms_count 2"));
        QVERIFY(metrics.contains("boo_gateway_upstream_connections_total{how=\"opened\"} "));
    }

    void routingApi()
    {
        auto db = TestDatabase::create(SqlDialect::Sqlite);
        auto h = startHarness(*db, {quickHost(u"h1"_s, {u"qwen3-8b"_s, u"qwen2.5-coder-7b"_s})});
        QJsonArray policies = h->get(u"/api/routing/policies"_s).json().value(u"policies"_s).toArray();
        QCOMPARE(policies.size(), 4);
        QVERIFY(policies.at(0).toObject().value(u"builtin"_s).toBool());

        auto bad = h->send("PUT", u"/api/routing/policies"_s, "{\"policies\":[{\"name\":\"x\",\"candidates\":[\"nohost\"]}]}"_ba, {});
        QCOMPARE(bad.status, 400);
        QVERIFY(bad.error().value(u"message"_s).toString().contains(u"nohost"_s));

        // A rule that sends tool calls for "auto" to the coder, ahead of the built-in.
        QJsonObject agents = policyJson(u"auto:agents"_s, {u"*/*coder*"_s});
        agents.insert(u"rule"_s, QJsonObject{{u"models"_s, QJsonArray{u"auto"_s}}, {u"tools"_s, u"required"_s}});
        policies.prepend(agents);
        QVERIFY(put(*h, policies));
        QCOMPARE(h->get(u"/api/routing/policies"_s).json().value(u"policies"_s).toArray().at(0).toObject().value(u"name"_s).toString(),
                 u"auto:agents"_s);
        const QByteArray withTools
            = "{\"model\":\"auto\",\"max_tokens\":2,\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],"
              "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"_ba;
        auto r = h->post(u"/v1/chat/completions"_s, withTools);
        QCOMPARE(r.header("x-boo-policy"), "auto:agents"_ba);
        QCOMPARE(r.header("x-boo-model"), "h1/qwen2.5-coder-7b"_ba);
        QCOMPARE(h->post(u"/v1/chat/completions"_s, chatBody(u"auto"_s)).header("x-boo-policy"), "auto"_ba);
        // "auto:agents" itself only takes what its rule says.
        r = h->post(u"/v1/chat/completions"_s, chatBody(u"auto:agents"_s));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.error().value(u"code"_s).toString(), u"policy_rule_mismatch"_s);

        auto test = h->post(u"/api/routing/test"_s, "{\"model\":\"auto\"}"_ba).json();
        QCOMPARE(test.value(u"policy"_s).toString(), u"auto"_s);
        QCOMPARE(test.value(u"ranking"_s).toObject().value(u"ranked"_s).toArray().size(), 2);
        test = h->post(u"/api/routing/test"_s,
                       QJsonDocument(QJsonObject{{u"policy"_s, policyJson(u"draft"_s, {u"h1/qwen3-8b"_s, u"h1/nope"_s})}}).toJson())
                   .json();
        QCOMPARE(test.value(u"ranking"_s).toObject().value(u"ranked"_s).toArray().size(), 1);
        QVERIFY(QJsonDocument(test).toJson().contains("no model \\\"nope\\\""));
        QCOMPARE(h->post(u"/api/routing/test"_s, "{}"_ba).status, 400);
        QCOMPARE(h->post(u"/api/routing/test"_s, "nope"_ba).status, 400);

        // Stored: a new gateway on the same database reads them back.
        Gateway second(nullptr, nullptr, nullptr, nullptr, h->ingest()->database());
        QVERIFY(second.start());
        QCOMPARE(second.policies().first().name, u"auto:agents"_s);
        QVERIFY(second.policies().at(1).builtIn);
    }

    // Wrong JSON types are refused with the field's name; they once became defaults, so that
    // {"enabled":"no"} stored the policy as enabled.
    void routingApiRefusesWrongTypes_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("mentions");
        const auto put = [](const char *extra) -> QByteArray {
            return "{\"policies\":[{\"name\":\"auto:x\",\"candidates\":[\"*/*\"],"_ba + extra + "}]}";
        };
        const QString policies = u"/api/routing/policies"_s;
        QTest::newRow("enabled \"no\"") << "PUT"_ba << policies << put("\"enabled\":\"no\"")
                                        << u"field \"enabled\" is a string, expected a boolean"_s;
        QTest::newRow("builtin 1") << "PUT"_ba << policies << put("\"builtin\":1")
                                   << u"field \"builtin\" is a number, expected a boolean"_s;
        QTest::newRow("position \"3\"") << "PUT"_ba << policies << put("\"position\":\"3\"")
                                        << u"field \"position\" is a string, expected a number"_s;
        QTest::newRow("position 2.5") << "PUT"_ba << policies << put("\"position\":2.5")
                                      << u"field \"position\" is 2.5, expected a whole number"_s;
        QTest::newRow("strategy 7") << "PUT"_ba << policies << put("\"strategy\":7")
                                    << u"field \"strategy\" is a number, expected a string"_s;
        QTest::newRow("rule.tools true") << "PUT"_ba << policies << put("\"rule\":{\"tools\":true}")
                                         << u"field \"rule.tools\" is a boolean"_s;
        QTest::newRow("description []") << "PUT"_ba << policies << put("\"description\":[]") << u"field \"description\" is an array"_s;
        const QString test = u"/api/routing/test"_s;
        QTest::newRow("test tools") << "POST"_ba << test << "{\"model\":\"auto\",\"tools\":\"yes\"}"_ba
                                    << u"field \"tools\" is a string, expected a boolean"_s;
        QTest::newRow("test prompt_tokens") << "POST"_ba << test << "{\"model\":\"auto\",\"prompt_tokens\":\"100\"}"_ba
                                            << u"field \"prompt_tokens\" is a string, expected a number"_s;
        QTest::newRow("test endpoint 3") << "POST"_ba << test << "{\"model\":\"auto\",\"endpoint\":3}"_ba
                                         << u"field \"endpoint\" is a number"_s;
        QTest::newRow("test endpoint upstream") << "POST"_ba << test << "{\"model\":\"auto\",\"endpoint\":\"upstream\"}"_ba
                                                << u"must be one of chat, completions or embeddings"_s;
        QTest::newRow("test source 1") << "POST"_ba << test << "{\"model\":\"auto\",\"source\":1}"_ba << u"field \"source\" is a number"_s;
        QTest::newRow("test model 5") << "POST"_ba << test << "{\"model\":5}"_ba << u"field \"model\" is a number"_s;
        QTest::newRow("test policy string") << "POST"_ba << test << "{\"policy\":\"auto\"}"_ba
                                            << u"field \"policy\" is a string, expected an object"_s;
    }
    void routingApiRefusesWrongTypes()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(QString, mentions);
        auto db = TestDatabase::create(SqlDialect::Sqlite);
        auto h = startHarness(*db, {quickHost(u"h1"_s, {u"qwen3-8b"_s})});
        const auto r = h->send(method, path, body, {});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.error().value(u"code"_s).toString(), u"bad_request"_s);
        QVERIFY2(r.error().value(u"message"_s).toString().contains(mentions), qPrintable(r.error().value(u"message"_s).toString()));
        // Nothing was stored: still the four built-in policies.
        const QJsonArray stored = h->get(u"/api/routing/policies"_s).json().value(u"policies"_s).toArray();
        QCOMPARE(stored.size(), 4);
        QVERIFY(stored.at(0).toObject().value(u"builtin"_s).toBool());
    }

    // What the desktop's Routing tab does in attached mode, through the control API.
    void remoteRoutingSource()
    {
        auto db = TestDatabase::create(SqlDialect::Sqlite);
        auto h = startHarness(*db, {quickHost(u"h1"_s, {u"qwen3-8b"_s})}, GatewayHarness::fastOptions(), u"tok"_s);
        QCOMPARE(h->post(u"/v1/chat/completions"_s, chatBody(u"auto"_s), {{"X-Boo-Source", "desk"}}).status, 200);
        QNetworkAccessManager nam;
        RemoteRoutingSource source(HostEndpoint(QUrl(h->baseUrl()), u"tok"_s), &nam);
        const auto wait = [](auto &result) { return QTest::qWaitFor([&] { return result.has_value(); }, 5000); };

        std::optional<Result<QList<RoutePolicy>>> policies;
        source.policies(this, [&](Result<QList<RoutePolicy>> r) { policies = std::move(r); });
        QVERIFY(wait(policies));
        QVERIFY(*policies);
        QCOMPARE((*policies)->size(), 4);

        QList<RoutePolicy> edited = **policies;
        edited.move(3, 0);
        std::optional<Result<QList<RoutePolicy>>> saved;
        source.savePolicies(edited, this, [&](Result<QList<RoutePolicy>> r) { saved = std::move(r); });
        QVERIFY(wait(saved));
        QVERIFY(*saved);
        QCOMPARE((*saved)->first().name, u"auto:cheap"_s);
        QCOMPARE(h->gateway()->policies().first().name, u"auto:cheap"_s);

        std::optional<Result<RoutingSource::TestResult>> tested;
        RouteFacts facts;
        facts.source = u"x"_s;
        source.test(edited.at(1), facts, this, [&](Result<RoutingSource::TestResult> r) { tested = std::move(r); });
        QVERIFY(wait(tested));
        QVERIFY(*tested);
        QVERIFY((*tested)->ruleMatches);
        QCOMPARE((*tested)->ranking.ranked.first().directId(), u"h1/qwen3-8b"_s);

        std::optional<Result<GatewayLogPage>> page;
        GatewayLogFilter filter;
        filter.source = u"desk"_s;
        QTRY_VERIFY(h->get(u"/api/gateway/log"_s).json().value(u"entries"_s).toArray().size() == 1);
        source.log(filter, this, [&](Result<GatewayLogPage> r) { page = std::move(r); });
        QVERIFY(wait(page));
        QVERIFY(*page);
        QCOMPARE((*page)->entries.size(), 1);
        QCOMPARE((*page)->entries.first().row.chosenProvider, u"h1"_s);

        RemoteRoutingSource wrongToken(HostEndpoint(QUrl(h->baseUrl()), u"nope"_s), &nam);
        std::optional<Result<QList<RoutePolicy>>> refused;
        wrongToken.policies(this, [&](Result<QList<RoutePolicy>> r) { refused = std::move(r); });
        QVERIFY(wait(refused));
        QVERIFY(!*refused);
        QVERIFY(refused->error().message.contains(u"401"_s));
    }

    void cloudProviderAsLastResort()
    {
        qputenv("BOO_TEST_CLOUD_KEY", "cloud-key");
        SimHostConfig cloudConfig = quickHost(u"cloud"_s, {u"gpt-4o-mini"_s});
        cloudConfig.apiKeys = {u"cloud-key"_s};
        SimHost cloud(cloudConfig);
        QVERIFY(cloud.start());
        auto db = TestDatabase::create(SqlDialect::Sqlite);
        auto h = startHarness(*db, {quickHost(u"h1"_s, {u"qwen3-8b"_s})});
        ProviderConfig provider;
        provider.id = u"openai"_s;
        provider.name = provider.id;
        provider.kind = ProviderKind::OpenAi;
        provider.baseUrl = QUrl(cloud.baseUrl().toString() + u"/v1"_s);
        provider.apiKey = ApiKeyRef{ApiKeyRef::Store::Environment, u"BOO_TEST_CLOUD_KEY"_s};
        h->addProviders({provider});
        QVERIFY(put(*h, {policyJson(u"auto"_s, {u"*/*"_s, u"openai/gpt-4o-mini"_s}, u"ranked"_s)}));
        QCOMPARE(h->post(u"/v1/chat/completions"_s, chatBody(u"auto"_s)).header("x-boo-host"), "h1"_ba);
        h->host(u"h1"_s)->setForcedStatus(503);
        const auto r = h->post(u"/v1/chat/completions"_s, chatBody(u"auto"_s));
        QCOMPARE(r.status, 200); // the simulated cloud wants its key: it was sent
        QCOMPARE(r.header("x-boo-model"), "openai/gpt-4o-mini"_ba);
        QVERIFY(h->get(u"/v1/models"_s).body.contains("\"openai/gpt-4o-mini\""));
        cloud.stop();
    }
};

QTEST_GUILESS_MAIN(TestGatewayApi)
#include "tst_gatewayapi.moc"
