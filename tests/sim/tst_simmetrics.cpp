#include "simtestsupport.h"

#include "core/sim/gotime.h"
#include "core/sim/simhost.h"
#include "core/sim/simperfmonitor.h"

using namespace Qt::StringLiterals;
using namespace boo;
using namespace simtest;

// What a simulated host records and measures: activity paging, stats, captures, performance
// samples, and bulk internal traffic.
class TestSimMetrics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void captureRoundTrip();
    void activityPagingAndValidation();
    void statsShape();
    void performanceWatermark();
    void performanceDisabled();
    void perfFollowsLoad();
    void internalTraffic();

private:
    void startHost(SimHostConfig config);
    quint16 port() const { return m_host->port(); }

    std::unique_ptr<SimHost> m_host;
    std::unique_ptr<QNetworkAccessManager> m_nam;
};

void TestSimMetrics::init()
{
    m_nam = std::make_unique<QNetworkAccessManager>();
    startHost(fixtureHost());
}

void TestSimMetrics::cleanup()
{
    m_nam.reset();
    m_host.reset();
}

void TestSimMetrics::startHost(SimHostConfig config)
{
    m_host = std::make_unique<SimHost>(std::move(config));
    const Result<void> started = m_host->start();
    QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().message));
}

void TestSimMetrics::captureRoundTrip()
{
    const QByteArray body = chatBody(u"qwen3"_s, true, 6);
    const Reply r = post(*m_nam, port(), u"/v1/chat/completions"_s, body, {{"Authorization"_ba, "Bearer k"_ba}});
    QCOMPARE(r.status, 200);
    const Reply c = get(*m_nam, port(), u"/api/captures/1"_s);
    QCOMPARE(c.status, 200);
    QCOMPARE(c.header("Content-Type"), "application/json"_ba);
    QVERIFY(c.body.endsWith("}")); // no trailing newline here
    const QJsonObject fx = QJsonDocument::fromJson(fixture(u"api-capture.json"_s)).object();
    const QStringList diffs = shapeDifferences(
        c.object(), fx, u"capture"_s, {u"Accept"_s, u"Accept-Encoding"_s, u"X-Session-Id"_s, u"Accept-Language"_s, u"Connection"_s});
    QVERIFY2(diffs.isEmpty(), qPrintable(diffs.join(u'\n')));
    const QJsonObject cap = c.object();
    QCOMPARE(cap.value(u"id"_s).toInt(), 1);
    QCOMPARE(QByteArray::fromBase64(cap.value(u"req_body"_s).toString().toLatin1()), body);
    QCOMPARE(QByteArray::fromBase64(cap.value(u"resp_body"_s).toString().toLatin1()), r.body);
    QCOMPARE(cap.value(u"req_headers"_s).toObject().value(u"Authorization"_s).toString(), u"[REDACTED]"_s);
    QCOMPARE(cap.value(u"resp_headers"_s).toObject().value(u"Content-Type"_s).toString(), u"text/event-stream"_s);

    // A non-200 answer keeps the request but no response body.
    post(*m_nam, port(), u"/v1/chat/completions"_s, chatBody(u"no-such-model"_s, false));
    const QJsonObject failed = get(*m_nam, port(), u"/api/captures/2"_s).object();
    QVERIFY(failed.value(u"resp_body"_s).isNull());
    QVERIFY(failed.value(u"req_body"_s).isString());

    const Reply bad = get(*m_nam, port(), u"/api/captures/abc"_s);
    QCOMPARE(bad.status, 400);
    QCOMPARE(bad.object().value(u"error"_s).toObject().value(u"message"_s).toString(), u"invalid capture ID"_s);
    const Reply gone = get(*m_nam, port(), u"/api/captures/99"_s);
    QCOMPARE(gone.status, 404);
    QCOMPARE(gone.body,
             "{\"src\":\"llama-swap\",\"error\":{\"message\":\"capture not found\",\"type\":\"invalid_request_error\","
             "\"param\":null,\"code\":\"not_found\"}}"_ba);
}

