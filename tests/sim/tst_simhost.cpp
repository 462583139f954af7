#include "simtestsupport.h"

#include "core/sim/simhost.h"
#include "core/sim/siminflighttracker.h"
#include "core/sim/simmodelmanager.h"

using namespace Qt::StringLiterals;
using namespace boo;
using namespace simtest;

class TestSimHost : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void sseFramingMatchesFixtureByteForByte();
    void healthAndNotFound();
    void modelsListShape();
    void runningShape();
    void eventsSnapshot();
    void liveEventsForOneRequest();
    void streamingCompletionAndActivityRow();
    void nonStreamingAndEmbeddings();
    void authentication_data();
    void authentication();
    void corsPreflight();
    void concurrencyLimit();
    void errorNegotiation_data();
    void errorNegotiation();
    void unloadEndpointsBlock();
    void upstreamRedirectAndLoad();
    void logsStreams();
    void inflightCancel();
    void versionAndHardware();
    void scriptedAnswers();

private:
    void startHost(SimHostConfig config);
    quint16 port() const { return m_host->port(); }

    std::unique_ptr<SimHost> m_host;
    std::unique_ptr<QNetworkAccessManager> m_nam;
};

void TestSimHost::init()
{
    m_nam = std::make_unique<QNetworkAccessManager>();
    startHost(fixtureHost());
}

void TestSimHost::cleanup()
{
    m_nam.reset();
    m_host.reset();
}

void TestSimHost::startHost(SimHostConfig config)
{
    m_host = std::make_unique<SimHost>(std::move(config));
    const Result<void> started = m_host->start();
    QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().message));
}

void TestSimHost::sseFramingMatchesFixtureByteForByte()
{
    // Every message of the reference transcript, re-encoded by our framing, must come out
    // identical: double encoding, escaping (<, >, &, quotes, newlines) and line layout.
    const QByteArray transcript = fixture(u"api-events.sse"_s);
    QVERIFY(!transcript.isEmpty());
    const QList<QByteArray> frames = transcript.split('\n');
    int checked = 0;
    for (qsizetype i = 0; i + 1 < frames.size(); ++i) {
        if (!frames.at(i + 1).startsWith("data:"))
            continue;
        QCOMPARE(frames.at(i), "event:message"_ba);
        const QByteArray line = frames.at(i + 1);
        const QJsonObject envelope = QJsonDocument::fromJson(line.mid(5)).object();
        const QByteArray expected = "event:message\n"_ba + line + "\n\n";
        QCOMPARE(SimHost::sseFrame(envelope.value(u"type"_s).toString(), envelope.value(u"data"_s).toString().toUtf8()), expected);
        ++checked;
    }
    QCOMPARE(checked, 21);
}

void TestSimHost::healthAndNotFound()
{
    const Reply health = get(*m_nam, port(), u"/health"_s);
    QCOMPARE(health.status, 200);
    QCOMPARE(health.body, "OK"_ba);
    QCOMPARE(health.header("Content-Type"), "text/plain; charset=utf-8"_ba);

    const Reply missing = get(*m_nam, port(), u"/api/nothing"_s);
    QCOMPARE(missing.status, 404);
    QCOMPARE(missing.body, "404 page not found\n"_ba);
    QVERIFY(missing.header("Content-Type").startsWith("text/plain"));

    const Reply wrongMethod = get(*m_nam, port(), u"/v1/chat/completions"_s);
    QCOMPARE(wrongMethod.status, 405);
    QCOMPARE(wrongMethod.body, "Method Not Allowed\n"_ba);
    QCOMPARE(wrongMethod.header("Allow"), "POST"_ba);
}

void TestSimHost::modelsListShape()
{
    const Reply r = get(*m_nam, port(), u"/v1/models"_s, {{"Origin"_ba, "http://ui.example"_ba}});
    QCOMPARE(r.status, 200);
    QVERIFY(r.body.endsWith("}\n"));
    QCOMPARE(r.header("Access-Control-Allow-Origin"), "http://ui.example"_ba);
    const QJsonObject fx = QJsonDocument::fromJson(fixture(u"v1-models.json"_s)).object();
    const QJsonObject got = r.object();
    QCOMPARE(got.value(u"object"_s).toString(), u"list"_s);
    const QJsonArray data = got.value(u"data"_s).toArray();
    QCOMPARE(data.size(), 2);                                                    // the unlisted reranker is not listed
    QCOMPARE(data.at(0).toObject().value(u"id"_s).toString(), u"gpt-oss-20b"_s); // sorted by id
    const QSet<QString> userMetadata{u"quant"_s};
    QStringList diffs = shapeDifferences(byId(data, u"qwen3-30b-a3b"_s), byId(fx.value(u"data"_s).toArray(), u"qwen3-30b-a3b"_s),
                                         u"qwen3"_s, userMetadata);
    diffs += shapeDifferences(byId(data, u"gpt-oss-20b"_s), byId(fx.value(u"data"_s).toArray(), u"gpt-oss-20b"_s), u"oss"_s);
    QVERIFY2(diffs.isEmpty(), qPrintable(diffs.join(u'\n')));
    const QJsonObject qwen = byId(data, u"qwen3-30b-a3b"_s);
    QCOMPARE(qwen.value(u"architecture"_s).toObject().value(u"modality"_s).toString(), u"text+image->text"_s);
    QVERIFY(r.body.contains("text+image-\\u003etext")); // Go escapes '>'
    QCOMPARE(qwen.value(u"status"_s).toObject().value(u"value"_s).toString(), u"unloaded"_s);
    QCOMPARE(data.at(0).toObject().value(u"created"_s), data.at(1).toObject().value(u"created"_s));
    QCOMPARE(get(*m_nam, port(), u"/models"_s).body.size(), r.body.size()); // alias route
}

