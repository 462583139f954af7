#include "simtestsupport.h"

#include "core/sim/simhost.h"
#include "core/sim/simmodelmanager.h"

using namespace Qt::StringLiterals;
using namespace boo;
using namespace simtest;

class TestSimCompat : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup();

    void routesPerRelease_data();
    void routesPerRelease();
    void errorEnvelope_data();
    void errorEnvelope();
    void v250ActivityIgnoresNewFilters();
    void v235LegacyMetrics();
    void v235EventStream();
    void v235ReloadResetsMetrics();
    void v235ModelsWithoutLlamaSwapMeta();
    void v260LogsLeaveEventStream();
    void v260LogEventsNeedAStream();
    void clientAbortBeforeResponse_data();
    void clientAbortBeforeResponse();
    void v260ReadySinceAndUptime();
    void v260CallerTag();
    void v260GlobalConcurrencyLimit();

private:
    SimHost *start(SimCompat compat, int loadMs = 60, int globalConcurrencyLimit = 0);
    std::unique_ptr<SimHost> m_host;
    QNetworkAccessManager m_nam;
};

void TestSimCompat::cleanup()
{
    m_host.reset();
}

SimHost *TestSimCompat::start(SimCompat compat, int loadMs, int globalConcurrencyLimit)
{
    SimHostConfig c = fastHost(u"compat"_s, {u"model-a"_s, u"model-b"_s});
    c.compat = compat;
    c.globalConcurrencyLimit = globalConcurrencyLimit;
    for (SimModelConfig &m : c.models)
        m.loadMs = loadMs;
    m_host = std::make_unique<SimHost>(c);
    if (!m_host->start().ok())
        return nullptr;
    return m_host.get();
}

void TestSimCompat::routesPerRelease_data()
{
    QTest::addColumn<int>("compat");
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");
    const auto row
        = [](const char *name, SimCompat c, const QString &path, int status) { QTest::newRow(name) << int(c) << path << status; };
    row("current activity", SimCompat::Current, u"/api/metrics/activity"_s, 200);
    row("current legacy metrics", SimCompat::Current, u"/api/metrics"_s, 404);
    row("current models alias", SimCompat::Current, u"/models"_s, 200);
    row("v250 activity", SimCompat::V250, u"/api/metrics/activity"_s, 200);
    row("v250 models alias", SimCompat::V250, u"/models"_s, 200);
    row("v250 hardware", SimCompat::V250, u"/api/hardware"_s, 200);
    row("v235 activity", SimCompat::V235, u"/api/metrics/activity"_s, 404);
    row("v235 stats", SimCompat::V235, u"/api/metrics/stats"_s, 404);
    row("v235 legacy metrics", SimCompat::V235, u"/api/metrics"_s, 200);
    row("v235 models alias", SimCompat::V235, u"/models"_s, 404);
    row("v235 profiles", SimCompat::V235, u"/api/profiles"_s, 404);
    row("v235 performance", SimCompat::V235, u"/api/performance"_s, 200);
    row("current has no log events route", SimCompat::Current, u"/api/events/logs?stream=proxy"_s, 404);
    row("v260 activity", SimCompat::V260, u"/api/metrics/activity"_s, 200);
    row("v260 legacy metrics", SimCompat::V260, u"/api/metrics"_s, 404);
}

void TestSimCompat::routesPerRelease()
{
    QFETCH(int, compat);
    QFETCH(QString, path);
    QFETCH(int, status);
    QVERIFY(start(SimCompat(compat)));
    const Reply r = get(m_nam, m_host->port(), path);
    QCOMPARE(r.status, status);
    if (status == 404)
        QCOMPARE(r.body, "404 page not found\n"_ba); // Go's mux, not llama-swap's envelope
}

void TestSimCompat::errorEnvelope_data()
{
    QTest::addColumn<int>("compat");
    QTest::addColumn<QByteArray>("notFound");
    QTest::addColumn<QByteArray>("shed");
    QTest::newRow("current") << int(SimCompat::Current)
                             << "{\"src\":\"llama-swap\",\"error\":{\"message\":\"no router for requested model\",\"type\":"
                                "\"invalid_request_error\",\"param\":null,\"code\":\"not_found\"}}"_ba
                             << "{\"src\":\"llama-swap\",\"error\":{\"message\":\"Too many requests\",\"type\":\"rate_limit_error\","
                                "\"param\":null,\"code\":\"concurrency_limit\"}}"_ba;
    QTest::newRow("v250") << int(SimCompat::V250) << "{\"src\":\"llama-swap\",\"error\":\"no router for requested model\"}"_ba
                          << "{\"src\":\"llama-swap\",\"error\":\"Too many requests\"}"_ba;
    QTest::newRow("v235") << int(SimCompat::V235) << "{\"src\":\"llama-swap\",\"error\":\"no router for requested model\"}"_ba
                          << "{\"src\":\"llama-swap\",\"error\":\"Too many requests\"}"_ba;
}