void TestSimMetrics::activityPagingAndValidation()
{
    SimTrafficSpec spec;
    spec.count = 30;
    spec.model = u"gpt-oss-20b"_s;
    m_host->generateTraffic(spec);
    QTRY_COMPARE_WITH_TIMEOUT(m_host->activity().size(), 30, 10000);

    QJsonObject page = get(*m_nam, port(), u"/api/metrics/activity?min_id=11&max_id=20&sort=id&order=asc&limit=999"_s).object();
    QCOMPARE(page.value(u"total"_s).toInt(), 10);
    QCOMPARE(page.value(u"data"_s).toArray().first().toObject().value(u"id"_s).toInt(), 11);
    QCOMPARE(page.value(u"data"_s).toArray().last().toObject().value(u"id"_s).toInt(), 20);

    page = get(*m_nam, port(), u"/api/metrics/activity?limit=7&page=5"_s).object();
    QCOMPARE(page.value(u"page"_s).toInt(), 5);
    QCOMPARE(page.value(u"limit"_s).toInt(), 7);
    QCOMPARE(page.value(u"total"_s).toInt(), 30);
    QCOMPARE(page.value(u"total_pages"_s).toInt(), 5);
    QCOMPARE(page.value(u"data"_s).toArray().size(), 2);
    QCOMPARE(page.value(u"data"_s).toArray().first().toObject().value(u"id"_s).toInt(), 2); // id desc

    const Reply beyond = get(*m_nam, port(), u"/api/metrics/activity?page=99"_s);
    QVERIFY(beyond.body.startsWith("{\"data\":[],\"page\":99,"));
    const Reply none = get(*m_nam, port(), u"/api/metrics/activity?model=nobody"_s);
    QVERIFY(none.body.endsWith("\"total\":0,\"total_pages\":0}\n"));

    const Reply limit = get(*m_nam, port(), u"/api/metrics/activity?limit=0"_s);
    QCOMPARE(limit.status, 400);
    QCOMPARE(limit.header("Content-Type"), "application/json"_ba);
    QCOMPARE(limit.body,
             "{\"src\":\"llama-swap\",\"error\":{\"message\":\"limit must be between 1 and 999\","
             "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"bad_request\"}}"_ba);
    const Reply plain = get(*m_nam, port(), u"/api/metrics/activity?min_id=0"_s, {{"Accept"_ba, "text/plain"_ba}});
    QCOMPARE(plain.status, 400);
    QCOMPARE(plain.body, "llama-swap: min_id must be >= 1"_ba);
    // A raw '+' in the offset is a space to Go: 400. Encoded, it works.
    QCOMPARE(get(*m_nam, port(), u"/api/metrics/activity?start=2026-01-01T00:00:00+02:00"_s).status, 400);
    const QByteArray newest = GoTime::rfc3339(GoTime::nowNs() + 5000000000LL, 7200, false);
    const Reply upTo = get(*m_nam, port(), u"/api/metrics/activity?end="_s + encoded(newest));
    QCOMPARE(upTo.status, 200);
    QCOMPARE(upTo.object().value(u"total"_s).toInt(), 30);
}

void TestSimMetrics::statsShape()
{
    SimTrafficSpec spec;
    spec.count = 40;
    spec.model = u"qwen3-30b-a3b"_s;
    m_host->generateTraffic(spec);
    QTRY_COMPARE_WITH_TIMEOUT(m_host->activity().size(), 40, 10000);
    const Reply r = get(*m_nam, port(), u"/api/metrics/stats"_s);
    QCOMPARE(r.status, 200);
    const QStringList diffs = shapeDifferences(r.object(), QJsonDocument::fromJson(fixture(u"api-metrics-stats.json"_s)).object());
    QVERIFY2(diffs.isEmpty(), qPrintable(diffs.join(u'\n')));
    QCOMPARE(r.object().value(u"total_requests"_s).toInt(), 40);
    QCOMPARE(get(*m_nam, port(), u"/api/metrics/stats?model=gpt-oss-20b"_s).body,
             "{\"total_requests\":0,\"total_input_tokens\":0,\"total_output_tokens\":0,\"total_cache_tokens\":0,"
             "\"prompt_histogram\":null,\"gen_histogram\":null}\n"_ba);
}

void TestSimMetrics::performanceWatermark()
{
    SimHostConfig c = fixtureHost();
    c.perfIntervalMs = 600000; // samples only when the test asks
    c.gpus = {SimGpuConfig{}, SimGpuConfig{}};
    startHost(c);
    QCOMPARE(get(*m_nam, port(), u"/api/performance"_s).body, "{\"enabled\":true,\"gpu_stats\":null,\"sys_stats\":null}\n"_ba);
    m_host->perf()->sampleNow();
    QTest::qWait(5);
    m_host->perf()->sampleNow();

    const Reply all = get(*m_nam, port(), u"/api/performance"_s);
    QCOMPARE(all.status, 200);
    const QStringList diffs = shapeDifferences(all.object(), QJsonDocument::fromJson(fixture(u"api-performance.json"_s)).object());
    QVERIFY2(diffs.isEmpty(), qPrintable(diffs.join(u'\n')));
    const QJsonArray sys = all.object().value(u"sys_stats"_s).toArray();
    QCOMPARE(sys.size(), 2);
    QCOMPARE(all.object().value(u"gpu_stats"_s).toArray().size(), 4); // one snapshot per GPU per tick
    const QString firstTs = sys.at(0).toObject().value(u"timestamp"_s).toString();
    const QString lastTs = sys.at(1).toObject().value(u"timestamp"_s).toString();
    QVERIFY(firstTs.endsWith(u"+02:00"_s));

    const Reply after = get(*m_nam, port(), u"/api/performance?after="_s + encoded(firstTs.toLatin1()));
    QCOMPARE(after.object().value(u"sys_stats"_s).toArray().size(), 1); // strictly later
    QCOMPARE(after.object().value(u"sys_stats"_s).toArray().at(0).toObject().value(u"timestamp"_s).toString(), lastTs);
    QCOMPARE(after.object().value(u"gpu_stats"_s).toArray().size(), 4); // GPU samples come just after sys ones
    const Reply caughtUp
        = get(*m_nam, port(),
              u"/api/performance?after="_s
                  + encoded(all.object().value(u"gpu_stats"_s).toArray().last().toObject().value(u"timestamp"_s).toString().toLatin1()));
    QCOMPARE(caughtUp.body, "{\"enabled\":true,\"gpu_stats\":[],\"sys_stats\":[]}\n"_ba);
    // Go compares any year up to 9999: a time past every sample (even past 2262, where
    // nanoseconds since 1970 overflow) is simply later, not invalid.
    const Reply farFuture = get(*m_nam, port(), u"/api/performance?after=9999-12-31T23:59:59Z"_s);
    QCOMPARE(farFuture.body, "{\"enabled\":true,\"gpu_stats\":[],\"sys_stats\":[]}\n"_ba);
    const Reply farPast = get(*m_nam, port(), u"/api/performance?after=1000-01-01T00:00:00Z"_s);
    QCOMPARE(farPast.object().value(u"sys_stats"_s).toArray().size(), 2);
    const Reply raw = get(*m_nam, port(), u"/api/performance?after="_s + lastTs);
    QCOMPARE(raw.status, 400);
    QCOMPARE(raw.object().value(u"error"_s).toObject().value(u"message"_s).toString(), u"invalid 'after' timestamp, use RFC3339 format"_s);
}