void TestSimHost::runningShape()
{
    const Reply idle = get(*m_nam, port(), u"/running"_s);
    QCOMPARE(idle.body, "{\"running\":[]}\n"_ba);
    QCOMPARE(get(*m_nam, port(), u"/upstream/qwen3/"_s).status, 200); // alias loads the real model
    const Reply r = get(*m_nam, port(), u"/running"_s);
    const QJsonArray running = r.object().value(u"running"_s).toArray();
    QCOMPARE(running.size(), 1);
    const QJsonObject fx = QJsonDocument::fromJson(fixture(u"running.json"_s)).object();
    const QStringList diffs = shapeDifferences(r.object(), fx);
    QVERIFY2(diffs.isEmpty(), qPrintable(diffs.join(u'\n')));
    QCOMPARE(running.at(0).toObject().value(u"model"_s).toString(), u"qwen3-30b-a3b"_s);
    QCOMPARE(running.at(0).toObject().value(u"state"_s).toString(), u"ready"_s);
    QCOMPARE(running.at(0).toObject().value(u"ttl"_s).toInt(), 300);
}

void TestSimHost::eventsSnapshot()
{
    m_host->logProxy("INFO", u"<gpt-oss-20b> something & more"_s);
    RawClient sse(port());
    sse.send("GET /api/events HTTP/1.1\r\nHost: t\r\n\r\n"_ba);
    QVERIFY(sse.waitFor("inflight"_ba));
    const QByteArray &raw = sse.data();
    QVERIFY(raw.startsWith("HTTP/1.1 200 OK\r\n"));
    const QByteArray head = raw.left(raw.indexOf("\r\n\r\n") + 2);
    QVERIFY(head.contains("\r\nContent-Type: text/event-stream\r\n"));
    QVERIFY(head.contains("\r\nCache-Control: no-cache\r\n"));
    QVERIFY(head.contains("\r\nConnection: keep-alive\r\n"));
    QVERIFY(head.contains("\r\nX-Content-Type-Options: nosniff\r\n"));
    QVERIFY(head.contains("\r\nX-Accel-Buffering: no\r\n"));
    QVERIFY(head.contains("\r\nTransfer-Encoding: chunked\r\n"));

    const QList<SseMessage> messages = sseMessages(raw);
    QStringList types;
    for (const SseMessage &m : messages)
        types.append(m.type);
    QCOMPARE(types, QStringList({u"logData"_s, u"logData"_s, u"modelStatus"_s, u"uiConfig"_s, u"profileChanged"_s, u"inflight"_s}));
    QVERIFY(messages.at(0).data.contains("\\u003cgpt-oss-20b\\u003e something \\u0026 more"));
    QCOMPARE(QJsonDocument::fromJson(messages.at(0).data).object().value(u"source"_s).toString(), u"proxy"_s);
    QCOMPARE(messages.at(1).data, "{\"data\":\"\",\"source\":\"upstream\"}"_ba);
    QCOMPARE(messages.at(5).data, "{\"operation\":\"snapshot\"}"_ba); // empty list is omitted

    // The body is nothing but whole frames, byte for byte as in the reference.
    const QByteArray body = dechunk(raw.mid(raw.indexOf("\r\n\r\n") + 4));
    QVERIFY(body.startsWith("event:message\ndata:{\"type\":\"logData\",\"data\":\"{"));
    QVERIFY(body.endsWith("\"}\n\n"));
    QCOMPARE(body.count("event:message\ndata:"), 6);
    const QByteArray transcript = fixture(u"api-events.sse"_s);
    for (const char *type : {"uiConfig", "profileChanged"}) {
        const QByteArray marker = "data:{\"type\":\""_ba + type;
        const qsizetype a = transcript.indexOf(marker);
        const QByteArray frame = transcript.mid(a, transcript.indexOf('\n', a) - a);
        QVERIFY2(body.contains(frame), type);
    }
    // modelStatus as in the transcript's first snapshot, minus the peer and with our states.
    QByteArray expected;
    for (const QByteArray &line : transcript.split('\n')) {
        if (line.contains("\"modelStatus\"")) {
            expected = QJsonDocument::fromJson(line.mid(5)).object().value(u"data"_s).toString().toUtf8();
            break;
        }
    }
    expected.replace(",{\"id\":\"gpu-box-2/llama-3.3-70b\",\"name\":\"\",\"description\":\"\",\"state\":\"\",\"unlisted\":false,"
                     "\"peerID\":\"gpu-box-2\"}",
                     "");
    expected.replace("\"state\":\"ready\"", "\"state\":\"stopped\"");
    QCOMPARE(messages.at(2).data, expected);

    // No heartbeat: an idle host sends nothing.
    const qsizetype before = sse.data().size();
    QTest::qWait(300);
    QCOMPARE(sse.data().size(), before);
}