void TestSimCompat::errorEnvelope()
{
    QFETCH(int, compat);
    QFETCH(QByteArray, notFound);
    QFETCH(QByteArray, shed);
    QVERIFY(start(SimCompat(compat)));
    const Reply r = post(m_nam, m_host->port(), u"/v1/chat/completions"_s, chatBody(u"nope"_s, false));
    QCOMPARE(r.status, 404);
    QCOMPARE(r.body, notFound);
    const Reply s = post(m_nam, m_host->port(), u"/v1/chat/completions"_s, chatBody(u"model-a"_s, false), {{"X-Sim-Status"_ba, "429"_ba}});
    QCOMPARE(s.status, 429);
    QCOMPARE(s.body, shed);
    QCOMPARE(s.header("Retry-After"), "1"_ba);
    // Both versions of the message land in error_msg the same way.
    QCOMPARE(m_host->activity().rows().back().errorMessage, u"Too many requests"_s);
}

void TestSimCompat::v250ActivityIgnoresNewFilters()
{
    QVERIFY(start(SimCompat::V250));
    SimTrafficSpec spec;
    spec.count = 6;
    spec.model = u"model-a"_s;
    m_host->generateTraffic(spec);
    spec.model = u"model-b"_s;
    spec.count = 4;
    m_host->generateTraffic(spec);
    QTRY_COMPARE_WITH_TIMEOUT(m_host->activity().size(), 10, 10000);
    // min_id/max_id/start/end do not exist yet: page 1 of everything.
    QJsonObject page = get(m_nam, m_host->port(), u"/api/metrics/activity?min_id=5&max_id=5&start=bogus"_s).object();
    QCOMPARE(page.value(u"total"_s).toInt(), 10);
    QCOMPARE(page.value(u"data"_s).toArray().first().toObject().value(u"id"_s).toInt(), 10);
    // Only the first model counts.
    page = get(m_nam, m_host->port(), u"/api/metrics/activity?model=model-b&model=model-a"_s).object();
    QCOMPARE(page.value(u"total"_s).toInt(), 4);
    QCOMPARE(get(m_nam, m_host->port(), u"/api/metrics/activity?limit=0"_s).body,
             "{\"src\":\"llama-swap\",\"error\":\"limit must be between 1 and 999\"}"_ba);
    // The in-flight payload already has the v240 operations.
    RawClient sse(m_host->port());
    sse.send("GET /api/events HTTP/1.1\r\nHost: t\r\n\r\n"_ba);
    QVERIFY(sse.waitFor("\"inflight\""_ba));
    const QList<SseMessage> messages = sseMessages(sse.data());
    QCOMPARE(messages.size(), 6);
    QCOMPARE(messages.at(3).type, u"uiConfig"_s);
    QCOMPARE(messages.at(5).data, "{\"operation\":\"snapshot\"}"_ba);
    QVERIFY(get(m_nam, m_host->port(), u"/v1/models"_s).body.contains("\"status\":{\"value\":\"unloaded\"}"));
}

void TestSimCompat::v235LegacyMetrics()
{
    QVERIFY(start(SimCompat::V235));
    // json.Marshal written as it is: no encoder, no trailing newline.
    QCOMPARE(get(m_nam, m_host->port(), u"/api/metrics"_s).body, "[]"_ba);
    SimTrafficSpec spec;
    spec.count = 3;
    spec.model = u"model-a"_s;
    m_host->generateTraffic(spec);
    QTRY_COMPARE_WITH_TIMEOUT(m_host->activity().size(), 3, 10000);
    QVERIFY(get(m_nam, m_host->port(), u"/api/metrics"_s).body.endsWith(']'));
    const QJsonArray rows = get(m_nam, m_host->port(), u"/api/metrics"_s).array();
    QCOMPARE(rows.size(), 3);
    QCOMPARE(rows.at(0).toObject().value(u"id"_s).toInt(), 0); // ids from 0, oldest first
    QCOMPARE(rows.at(2).toObject().value(u"id"_s).toInt(), 2);
    const QString ts = rows.at(0).toObject().value(u"timestamp"_s).toString();
    QVERIFY2(ts.contains(u'.') && ts.endsWith(u'Z'), qPrintable(ts)); // nanoseconds kept
    const QStringList diffs = shapeDifferences(
        rows.at(0), QJsonDocument::fromJson(fixture(u"api-metrics-activity.json"_s)).object().value(u"data"_s).toArray().at(0), u"row"_s,
        {u"error_msg"_s, u"selector"_s});
    QVERIFY2(diffs.isEmpty(), qPrintable(diffs.join(u'\n')));
    QVERIFY(!get(m_nam, m_host->port(), u"/v1/models"_s).body.contains("\"status\""));
    QCOMPARE(get(m_nam, m_host->port(), u"/api/version"_s).object().value(u"version"_s).toString(), u"v235"_s);
}