void TestSimMetrics::performanceDisabled()
{
    SimHostConfig c = fixtureHost();
    c.performanceDisabled = true;
    startHost(c);
    const Reply r = get(*m_nam, port(), u"/api/performance"_s);
    QCOMPARE(r.status, 503);
    QCOMPARE(r.body, "{\"enabled\":false}\n"_ba);
}

void TestSimMetrics::perfFollowsLoad()
{
    SimHostConfig c = fixtureHost();
    c.perfIntervalMs = 600000;
    c.models[0].generationTokensPerSecond = 200; // 80 tokens: ~0.4 s of generation
    c.models[0].vramMb = 13000;
    startHost(c);
    m_host->perf()->sampleNow();
    post(*m_nam, port(), u"/v1/chat/completions"_s, chatBody(u"gpt-oss-20b"_s, false, 1));
    auto reply = m_nam->post(request(port(), u"/v1/chat/completions"_s, {{"Content-Type"_ba, "application/json"_ba}}),
                             chatBody(u"gpt-oss-20b"_s, true, 80));
    QTRY_VERIFY_WITH_TIMEOUT(reply->bytesAvailable() > 0, 5000);
    for (int i = 0; i < 4; ++i)
        m_host->perf()->sampleNow(); // utilisation and power move toward the target over samples
    wait(reply);
    const QJsonArray gpus = get(*m_nam, port(), u"/api/performance"_s).object().value(u"gpu_stats"_s).toArray();
    const QJsonObject idle = gpus.first().toObject();
    const QJsonObject busy = gpus.last().toObject();
    QVERIFY(idle.value(u"mem_used_mb"_s).toInt() < 1000);
    QVERIFY(busy.value(u"mem_used_mb"_s).toInt() >= 13000);
    QVERIFY(busy.value(u"gpu_util_pct"_s).toDouble() > 80);
    QVERIFY(busy.value(u"power_draw_w"_s).toDouble() > idle.value(u"power_draw_w"_s).toDouble() + 100);
    QVERIFY(busy.value(u"temp_c"_s).toInt() > idle.value(u"temp_c"_s).toInt());
}

void TestSimMetrics::internalTraffic()
{
    SimTrafficSpec spec;
    spec.count = 2500;
    spec.model = u"gpt-oss-20b"_s;
    QElapsedTimer t;
    t.start();
    m_host->generateTraffic(spec);
    QTRY_COMPARE_WITH_TIMEOUT(m_host->activity().lastId(), 2500, 20000);
    qInfo("2500 internal requests in %lld ms", t.elapsed());
    QCOMPARE(m_host->activity().size(), 1000); // metricsMaxInMemory
    QCOMPARE(m_host->activity().rows().front().id, 1501);

    spec.count = 5;
    spec.status = 500;
    spec.stream = false;
    m_host->generateTraffic(spec);
    QTRY_COMPARE_WITH_TIMEOUT(m_host->activity().lastId(), 2505, 5000);
    QCOMPARE(m_host->activity().rows().back().status, 500);
    QCOMPARE(m_host->activity().rows().back().errorMessage, u"simulated upstream failure"_s);

    spec.status = 429;
    spec.count = 2;
    m_host->generateTraffic(spec);
    QTRY_COMPARE_WITH_TIMEOUT(m_host->activity().lastId(), 2507, 5000);
    QCOMPARE(m_host->activity().rows().back().errorMessage, u"Too many requests"_s);

    spec.status = 200;
    spec.count = 6;
    spec.rate = 30;
    t.restart();
    m_host->generateTraffic(spec);
    QTRY_COMPARE_WITH_TIMEOUT(m_host->activity().lastId(), 2513, 5000);
    QVERIFY2(t.elapsed() >= 150, "rate 30/s: six requests take about 170 ms");
}

QTEST_GUILESS_MAIN(TestSimMetrics)
#include "tst_simmetrics.moc"