void TestSimHost::liveEventsForOneRequest()
{
    RawClient sse(port());
    sse.send("GET /api/events HTTP/1.1\r\nHost: t\r\n\r\n"_ba);
    QVERIFY(sse.waitFor("\"inflight\""_ba));
    const Reply r = post(*m_nam, port(), u"/v1/chat/completions"_s, chatBody(u"qwen3"_s, true, 40),
                         {{"Authorization"_ba, "Bearer secret"_ba}, {"X-Session-Id"_ba, "sess-7f3a"_ba}});
    QCOMPARE(r.status, 200);
    QVERIFY(sse.waitFor("\\\"operation\\\":\\\"remove\\\""_ba));
    QVERIFY(sse.waitFor("[INFO] Request 127.0.0.1 \\\\\\\"POST /v1/chat/completions HTTP/1.1\\\\\\\" 200"_ba));

    QList<SseMessage> live = sseMessages(sse.data()).mid(6);
    QStringList states;
    QList<QJsonObject> inflight;
    int activityAt = -1, removeAt = -1;
    for (int i = 0; i < live.size(); ++i) {
        const SseMessage &m = live.at(i);
        if (m.type == u"modelStatus") {
            const QString s = byId(QJsonDocument::fromJson(m.data).array(), u"qwen3-30b-a3b"_s).value(u"state"_s).toString();
            if (states.isEmpty() || states.last() != s)
                states.append(s);
        } else if (m.type == u"inflight") {
            const QJsonObject o = QJsonDocument::fromJson(m.data).object();
            if (o.value(u"operation"_s) == u"remove"_s)
                removeAt = i;
            inflight.append(o);
        } else if (m.type == u"activity") {
            QCOMPARE(m.data, "{\"id\":1}"_ba);
            activityAt = i;
        }
    }
    QCOMPARE(states, QStringList({u"starting"_s, u"ready"_s}));
    QVERIFY(activityAt >= 0 && removeAt > activityAt); // activity is emitted before the remove
    QVERIFY(inflight.size() >= 3);
    const QJsonObject first = inflight.first();
    QCOMPARE(first.value(u"operation"_s).toString(), u"upsert"_s);
    const QJsonObject entry = first.value(u"request"_s).toObject();
    QCOMPARE(entry.value(u"id"_s).toString(), u"1"_s);
    QCOMPARE(entry.value(u"model"_s).toString(), u"qwen3-30b-a3b"_s); // alias resolved
    QCOMPARE(entry.value(u"resp_headers"_s).toObject(), QJsonObject());
    QCOMPARE(entry.value(u"resp_bytes"_s).toInt(), 0);
    QCOMPARE(entry.value(u"req_headers"_s).toObject().value(u"Authorization"_s).toString(), u"[REDACTED]"_s);
    QCOMPARE(entry.value(u"req_headers"_s).toObject().value(u"X-Session-Id"_s).toString(), u"sess-7f3a"_s);
    QVERIFY(!entry.value(u"req_headers"_s).toObject().contains(u"Host"_s));
    QVERIFY(entry.value(u"timestamp"_s).toString().endsWith(u"+02:00"_s));
    QCOMPARE(inflight.last(), QJsonObject({{u"operation"_s, u"remove"_s}, {u"id"_s, u"1"_s}}));

    // Shape of an entry as in the transcript's upsert.
    const QByteArray transcript = fixture(u"api-events.sse"_s);
    QJsonObject fxEntry;
    for (const QByteArray &line : transcript.split('\n')) {
        if (line.contains("\\\"operation\\\":\\\"upsert\\\"")) {
            const QByteArray data = QJsonDocument::fromJson(line.mid(5)).object().value(u"data"_s).toString().toUtf8();
            fxEntry = QJsonDocument::fromJson(data).object();
            break;
        }
    }
    const QStringList diffs = shapeDifferences(first, fxEntry, u"upsert"_s,
                                               {u"Accept"_s, u"Accept-Encoding"_s, u"Content-Length"_s, u"Content-Type"_s, u"User-Agent"_s,
                                                u"X-Session-Id"_s, u"Authorization"_s, u"Accept-Language"_s, u"Connection"_s});
    QVERIFY2(diffs.isEmpty(), qPrintable(diffs.join(u'\n')));
    // Headers written -> an upsert with the upstream's response headers.
    bool sawHeaders = false;
    for (const QJsonObject &o : inflight) {
        const QJsonObject h = o.value(u"request"_s).toObject().value(u"resp_headers"_s).toObject();
        sawHeaders = sawHeaders || h.value(u"Content-Type"_s).toString() == u"text/event-stream"_s;
    }
    QVERIFY(sawHeaders);
}