void TestSimCompat::v235EventStream()
{
    QVERIFY(start(SimCompat::V235));
    SimTrafficSpec spec;
    spec.count = 2;
    spec.model = u"model-a"_s;
    m_host->generateTraffic(spec);
    QTRY_COMPARE_WITH_TIMEOUT(m_host->activity().size(), 2, 10000);

    RawClient sse(m_host->port());
    sse.send("GET /api/events HTTP/1.1\r\nHost: t\r\n\r\n"_ba);
    QVERIFY(sse.waitFor("\"inflight\""_ba));
    QList<SseMessage> messages = sseMessages(sse.data());
    QStringList types;
    for (const SseMessage &m : messages)
        types.append(m.type);
    QCOMPARE(types, QStringList({u"logData"_s, u"logData"_s, u"modelStatus"_s, u"metrics"_s, u"inflight"_s}));
    QCOMPARE(QJsonDocument::fromJson(messages.at(3).data).array().size(), 2); // every row first
    QCOMPARE(messages.at(4).data, "{\"requests\":[]}"_ba);

    const Reply r = post(m_nam, m_host->port(), u"/v1/chat/completions"_s, chatBody(u"model-a"_s, true, 3));
    QCOMPARE(r.status, 200);
    QVERIFY(sse.waitCount("\"metrics\""_ba, 2));
    QVERIFY(sse.waitCount("\"inflight\""_ba, 3));
    messages = sseMessages(sse.data()).mid(5);
    QList<QByteArray> inflight;
    QJsonArray metrics;
    for (const SseMessage &m : messages) {
        if (m.type == u"inflight")
            inflight.append(m.data);
        if (m.type == u"metrics")
            metrics = QJsonDocument::fromJson(m.data).array();
        QVERIFY(m.type != u"activity");
    }
    QCOMPARE(metrics.size(), 1); // one entry per event after the snapshot
    QCOMPARE(metrics.at(0).toObject().value(u"id"_s).toInt(), 2);
    QCOMPARE(inflight.size(), 2); // the whole list on admission and on removal
    const QJsonObject listed = QJsonDocument::fromJson(inflight.at(0)).object();
    const QJsonObject entry = listed.value(u"requests"_s).toArray().at(0).toObject();
    QCOMPARE(QStringList(entry.keys()), QStringList({u"id"_s, u"method"_s, u"model"_s, u"req_path"_s, u"timestamp"_s}));
    QCOMPARE(inflight.at(1), "{\"requests\":[]}"_ba);
}

void TestSimCompat::v235ReloadResetsMetrics()
{
    QVERIFY(start(SimCompat::V235));
    SimTrafficSpec spec;
    spec.count = 3;
    spec.model = u"model-a"_s;
    m_host->generateTraffic(spec);
    QTRY_COMPARE_WITH_TIMEOUT(m_host->activity().size(), 3, 10000);
    m_host->reloadConfig();
    QCOMPARE(get(m_nam, m_host->port(), u"/api/metrics"_s).body, "[]"_ba);
    spec.count = 1;
    m_host->generateTraffic(spec);
    QTRY_COMPARE_WITH_TIMEOUT(m_host->activity().size(), 1, 10000);
    QCOMPARE(m_host->activity().rows().front().id, 0);
}

