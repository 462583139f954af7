#include "core/actions/hostlease.h"
#include "core/fleet/fleetstate.h"
#include "core/providers/providerregistry.h"
#include "core/sim/simhost.h"
#include "core/sim/simmodelmanager.h"
#include "core/store/database.h"
#include "tests/common/gatewayharness.h"
#include "tests/common/testdatabases.h"
#include "tests/gateway/gatewaytestutil.h"

#include <QDateTime>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;
using namespace boo::test;

namespace {

std::unique_ptr<GatewayHarness> startHarness(TestDatabase &db, QList<SimHostConfig> hosts,
                                             GatewayOptions options = GatewayHarness::fastOptions())
{
    auto h = std::make_unique<GatewayHarness>(db.url(), std::move(hosts), options);
    auto started = h->start();
    if (!started)
        qFatal("%s", qPrintable(started.error().message));
    return h;
}

// The newest dispatch log entry, once `total` entries have been written (the log is written
// behind the requests, by the history writer).
QJsonObject lastLogEntry(GatewayHarness &h, int total = 1)
{
    QJsonArray entries;
    const bool written = QTest::qWaitFor(
        [&] {
            entries = h.get(u"/api/gateway/log?limit=100"_s).json().value(u"entries"_s).toArray();
            return entries.size() >= total;
        },
        5000);
    return written ? entries.first().toObject() : QJsonObject();
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

class TestGatewayRouting : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestDatabase> m_db;

private Q_SLOTS:
    void init() { m_db = TestDatabase::create(SqlDialect::Sqlite); }
    void cleanup() { m_db.reset(); }

    void servesChatStreamsEmbeddingsAndModels()
    {
        auto h = startHarness(*m_db, {quickHost(u"h1"_s, {u"qwen3-8b"_s}), quickHost(u"h2"_s, {u"qwen3-8b"_s, u"nomic-embed-text"_s})});

        const QJsonArray models = h->get(u"/v1/models"_s).json().value(u"data"_s).toArray();
        QStringList ids;
        for (const QJsonValue &m : models)
            ids << m.toObject().value(u"id"_s).toString();
        for (const QString &id : {u"auto"_s, u"auto:code"_s, u"auto:fast"_s, u"auto:cheap"_s, u"h1/qwen3-8b"_s, u"h2/nomic-embed-text"_s})
            QVERIFY2(ids.contains(id), qPrintable(id));

        const auto chat = h->post(u"/v1/chat/completions"_s, chatBody(u"auto"_s));
        QCOMPARE(chat.status, 200);
        QVERIFY(chat.header("x-boo-host") == "h1" || chat.header("x-boo-host") == "h2");
        QCOMPARE(chat.header("x-boo-policy"), "auto"_ba);
        bool ok = false;
        QVERIFY(chat.header("x-boo-overhead-ms").toDouble(&ok) >= 0 && ok);
        QCOMPARE(chat.json().value(u"object"_s).toString(), u"chat.completion"_s);
        // The host got its own model id, not "auto".
        QCOMPARE(chat.json().value(u"model"_s).toString(), u"qwen3-8b"_s);

        const auto stream = h->post(u"/v1/chat/completions"_s, chatBody(u"auto"_s, true, 6));
        QCOMPARE(stream.status, 200);
        QVERIFY(stream.header("content-type").startsWith("text/event-stream"));
        QCOMPARE(stream.body.count("data: {"), 6 + 2); // role chunk, tokens, final chunk
        QVERIFY(stream.body.endsWith("data: [DONE]\n\n"));

        const auto embedding = h->post(u"/v1/embeddings"_s, "{\"model\":\"auto\",\"input\":\"hello\"}"_ba);
        QCOMPARE(embedding.status, 200);
        QCOMPARE(embedding.header("x-boo-model"), "h2/nomic-embed-text"_ba);

        QCOMPARE(h->post(u"/v1/completions"_s, "{\"model\":\"h2/qwen3-8b\",\"prompt\":\"x\",\"max_tokens\":2}"_ba).header("x-boo-host"),
                 "h2"_ba);
        QCOMPARE(h->post(u"/v1/chat/completions"_s, chatBody(u"qwen3-8b"_s)).status, 200); // a bare model name

        const auto props = h->get(u"/upstream/h1/qwen3-8b/props"_s);
        QCOMPARE(props.status, 200);
        QVERIFY(props.body.contains("n_ctx"));
        QCOMPARE(h->get(u"/upstream/auto/props"_s).status, 200);
        QCOMPARE(h->get(u"/upstream/nope/props"_s).error().value(u"code"_s).toString(), u"model_not_found"_s);
    }

    void failsOverBeforeTheFirstByte_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("5xx") << u"5xx"_s;
        QTest::newRow("429") << u"429"_s;
        QTest::newRow("timeout before headers") << u"timeout"_s;
        QTest::newRow("connection refused") << u"refused"_s;
    }
    void failsOverBeforeTheFirstByte()
    {
        QFETCH(QString, kind);
        GatewayOptions options = GatewayHarness::fastOptions();
        options.timeouts.headerMs = 400;
        auto h = startHarness(*m_db, {quickHost(u"h1"_s, {u"qwen3-8b"_s}), quickHost(u"h2"_s, {u"qwen3-8b"_s})}, options);
        QString first = u"h1"_s;
        if (kind == u"5xx"_s) {
            h->host(u"h1"_s)->setForcedStatus(503);
        } else if (kind == u"429"_s) {
            h->host(u"h1"_s)->setForcedStatus(429);
        } else if (kind == u"timeout"_s) {
            h->host(u"h1"_s)->setStalled(true); // accepts the connection, never answers
        } else {
            ProviderConfig ghost;
            ghost.id = u"ghost"_s;
            ghost.name = ghost.id;
            ghost.kind = ProviderKind::OpenAi;
            ghost.baseUrl = QUrl(u"http://127.0.0.1:1/v1"_s);
            h->addProviders({ghost});
            first = ghost.id;
        }
        QVERIFY(put(*h, {policyJson(u"pair"_s, {first + u"/qwen3-8b"_s, u"h2/qwen3-8b"_s})}));

        const auto r = h->post(u"/v1/chat/completions"_s, chatBody(u"pair"_s, true));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("x-boo-host"), "h2"_ba);
        QCOMPARE(r.header("x-boo-attempts"), "2"_ba);
        QVERIFY(r.body.endsWith("data: [DONE]\n\n"));
        // Exactly one request reached each host that answered at all.
        QCOMPARE(h->rowsOn(u"h2"_s), 1);
        if (kind == u"5xx"_s || kind == u"429"_s)
            QTRY_COMPARE(h->rowsOn(u"h1"_s), 1);