void TestSimHost::streamingCompletionAndActivityRow()
{
    const Reply first = post(*m_nam, port(), u"/v1/chat/completions"_s, chatBody(u"qwen3-30b-a3b"_s, true, 12));
    const Reply r = post(*m_nam, port(), u"/v1/chat/completions"_s, chatBody(u"qwen3-30b-a3b"_s, true, 12));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("Content-Type"), "text/event-stream"_ba);
    QCOMPARE(r.header("Server"), "llama.cpp"_ba);
    QVERIFY(
        r.body.startsWith("data: {\"choices\":[{\"finish_reason\":null,\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null}}]"));
    QVERIFY(r.body.endsWith("\n\ndata: [DONE]\n\n"));
    QCOMPARE(r.body.count("data: "), 1 + 12 + 1 + 1);
    const QList<QByteArray> events = r.body.split('\n');
    QJsonObject last;
    for (const QByteArray &line : events) {
        if (line.startsWith("data: {"))
            last = QJsonDocument::fromJson(line.mid(6)).object();
    }
    const QJsonObject timings = last.value(u"timings"_s).toObject();
    const QJsonObject usage = last.value(u"usage"_s).toObject();
    QCOMPARE(timings.value(u"predicted_n"_s).toInt(), 12);
    QCOMPARE(usage.value(u"completion_tokens"_s).toInt(), 12);
    QCOMPARE(usage.value(u"prompt_tokens"_s).toInt(), timings.value(u"prompt_n"_s).toInt() + timings.value(u"cache_n"_s).toInt());
    QVERIFY(timings.value(u"cache_n"_s).toInt() > 0); // second request: warm cache
    QVERIFY(timings.contains(u"draft_n"_s) && timings.contains(u"draft_n_accepted"_s));

    const Reply page = get(*m_nam, port(), u"/api/metrics/activity?min_id=2&max_id=2"_s);
    QCOMPARE(page.status, 200);
    QVERIFY(page.body.endsWith("\n"));
    const QJsonObject fx = QJsonDocument::fromJson(fixture(u"api-metrics-activity.json"_s)).object();
    const QStringList diffs = shapeDifferences(page.object(), fx, u"page"_s, {u"error_msg"_s, u"selector"_s});
    QVERIFY2(diffs.isEmpty(), qPrintable(diffs.join(u'\n')));
    const QJsonObject row = page.object().value(u"data"_s).toArray().at(0).toObject();
    const QJsonObject tokens = row.value(u"tokens"_s).toObject();
    QCOMPARE(row.value(u"id"_s).toInt(), 2);
    QCOMPARE(tokens.value(u"input_tokens"_s).toInt(), timings.value(u"prompt_n"_s).toInt());
    QCOMPARE(tokens.value(u"cache_tokens"_s).toInt(), timings.value(u"cache_n"_s).toInt());
    QCOMPARE(tokens.value(u"output_tokens"_s).toInt(), 12);
    QCOMPARE(tokens.value(u"tokens_per_second"_s).toDouble(), timings.value(u"predicted_per_second"_s).toDouble());
    QCOMPARE(tokens.value(u"draft_tokens"_s).toInt(), timings.value(u"draft_n"_s).toInt());
    QCOMPARE(row.value(u"resp_content_type"_s).toString(), u"text/event-stream"_s);
    QVERIFY(row.value(u"has_capture"_s).toBool());
    QCOMPARE(row.value(u"metadata"_s).toObject().value(u"fifo_priority"_s).toString(), u"0"_s);
    const QString ts = row.value(u"timestamp"_s).toString();
    QVERIFY2(QRegularExpression(u"^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+02:00$"_s).match(ts).hasMatch(), qPrintable(ts));
    QCOMPARE(first.status, 200);
}