void TestSimCompat::v235ModelsWithoutLlamaSwapMeta()
{
    QVERIFY(start(SimCompat::V235));
    const QJsonObject model = get(m_nam, m_host->port(), u"/v1/models"_s).object().value(u"data"_s).toArray().at(0).toObject();
    QCOMPARE(model.value(u"id"_s).toString(), u"model-a"_s);
    QVERIFY2(!model.contains(u"meta"_s), QJsonDocument(model).toJson().constData()); // the type block came in v241
    QVERIFY(!model.contains(u"status"_s));
    QVERIFY(start(SimCompat::V250));
    const QJsonObject later = get(m_nam, m_host->port(), u"/v1/models"_s).object().value(u"data"_s).toArray().at(0).toObject();
    QCOMPARE(later.value(u"meta"_s).toObject().value(u"llamaswap"_s).toObject().value(u"type"_s).toString(), u"model"_s);
}

void TestSimCompat::v260LogsLeaveEventStream()
{
    QVERIFY(start(SimCompat::V260));
    QCOMPARE(get(m_nam, m_host->port(), u"/api/version"_s).object().value(u"version"_s).toString(), u"v260"_s);
    RawClient events(m_host->port());
    events.send("GET /api/events HTTP/1.1\r\nHost: t\r\n\r\n"_ba);
    QVERIFY(events.waitFor("\"inflight\""_ba));
    RawClient logs(m_host->port());
    logs.send("GET /api/events/logs?stream=proxy&stream=upstream HTTP/1.1\r\nHost: t\r\n\r\n"_ba);
    QVERIFY(logs.waitCount("logData"_ba, 2));
    RawClient access(m_host->port());
    access.send("GET /api/events/logs?stream=http HTTP/1.1\r\nHost: t\r\n\r\n"_ba);
    QVERIFY(access.waitCount("logData"_ba, 1));

    QCOMPARE(post(m_nam, m_host->port(), u"/v1/chat/completions"_s, chatBody(u"model-a"_s, false, 3)).status, 200);
    QVERIFY(events.waitFor("\"activity\""_ba));
    QVERIFY(logs.waitFor("Health check passed"_ba));
    QVERIFY(access.waitFor("POST /v1/chat/completions"_ba));

    QStringList types;
    for (const SseMessage &m : sseMessages(events.data()))
        types.append(m.type);
    QVERIFY2(!types.contains(u"logData"_s), qPrintable(types.join(u',')));
    QCOMPARE(types.mid(0, 4), QStringList({u"modelStatus"_s, u"uiConfig"_s, u"profileChanged"_s, u"inflight"_s}));

    const QList<SseMessage> logMessages = sseMessages(logs.data());
    QCOMPARE(logMessages.at(0).type, u"logData"_s);
    QCOMPARE(QJsonDocument::fromJson(logMessages.at(0).data).object().value(u"source"_s).toString(), u"proxy"_s);
    QCOMPARE(QJsonDocument::fromJson(logMessages.at(1).data).object().value(u"source"_s).toString(), u"upstream"_s);
    QSet<QString> sources;
    for (const SseMessage &m : logMessages)
        sources.insert(QJsonDocument::fromJson(m.data).object().value(u"source"_s).toString());
    QCOMPARE(sources, QSet<QString>({u"proxy"_s, u"upstream"_s})); // the access log only when asked for
    QVERIFY(!logs.data().contains("POST /v1/chat/completions"));
    for (const SseMessage &m : sseMessages(access.data()))
        QCOMPARE(QJsonDocument::fromJson(m.data).object().value(u"source"_s).toString(), u"http"_s);
}

void TestSimCompat::v260LogEventsNeedAStream()
{
    QVERIFY(start(SimCompat::V260));
    const Reply none = get(m_nam, m_host->port(), u"/api/events/logs"_s);
    QCOMPARE(none.status, 400);
    QVERIFY(none.object().value(u"error"_s).isObject()); // the post-v250 envelope
    QCOMPARE(get(m_nam, m_host->port(), u"/api/events/logs?stream=mux"_s).status, 400);
}

void TestSimCompat::clientAbortBeforeResponse_data()
{
    QTest::addColumn<int>("compat");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("error");
    QTest::addColumn<bool>("capture");
    QTest::newRow("current") << int(SimCompat::Current) << 502 << u"context canceled"_s << true;
    QTest::newRow("v260") << int(SimCompat::V260) << 499 << u"client disconnected before response"_s << false;
}