        const QJsonObject entry = lastLogEntry(*h);
        const QJsonArray attempts = entry.value(u"attempts"_s).toArray();
        QCOMPARE(attempts.size(), 2);
        const QString outcome = attempts.at(0).toObject().value(u"outcome"_s).toString();
        const QString expected = kind == u"5xx"_s ? u"HTTP 503"_s
            : kind == u"429"_s                    ? u"HTTP 429"_s
            : kind == u"timeout"_s                ? u"header-timeout"_s
                                                  : u"connect"_s;
        QVERIFY2(outcome.contains(expected), qPrintable(outcome));
        QCOMPARE(entry.value(u"host"_s).toString(), u"h2"_s);
        QCOMPARE(entry.value(u"status"_s).toInt(), 200);
    }

    void tellsWhyWhenEveryCandidateFails()
    {
        auto h = startHarness(*m_db, {quickHost(u"h1"_s, {u"qwen3-8b"_s}), quickHost(u"h2"_s, {u"qwen3-8b"_s})});
        QVERIFY(put(*h, {policyJson(u"pair"_s, {u"h1/qwen3-8b"_s, u"h2/qwen3-8b"_s})}));
        h->host(u"h1"_s)->setForcedStatus(500);
        h->host(u"h2"_s)->setForcedStatus(502);
        auto r = h->post(u"/v1/chat/completions"_s, chatBody(u"pair"_s));
        QCOMPARE(r.status, 502);
        QCOMPARE(r.error().value(u"code"_s).toString(), u"all_candidates_failed"_s);
        QCOMPARE(r.error().value(u"type"_s).toString(), u"server_error"_s);
        const QString message = r.error().value(u"message"_s).toString();
        QVERIFY2(message.contains(u"h1/qwen3-8b: failed: HTTP 500"_s) && message.contains(u"h2/qwen3-8b: failed: HTTP 502"_s),
                 qPrintable(message));

        h->host(u"h1"_s)->setForcedStatus(429);
        h->host(u"h2"_s)->setForcedStatus(429);
        r = h->post(u"/v1/chat/completions"_s, chatBody(u"pair"_s));
        QCOMPARE(r.status, 429);
        QCOMPARE(r.header("retry-after"), "1"_ba);
        QCOMPARE(r.error().value(u"type"_s).toString(), u"rate_limit_error"_s);
    }

    void triesEachHostOnce()
    {
        auto h = startHarness(*m_db, {quickHost(u"h1"_s, {u"qwen3-8b"_s, u"llama-3.2-3b"_s}), quickHost(u"h2"_s, {u"qwen3-8b"_s})});
        QVERIFY(put(*h, {policyJson(u"p"_s, {u"h1/qwen3-8b"_s, u"h1/llama-3.2-3b"_s, u"h2/qwen3-8b"_s})}));
        h->host(u"h1"_s)->setForcedStatus(503);
        const auto r = h->post(u"/v1/chat/completions"_s, chatBody(u"p"_s));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("x-boo-attempts"), "2"_ba);
        QTRY_COMPARE(h->rowsOn(u"h1"_s), 1);
        QCOMPARE(h->rowsOn(u"h2"_s), 1);
        const QJsonArray candidates = lastLogEntry(*h).value(u"candidates"_s).toArray();
        QCOMPARE(candidates.at(1).toObject().value(u"outcome"_s).toString(), u"not tried: this host was tried already"_s);
    }

    void midStreamResetEndsTheStreamWithAnError()
    {
        auto h = startHarness(*m_db, {quickHost(u"h1"_s, {u"qwen3-8b"_s}, 40), quickHost(u"h2"_s, {u"qwen3-8b"_s})});
        QVERIFY(put(*h, {policyJson(u"pair"_s, {u"h1/qwen3-8b"_s, u"h2/qwen3-8b"_s})}));
        QNetworkAccessManager nam;
        QNetworkRequest request(QUrl(h->baseUrl() + u"/v1/chat/completions"_s));
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        QNetworkReply *reply = nam.post(request, chatBody(u"pair"_s, true, 80));
        QByteArray body;
        bool downed = false;
        connect(reply, &QNetworkReply::readyRead, this, [&] {
            body += reply->readAll();
            if (!downed && body.contains("\"content\"")) {
                downed = true;
                h->host(u"h1"_s)->goDown(); // resets the host's connections mid-stream
            }
        });
        QSignalSpy finished(reply, &QNetworkReply::finished);
        QVERIFY(finished.wait(10000));
        body += reply->readAll();
        QVERIFY(downed);
        QCOMPARE(reply->error(), QNetworkReply::NoError); // a proper end of the body
        QVERIFY2(body.contains("\"code\":\"upstream_failed\""), body.constData());
        QVERIFY(body.endsWith("}\n\ndata: [DONE]\n\n"));
        QCOMPARE(body.count("data: [DONE]"), 1);
        delete reply;
        QCOMPARE(h->rowsOn(u"h2"_s), 0); // never retried after the first byte
        const QJsonObject entry = lastLogEntry(*h);
        QCOMPARE(entry.value(u"status"_s).toInt(), 502);
        QCOMPARE(entry.value(u"attempts"_s).toArray().size(), 1);
    }

    // What llama-swap really sends when a model's server dies mid-answer: a proper end of the
    // chunked body without [DONE] (reference §2.1). The client must get an error, not a
    // truncated answer that looks complete.
    void midStreamCleanEndWithoutDoneIsAFailure()
    {
        auto h = startHarness(*m_db, {quickHost(u"h1"_s, {u"qwen3-8b"_s}, 40), quickHost(u"h2"_s, {u"qwen3-8b"_s})});
        QVERIFY(put(*h, {policyJson(u"pair"_s, {u"h1/qwen3-8b"_s, u"h2/qwen3-8b"_s})}));
        QNetworkAccessManager nam;
        QNetworkRequest request(QUrl(h->baseUrl() + u"/v1/chat/completions"_s));
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        QNetworkReply *reply = nam.post(request, chatBody(u"pair"_s, true, 80));
        QByteArray body;
        bool crashed = false;
        connect(reply, &QNetworkReply::readyRead, this, [&] {
            body += reply->readAll();
            if (!crashed && body.contains("\"content\"")) {
                crashed = true;
                QVERIFY(h->host(u"h1"_s)->crashModel(u"qwen3-8b"_s).ok()); // ends the host's body cleanly
            }
        });
        QSignalSpy finished(reply, &QNetworkReply::finished);
        QVERIFY(finished.wait(10000));
        body += reply->readAll();
        QVERIFY(crashed);
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        QVERIFY2(body.contains("\"code\":\"upstream_failed\""), body.constData());
        QVERIFY(body.contains("without [DONE]"));
        QVERIFY(body.endsWith("}\n\ndata: [DONE]\n\n"));
        QCOMPARE(body.count("data: [DONE]"), 1);
        delete reply;
        QCOMPARE(h->rowsOn(u"h2"_s), 0); // never retried after the first byte
        const QJsonObject entry = lastLogEntry(*h);
        QCOMPARE(entry.value(u"status"_s).toInt(), 502);
        const QJsonArray attempts = entry.value(u"attempts"_s).toArray();
        QCOMPARE(attempts.size(), 1);
        QVERIFY(attempts.at(0).toObject().value(u"outcome"_s).toString().startsWith(u"failed after the first byte: the stream ended"_s));
        const QByteArray metrics = h->get(u"/metrics"_s).body;
        QVERIFY(metrics.contains("boo_gateway_requests_total{policy=\"pair\",status=\"5xx\"} 1"));
        QVERIFY(metrics.contains("boo_gateway_attempts_total{provider=\"h1\",outcome=\"failed\"} 1"));
    }

    // No model is named like an embedding model: `auto` tries what may embed in rank order and
    // fails over on the refusals, instead of answering 503; the host's capabilities rule out
    // the models it reports as chat models; what the attempts showed is remembered.
    void embeddingsFindAModelNotNamedLikeOne()
    {
        SimHostConfig h1 = quickHost(u"h1"_s, {u"qwen3-8b"_s, u"text-vec"_s});
        h1.models[1].embeddings = true; // its llama-server runs with --embeddings; its name says nothing
        SimHostConfig h2 = quickHost(u"h2"_s, {u"gpt-oss-20b"_s});
        h2.models[0].hasCapabilities = true;
        h2.models[0].tools = true; // the host reports function_calling
        auto h = startHarness(*m_db, {h1, h2});
        // A loaded chat model ranks first among the candidates, so it is tried first.
        QCOMPARE(h->post(u"/v1/chat/completions"_s, chatBody(u"h1/qwen3-8b"_s)).status, 200);

        const QByteArray body = "{\"model\":\"auto\",\"input\":\"hello\"}"_ba;
        const auto first = h->post(u"/v1/embeddings"_s, body);
        QCOMPARE(first.status, 200);
        QCOMPARE(first.header("x-boo-model"), "h1/text-vec"_ba);
        QCOMPARE(first.header("x-boo-attempts"), "2"_ba); // qwen3-8b said 501, then text-vec answered
        QCOMPARE(first.json().value(u"data"_s).toArray().size(), 1);
        QJsonObject entry = lastLogEntry(*h, 2);
        const QJsonArray attempts = entry.value(u"attempts"_s).toArray();
        QCOMPARE(attempts.size(), 2);
        QCOMPARE(attempts.at(0).toObject().value(u"model"_s).toString(), u"qwen3-8b"_s);
        QCOMPARE(attempts.at(0).toObject().value(u"status"_s).toInt(), 501);
        QVERIFY(QJsonDocument(entry.value(u"candidates"_s).toArray()).toJson().contains("the host reports function_calling"));
        QCOMPARE(h->rowsOn(u"h2"_s), 0); // gpt-oss-20b was never asked

        // Learned: straight to text-vec now.
        const auto second = h->post(u"/v1/embeddings"_s, body);
        QCOMPARE(second.status, 200);
        QCOMPARE(second.header("x-boo-model"), "h1/text-vec"_ba);
        QCOMPARE(second.header("x-boo-attempts"), "1"_ba);
        entry = lastLogEntry(*h, 3);
        QVERIFY(QJsonDocument(entry.value(u"candidates"_s).toArray()).toJson().contains("refused /v1/embeddings before"));
    }

    void leasedHostsLoadNothing()
    {
        auto h = startHarness(*m_db,
                              {quickHost(u"h1"_s, {u"qwen3-8b"_s, u"qwen2.5-coder-7b"_s}), quickHost(u"h2"_s, {u"qwen2.5-coder-7b"_s})});
        QVERIFY(put(*h, {policyJson(u"code"_s, {u"h1/qwen2.5-coder-7b"_s, u"h2/qwen2.5-coder-7b"_s})}));
        HostLease lease;
        lease.providerId = u"h1"_s;
        lease.model = u"qwen3-8b"_s;
        lease.holder = u"bench:1"_s;
        lease.reason = u"speed run"_s;
        lease.grantedAt = QDateTime::currentMSecsSinceEpoch();
        lease.expiresAt = lease.grantedAt + 60000;
        QVERIFY(HostLease::grant(*h->ingest()->database(), lease));
        h->gateway()->refreshLeases();
        const auto r = h->post(u"/v1/chat/completions"_s, chatBody(u"code"_s));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("x-boo-host"), "h2"_ba);
        QCOMPARE(h->rowsOn(u"h1"_s), 0);
        QCOMPARE(h->host(u"h1"_s)->models()->state(u"qwen2.5-coder-7b"_s), SimModelState::Stopped);
        const QJsonArray candidates = lastLogEntry(*h).value(u"candidates"_s).toArray();
        QVERIFY(QJsonDocument(candidates).toJson().contains("leased to bench:1"));
    }

    void contextFit()
    {
        SimHostConfig small = quickHost(u"small"_s, {u"qwen3-8b"_s});
        small.models.first().hasCapabilities = true;
        small.models.first().contextLength = 1000;
        SimHostConfig large = quickHost(u"large"_s, {u"qwen3-8b"_s});
        large.models.first().hasCapabilities = true;
        large.models.first().contextLength = 32768;
        auto h = startHarness(*m_db, {small, large});
        QTRY_VERIFY(h->ingest()->fleet()->host(u"small"_s)->models.first().contextLength == 1000);
        const QString longPrompt(8000, u'x'); // ~2000 tokens
        auto r = h->post(u"/v1/chat/completions"_s, chatBody(u"auto"_s, false, 4, longPrompt));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("x-boo-host"), "large"_ba);
        r = h->post(u"/v1/chat/completions"_s, chatBody(u"small/qwen3-8b"_s, false, 4, longPrompt));
        QCOMPARE(r.status, 503);
        QCOMPARE(r.error().value(u"code"_s).toString(), u"no_healthy_candidate"_s);
        QVERIFY(r.error().value(u"message"_s).toString().contains(u"does not fit the context of 1000 tokens"_s));
        QCOMPARE(h->rowsOn(u"small"_s), 0);
    }

    void skipsHostsThatAreDown()
    {
        auto h = startHarness(*m_db, {quickHost(u"h1"_s, {u"qwen3-8b"_s}), quickHost(u"h2"_s, {u"qwen3-8b"_s})});
        h->host(u"h1"_s)->goDown();
        QTRY_VERIFY(h->ingest()->fleet()->host(u"h1"_s)->liveness != Liveness::Connected);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(h->post(u"/v1/chat/completions"_s, chatBody(u"auto"_s)).header("x-boo-host"), "h2"_ba);
        const auto r = h->post(u"/v1/chat/completions"_s, chatBody(u"h1/qwen3-8b"_s));
        QCOMPARE(r.status, 503);
        QVERIFY(r.error().value(u"message"_s).toString().contains(u"the host is"_s));
    }
};

QTEST_GUILESS_MAIN(TestGatewayRouting)
#include "tst_gatewayrouting.moc"