void TestSimHost::nonStreamingAndEmbeddings()
{
    const Reply chat = post(*m_nam, port(), u"/v1/chat/completions"_s, chatBody(u"gpt-oss-20b"_s, false, 5));
    QCOMPARE(chat.status, 200);
    QCOMPARE(chat.header("Content-Type"), "application/json; charset=utf-8"_ba);
    const QJsonObject o = chat.object();
    QCOMPARE(o.value(u"object"_s).toString(), u"chat.completion"_s);
    QCOMPARE(o.value(u"usage"_s).toObject().value(u"completion_tokens"_s).toInt(), 5);
    QVERIFY(!o.value(u"choices"_s).toArray().at(0).toObject().value(u"message"_s).toObject().value(u"content"_s).toString().isEmpty());

    const Reply emb = post(*m_nam, port(), u"/v1/embeddings"_s, "{\"model\":\"bge-reranker\",\"input\":\"hello world\"}"_ba);
    QCOMPARE(emb.status, 200);
    QCOMPARE(emb.object().value(u"data"_s).toArray().at(0).toObject().value(u"embedding"_s).toArray().size(), 16);
    const QJsonObject row = get(*m_nam, port(), u"/api/metrics/activity?limit=1"_s).object().value(u"data"_s).toArray().at(0).toObject();
    QCOMPARE(row.value(u"req_path"_s).toString(), u"/v1/embeddings"_s);
    const QJsonObject tokens = row.value(u"tokens"_s).toObject();
    // usage only: -1 for what was not reported
    QCOMPARE(tokens.value(u"cache_tokens"_s).toInt(), -1);
    QCOMPARE(tokens.value(u"prompt_per_second"_s).toDouble(), -1.0);
    QCOMPARE(tokens.value(u"tokens_per_second"_s).toDouble(), -1.0);
    QCOMPARE(tokens.value(u"output_tokens"_s).toInt(), 0);
    QVERIFY(tokens.value(u"input_tokens"_s).toInt() > 0);

    // A chat model's llama-server was started without --embeddings: 501, passed through.
    const Reply refused = post(*m_nam, port(), u"/v1/embeddings"_s, "{\"model\":\"gpt-oss-20b\",\"input\":\"hello\"}"_ba);
    QCOMPARE(refused.status, 501);
    QCOMPARE(refused.object().value(u"error"_s).toObject().value(u"type"_s).toString(), u"not_supported_error"_s);
    const QJsonObject refusedRow
        = get(*m_nam, port(), u"/api/metrics/activity?limit=1"_s).object().value(u"data"_s).toArray().at(0).toObject();
    QCOMPARE(refusedRow.value(u"resp_status_code"_s).toInt(), 501);
    QVERIFY(refusedRow.value(u"error_msg"_s).toString().contains(u"--embeddings"_s));
}

void TestSimHost::authentication_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<int>("status");
    const QByteArray basic = "Basic " + QByteArray("anyone:k-123").toBase64();
    QTest::newRow("health is open") << u"/health"_s << QByteArray() << QByteArray() << 200;
    QTest::newRow("no key") << u"/v1/models"_s << QByteArray() << QByteArray() << 401;
    QTest::newRow("bearer") << u"/v1/models"_s << "Authorization"_ba
                            << "Bearer k-123"_ba << 200;
    QTest::newRow("basic password") << u"/api/version"_s << "Authorization"_ba << basic << 200;
    QTest::newRow("x-api-key") << u"/running"_s << "X-Api-Key"_ba
                               << "k-123"_ba << 200;
    QTest::newRow("wrong bearer") << u"/running"_s << "Authorization"_ba
                                  << "Bearer nope"_ba << 401;
    QTest::newRow("basic user is not the key") << u"/running"_s << "Authorization"_ba
                                               << "Basic " + QByteArray("k-123:").toBase64() << 401;
    QTest::newRow("events need a key too") << u"/api/events"_s << QByteArray() << QByteArray() << 401;
    QTest::newRow("redirect root is open") << u"/"_s << QByteArray() << QByteArray() << 302;
    // Auth is middleware on each route: the mux answers an unknown path before any key is asked.
    QTest::newRow("unknown path: the router's 404") << u"/no/such/route"_s << QByteArray() << QByteArray() << 404;
    QTest::newRow("known path, wrong method: 405") << u"/v1/chat/completions"_s << QByteArray() << QByteArray() << 405;
}

void TestSimHost::authentication()
{
    QFETCH(QString, path);
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, value);
    QFETCH(int, status);
    SimHostConfig c = fixtureHost();
    c.apiKeys = {u"k-123"_s};
    startHost(c);
    QList<std::pair<QByteArray, QByteArray>> headers;
    if (!header.isEmpty())
        headers.append({header, value});
    const Reply r = get(*m_nam, port(), path, headers);
    QCOMPARE(r.status, status);
    if (status == 404)
        QCOMPARE(r.body, "404 page not found\n"_ba);
    if (status == 401) {
        QCOMPARE(r.header("WWW-Authenticate"), "Basic realm=\"llama-swap\""_ba);
        QCOMPARE(r.body,
                 "{\"src\":\"llama-swap\",\"error\":{\"message\":\"unauthorized: invalid or missing API key\","
                 "\"type\":\"authentication_error\",\"param\":null,\"code\":\"unauthorized\"}}"_ba);
    }
}