void TestSimCompat::clientAbortBeforeResponse()
{
    QFETCH(int, compat);
    QFETCH(int, status);
    QFETCH(QString, error);
    QFETCH(bool, capture);
    QVERIFY(start(SimCompat(compat), 600)); // the client leaves while the model loads
    {
        RawClient client(m_host->port());
        const QByteArray body = chatBody(u"model-a"_s, false, 3);
        client.send("POST /v1/chat/completions HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: "
                    + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        QTRY_COMPARE_WITH_TIMEOUT(m_host->models()->waitingRequests(), 1, 5000);
        client.socket().abort();
    }
    QTRY_COMPARE_WITH_TIMEOUT(m_host->activity().size(), 1, 5000);
    const QJsonObject row = get(m_nam, m_host->port(), u"/api/metrics/activity"_s).object().value(u"data"_s).toArray().at(0).toObject();
    QCOMPARE(row.value(u"resp_status_code"_s).toInt(), status);
    QCOMPARE(row.value(u"error_msg"_s).toString(), error);
    QCOMPARE(row.value(u"has_capture"_s).toBool(), capture);
}

void TestSimCompat::v260ReadySinceAndUptime()
{
    for (SimCompat compat : {SimCompat::Current, SimCompat::V260}) {
        QVERIFY(start(compat));
        QCOMPARE(post(m_nam, m_host->port(), u"/v1/chat/completions"_s, chatBody(u"model-a"_s, false, 3)).status, 200);
        QTest::qWait(30);
        const QJsonArray models = QJsonDocument::fromJson(m_host->modelStatusJson()).array();
        const QJsonObject ready = models.at(0).toObject();
        const QJsonObject stopped = models.at(1).toObject();
        QCOMPARE(ready.value(u"state"_s).toString(), u"ready"_s);
        QVERIFY(!stopped.contains(u"readySince"_s) && !stopped.contains(u"uptimeMs"_s));
        if (compat == SimCompat::Current) {
            QVERIFY(!ready.contains(u"readySince"_s) && !ready.contains(u"uptimeMs"_s));
            continue;
        }
        QVERIFY(ready.value(u"readySince"_s).toString().endsWith(u'Z'));
        QVERIFY2(ready.value(u"uptimeMs"_s).toInteger() >= 30, qPrintable(QString::number(ready.value(u"uptimeMs"_s).toInteger())));
    }
}

void TestSimCompat::v260CallerTag()
{
    for (SimCompat compat : {SimCompat::Current, SimCompat::V260}) {
        QVERIFY(start(compat));
        QCOMPARE(post(m_nam, m_host->port(), u"/v1/chat/completions"_s, chatBody(u"model-a"_s, false, 3),
                      {{"X-Forwarded-For"_ba, "10.1.2.3, 192.168.0.1"_ba}})
                     .status,
                 200);
        QTRY_COMPARE_WITH_TIMEOUT(m_host->activity().size(), 1, 5000);
        const QJsonObject row = get(m_nam, m_host->port(), u"/api/metrics/activity"_s).object().value(u"data"_s).toArray().at(0).toObject();
        if (compat == SimCompat::Current)
            QVERIFY(!row.contains(u"src"_s));
        else
            QCOMPARE(row.value(u"src"_s).toString(), u"xff:10.1.2.3"_s);
    }
}

void TestSimCompat::v260GlobalConcurrencyLimit()
{
    QVERIFY(start(SimCompat::V260, 600, 1));
    RawClient sse(m_host->port());
    sse.send("GET /api/events HTTP/1.1\r\nHost: t\r\n\r\n"_ba);
    QVERIFY(sse.waitFor("\"inflight\""_ba));
    const QList<SseMessage> messages = sseMessages(sse.data());
    QCOMPARE(messages.at(1).type, u"uiConfig"_s);
    QCOMPARE(QJsonDocument::fromJson(messages.at(1).data).object().value(u"globalConcurrencyLimit"_s).toInt(), 1);

    QNetworkReply *first = m_nam.post(request(m_host->port(), u"/v1/chat/completions"_s, {{"Content-Type"_ba, "application/json"_ba}}),
                                      chatBody(u"model-a"_s, false, 3));
    QTRY_COMPARE_WITH_TIMEOUT(m_host->models()->waitingRequests(), 1, 5000);
    // Another model, under its own limit of 10, but over the host's limit of 1.
    const Reply second = post(m_nam, m_host->port(), u"/v1/chat/completions"_s, chatBody(u"model-b"_s, false, 3));
    QCOMPARE(second.status, 429);
    QCOMPARE(wait(first).status, 200);
}

QTEST_GUILESS_MAIN(TestSimCompat)
#include "tst_simcompat.moc"