void TestSimHost::corsPreflight()
{
    SimHostConfig c = fixtureHost();
    c.apiKeys = {u"k"_s};
    startHost(c);
    const Reply r = wait(m_nam->sendCustomRequest(
        request(port(), u"/v1/chat/completions"_s, {{"Access-Control-Request-Headers"_ba, "authorization, x-custom"_ba}}), "OPTIONS"));
    QCOMPARE(r.status, 204);
    QCOMPARE(r.header("Access-Control-Allow-Origin"), "*"_ba);
    QCOMPARE(r.header("Access-Control-Allow-Methods"), "GET, POST, PUT, PATCH, DELETE, OPTIONS"_ba);
    QCOMPARE(r.header("Access-Control-Allow-Headers"), "authorization, x-custom"_ba);
    QCOMPARE(r.header("Access-Control-Max-Age"), "86400"_ba);
}

void TestSimHost::concurrencyLimit()
{
    SimHostConfig c = fixtureHost();
    c.models[0].concurrencyLimit = 1;
    c.models[0].generationTokensPerSecond = 100;
    startHost(c);
    QNetworkReply *busy = m_nam->post(request(port(), u"/v1/chat/completions"_s, {{"Content-Type"_ba, "application/json"_ba}}),
                                      chatBody(u"gpt-oss-20b"_s, true, 40));
    QTRY_COMPARE_WITH_TIMEOUT(m_host->models()->activeRequests(u"gpt-oss-20b"_s), 1, 5000);
    const Reply shed = post(*m_nam, port(), u"/v1/chat/completions"_s, chatBody(u"gpt-oss-20b"_s, true), {{"Accept"_ba, "text/plain"_ba}});
    QCOMPARE(shed.status, 429);
    QCOMPARE(shed.header("Retry-After"), "1"_ba);
    QCOMPARE(shed.header("Content-Type"), "application/json"_ba); // JSON whatever Accept says
    QCOMPARE(shed.body,
             "{\"src\":\"llama-swap\",\"error\":{\"message\":\"Too many requests\",\"type\":\"rate_limit_error\","
             "\"param\":null,\"code\":\"concurrency_limit\"}}"_ba);
    QCOMPARE(wait(busy).status, 200);
    const QJsonArray rows = get(*m_nam, port(), u"/api/metrics/activity?sort=id&order=asc"_s).object().value(u"data"_s).toArray();
    QCOMPARE(rows.size(), 2);
    const QJsonObject shedRow = rows.at(0).toObject();
    QCOMPARE(shedRow.value(u"resp_status_code"_s).toInt(), 429);
    QCOMPARE(shedRow.value(u"error_msg"_s).toString(), u"Too many requests"_s);
    QCOMPARE(shedRow.value(u"tokens"_s).toObject().value(u"cache_tokens"_s).toInt(), 0); // nothing parsed: 0, not -1
    QVERIFY(!shedRow.contains(u"metadata"_s));
}

void TestSimHost::errorNegotiation_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("accept");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<int>("rows");
    QTest::newRow("no model, json") << "{\"messages\":[]}"_ba << QByteArray() << 404 << "application/json"_ba
                                    << "{\"src\":\"llama-swap\",\"error\":{\"message\":\"no model id could be identified\","
                                       "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"not_found\"}}"_ba
                                    << 0;
    QTest::newRow("unknown model, text") << "{\"model\":\"nope\"}"_ba
                                         << "text/plain"_ba << 404 << "text/plain"_ba
                                         << "llama-swap: no router for requested model"_ba << 1;
    QTest::newRow("unknown model, html") << "{\"model\":\"a<b\"}"_ba
                                         << "text/html"_ba << 404 << "text/html"_ba
                                         << "<html><body><h1>llama-swap</h1><p>no router for requested model</p></body></html>"_ba << 1;
}

void TestSimHost::errorNegotiation()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, accept);
    QFETCH(int, status);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, expected);
    QFETCH(int, rows);
    QList<std::pair<QByteArray, QByteArray>> headers;
    if (!accept.isEmpty())
        headers.append({"Accept"_ba, accept});
    const Reply r = post(*m_nam, port(), u"/v1/chat/completions"_s, body, headers);
    QCOMPARE(r.status, status);
    QCOMPARE(r.header("Content-Type"), contentType);
    QCOMPARE(r.body, expected);
    QCOMPARE(m_host->activity().size(), rows);
    if (rows) {
        const SimActivityRow &row = m_host->activity().rows().back();
        QCOMPARE(row.status, 404);
        // The recorder reads the message from the body; a text body yields the status text.
        QCOMPARE(row.errorMessage, accept.isEmpty() ? u"no router for requested model"_s : u"404 Not Found"_s);
    }
}

void TestSimHost::unloadEndpointsBlock()
{
    QCOMPARE(get(*m_nam, port(), u"/upstream/gpt-oss-20b/"_s).status, 200);
    QCOMPARE(m_host->models()->state(u"gpt-oss-20b"_s), SimModelState::Ready);
    QElapsedTimer t;
    t.start();
    const Reply r = post(*m_nam, port(), u"/api/models/unload"_s, {});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, "{\"msg\":\"ok\"}\n"_ba);
    QCOMPARE(m_host->models()->state(u"gpt-oss-20b"_s), SimModelState::Stopped); // answered only once stopped
    QVERIFY(t.elapsed() >= 25);

    QCOMPARE(get(*m_nam, port(), u"/upstream/qwen3/"_s).status, 200);
    const Reply one = post(*m_nam, port(), u"/api/models/unload/qwen3"_s, {});
    QCOMPARE(one.status, 200);
    QCOMPARE(one.body, "OK"_ba);
    QCOMPARE(m_host->models()->state(u"qwen3-30b-a3b"_s), SimModelState::Stopped);
    QCOMPARE(post(*m_nam, port(), u"/api/models/unload/qwen3-30b-a3b"_s, {}).body, "OK"_ba); // not running: no-op
    const Reply unknown = post(*m_nam, port(), u"/api/models/unload/nope"_s, {});
    QCOMPARE(unknown.status, 404);
    QCOMPARE(unknown.object().value(u"error"_s).toObject().value(u"message"_s).toString(), u"model not found"_s);
    const Reply all = get(*m_nam, port(), u"/unload"_s);
    QCOMPARE(all.body, "OK"_ba);
}

void TestSimHost::upstreamRedirectAndLoad()
{
    const Reply redirect = get(*m_nam, port(), u"/upstream/gpt-oss-20b?_=123"_s);
    QCOMPARE(redirect.status, 301);
    QCOMPARE(redirect.header("Location"), "/upstream/gpt-oss-20b/?_=123"_ba);
    const Reply post308 = post(*m_nam, port(), u"/upstream/gpt-oss-20b"_s, {});
    QCOMPARE(post308.status, 308);

    const Reply early = get(*m_nam, port(), u"/upstream/gpt-oss-20b/app.js"_s);
    QCOMPARE(early.status, 409);
    QCOMPARE(early.object().value(u"error"_s).toObject().value(u"message"_s).toString(),
             u"model gpt-oss-20b is not loaded; path matches upstream.ignorePaths"_s);

    QElapsedTimer t;
    t.start();
    const Reply load = get(*m_nam, port(), u"/upstream/gpt-oss-20b/"_s);
    QCOMPARE(load.status, 200);
    QVERIFY(load.header("Content-Type").startsWith("text/html"));
    QVERIFY(t.elapsed() >= 50); // blocked while loading
    QCOMPARE(m_host->models()->state(u"gpt-oss-20b"_s), SimModelState::Ready);
    QCOMPARE(get(*m_nam, port(), u"/upstream/gpt-oss-20b/health"_s).body, "{\"status\":\"ok\"}"_ba);
    QCOMPARE(get(*m_nam, port(), u"/upstream/unknown/"_s).status, 404);

    // An inference route through /upstream is tracked with the stripped path.
    const Reply chat = post(*m_nam, port(), u"/upstream/gpt-oss-20b/v1/chat/completions"_s, chatBody(u"gpt-oss-20b"_s, false, 2));
    QCOMPARE(chat.status, 200);
    QCOMPARE(m_host->activity().rows().back().reqPath, u"/v1/chat/completions"_s);
}

void TestSimHost::logsStreams()
{
    const Reply bad = get(*m_nam, port(), u"/logs/stream/nobody"_s);
    QCOMPARE(bad.status, 400);
    QCOMPARE(bad.body, "invalid logger. Use 'proxy', 'upstream' or a model's ID\n"_ba);

    get(*m_nam, port(), u"/health"_s);
    RawClient mux(port());
    mux.send("GET /logs/stream HTTP/1.1\r\nHost: t\r\n\r\n"_ba);
    QVERIFY(mux.waitFor("\"GET /health HTTP/1.1\" 200 2"_ba)); // history first
    QVERIFY(mux.data().contains("Content-Type: text/plain\r\n"));
    RawClient fresh(port());
    fresh.send("GET /logs/stream/upstream?no-history HTTP/1.1\r\nHost: t\r\n\r\n"_ba);
    RawClient model(port());
    model.send("GET /logs/stream/qwen3 HTTP/1.1\r\nHost: t\r\n\r\n"_ba);
    QVERIFY(fresh.waitFor("\r\n\r\n"_ba) && model.waitFor("\r\n\r\n"_ba));

    post(*m_nam, port(), u"/v1/chat/completions"_s, chatBody(u"gpt-oss-20b"_s, false, 2));
    QVERIFY(mux.waitFor("\"POST /v1/chat/completions HTTP/1.1\" 200"_ba)); // live access line
    QVERIFY(fresh.waitFor("server is listening on http://127.0.0.1:"_ba));
    QVERIFY(fresh.waitFor("prompt eval time ="_ba));
    QVERIFY(!dechunk(fresh.data().mid(fresh.data().indexOf("\r\n\r\n") + 4)).contains("[INFO]"));
    QTest::qWait(50);
    QVERIFY(!model.data().contains("server is listening")); // another model's output stays apart

    const Reply logs = get(*m_nam, port(), u"/logs"_s);
    QVERIFY(logs.body.contains("[INFO] <gpt-oss-20b> Health check passed"));
    QVERIFY(!logs.body.contains("prompt eval time")); // /logs shows the proxy lines only
}

void TestSimHost::inflightCancel()
{
    SimHostConfig c = fixtureHost();
    c.models[0].generationTokensPerSecond = 50;
    startHost(c);
    QNetworkReply *reply = m_nam->post(request(port(), u"/v1/chat/completions"_s, {{"Content-Type"_ba, "application/json"_ba}}),
                                       chatBody(u"gpt-oss-20b"_s, true, 200));
    QTRY_VERIFY_WITH_TIMEOUT(reply->bytesAvailable() > 0, 5000);
    QCOMPARE(post(*m_nam, port(), u"/api/inflight/77/cancel"_s, {}).status, 404);
    const Reply cancel = post(*m_nam, port(), u"/api/inflight/1/cancel"_s, {});
    QCOMPARE(cancel.status, 200);
    QCOMPARE(cancel.body, "{\"msg\":\"ok\"}\n"_ba);
    const Reply done = wait(reply);
    QCOMPARE(done.error, QNetworkReply::NoError); // the body ends properly, just early
    QVERIFY(!done.body.contains("[DONE]"));
    QCOMPARE(m_host->activity().rows().back().status, 200);
    QCOMPARE(m_host->activity().rows().back().outputTokens, 0);
    QCOMPARE(m_host->inflight()->count(), 0);
}

void TestSimHost::versionAndHardware()
{
    const Reply v = get(*m_nam, port(), u"/api/version"_s);
    QCOMPARE(v.body, "{\"build_date\":\"2026-08-22T16:31:02Z\",\"commit\":\"0bdb372\",\"version\":\"v250-5-g0bdb37\"}\n"_ba);
    const Reply hw = get(*m_nam, port(), u"/api/hardware"_s);
    QCOMPARE(hw.status, 200);
    const QStringList diffs = shapeDifferences(hw.object(), QJsonDocument::fromJson(fixture(u"api-hardware.json"_s)).object());
    QVERIFY2(diffs.isEmpty(), qPrintable(diffs.join(u'\n')));
    QCOMPARE(get(*m_nam, port(), u"/api/profiles"_s).body, "{\"active\":null,\"profiles\":[]}\n"_ba);
}

// A model with scripted answers: the first whose text occurs in the last user message wins, an
// empty one matches any prompt, the text comes back exactly, and max_tokens cuts it by words.
void TestSimHost::scriptedAnswers()
{
    SimHostConfig config = fastHost(u"h1"_s, {});
    SimModelConfig m = fastModel(u"scripted"_s);
    m.answers = {{u"add(a, b)"_s, u"def add(a, b):\n    return a + b\n"_s}, {QString(), u"I do not know that one."_s}};
    config.models << m;
    startHost(config);
    const auto ask = [this](const QString &prompt, int maxTokens) {
        QJsonObject body{{u"model"_s, u"scripted"_s},
                         {u"messages"_s,
                          QJsonArray{QJsonObject{{u"role"_s, u"system"_s}, {u"content"_s, u"add(a, b)"_s}},
                                     QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, prompt}}}}};
        if (maxTokens > 0)
            body.insert(u"max_tokens"_s, maxTokens);
        const Reply r = post(*m_nam, port(), u"/v1/chat/completions"_s, QJsonDocument(body).toJson(QJsonDocument::Compact));
        return r.object();
    };
    const auto content = [](const QJsonObject &o) {
        return o.value(u"choices"_s).toArray().at(0).toObject().value(u"message"_s).toObject().value(u"content"_s).toString();
    };
    const QJsonObject add = ask(u"Write add(a, b) in Python."_s, 0);
    QCOMPARE(content(add), u"def add(a, b):\n    return a + b\n"_s);
    QCOMPARE(add.value(u"usage"_s).toObject().value(u"completion_tokens"_s).toInt(),
             7); // "def ", "add(a, ", "b):\n    ", "return ", "a ", "+ ", "b\n"
    QCOMPARE(content(ask(u"Something else"_s, 0)), u"I do not know that one."_s); // the system message is not the prompt
    QCOMPARE(content(ask(u"Something else"_s, 2)), u"I do "_s);
}

QTEST_GUILESS_MAIN(TestSimHost)
#include "tst_simhost.moc"
