#include "core/protocol/activitypage.h"
#include "core/protocol/activitystats.h"
#include "testfixtures.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

class TestActivity : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void currentPageFixture();
    void emptyPage();
    void legacyMetricsArray();
    void sentinels_data();
    void sentinels();
    void statsFixture();
    void statsWithNullHistograms();
    void malformed_data();
    void malformed();
};

void TestActivity::currentPageFixture()
{
    const auto page = ActivityPage::fromJson(readFixture(u"api-metrics-activity.json"_s));
    QVERIFY2(page.ok(), page.ok() ? "" : qPrintable(page.error().message));
    QCOMPARE(page->page, 1);
    QCOMPARE(page->limit, 3);
    QCOMPARE(page->total, 1000);
    QCOMPARE(page->totalPages, 334);
    QCOMPARE(page->data.size(), 3);

    // llama-server streamed row with timings, draft counts and selector metadata.
    const ActivityEntry &streamed = page->data[0];
    QCOMPARE(streamed.id, 1043);
    QCOMPARE(streamed.timestampMs, Q_INT64_C(1787416868000)); // 18:41:08+02:00
    QCOMPARE(streamed.model, u"qwen3-30b-a3b"_s);
    QCOMPARE(streamed.reqPath, u"/v1/chat/completions"_s);
    QCOMPARE(streamed.respContentType, u"text/event-stream"_s);
    QCOMPARE(streamed.respStatusCode, 200);
    QCOMPARE(streamed.cacheTokens, std::optional<qint64>(512));
    QCOMPARE(streamed.draftTokens, std::optional<qint64>(96));
    QCOMPARE(streamed.draftAcceptedTokens, std::optional<qint64>(71));
    QCOMPARE(streamed.inputTokens, std::optional<qint64>(1874));
    QCOMPARE(streamed.outputTokens, std::optional<qint64>(642));
    QCOMPARE(streamed.promptPerSecond, std::optional<double>(2210.4));
    QCOMPARE(streamed.tokensPerSecond, std::optional<double>(87.3));
    QVERIFY(streamed.tokensReported);
    QCOMPARE(streamed.durationMs, 14221);
    QVERIFY(streamed.hasCapture);
    QVERIFY(streamed.errorMessage.isEmpty());
    QCOMPARE(streamed.metadata, (QMap<QString, QString>{{u"fifo_priority"_s, u"0"_s}, {u"selector"_s, u"coder"_s}}));

    // Peer row with usage only: -1 sentinels are unknown, real counts survive.
    const ActivityEntry &peer = page->data[1];
    QCOMPARE(peer.id, 1042);
    QCOMPARE(peer.timestampMs, Q_INT64_C(1787416791000));
    QCOMPARE(peer.model, u"gpu-box-2/llama-3.3-70b"_s);
    QCOMPARE(peer.cacheTokens, std::optional<qint64>());
    QCOMPARE(peer.draftTokens, std::optional<qint64>());
    QCOMPARE(peer.draftAcceptedTokens, std::optional<qint64>());
    QCOMPARE(peer.inputTokens, std::optional<qint64>(311));
    QCOMPARE(peer.outputTokens, std::optional<qint64>(128));
    QCOMPARE(peer.promptPerSecond, std::optional<double>());
    QCOMPARE(peer.tokensPerSecond, std::optional<double>());
    QVERIFY(peer.tokensReported);
    QCOMPARE(peer.durationMs, 6034);
    QVERIFY(peer.metadata.isEmpty());

    // 429 row: all-zero tokens mean "nothing parsed".
    const ActivityEntry &limited = page->data[2];
    QCOMPARE(limited.id, 1041);
    QCOMPARE(limited.timestampMs, Q_INT64_C(1787416752000));
    QCOMPARE(limited.respStatusCode, 429);
    QVERIFY(!limited.tokensReported);
    QCOMPARE(limited.inputTokens, std::optional<qint64>());
    QCOMPARE(limited.outputTokens, std::optional<qint64>());
    QCOMPARE(limited.cacheTokens, std::optional<qint64>());
    QCOMPARE(limited.tokensPerSecond, std::optional<double>());
    QCOMPARE(limited.errorMessage, u"Too many requests"_s);
    QCOMPARE(limited.durationMs, 1);
}

void TestActivity::emptyPage()
{
    const auto page = ActivityPage::fromJson(readFixture(u"older/api-metrics-activity-empty.json"_s));
    QVERIFY(page.ok());
    QVERIFY(page->data.isEmpty());
    QCOMPARE(page->limit, 25);
    QCOMPARE(page->total, 0);
    QCOMPARE(page->totalPages, 0);
}

void TestActivity::legacyMetricsArray()
{
    const auto rows = ActivityEntry::listFromLegacyMetricsJson(readFixture(u"older/v235-api-metrics.json"_s));
    QVERIFY2(rows.ok(), rows.ok() ? "" : qPrintable(rows.error().message));
    QCOMPARE(rows->size(), 3);
    QCOMPARE(rows->at(0).id, 0);
    QCOMPARE(rows->at(0).timestampMs, Q_INT64_C(1773498413589)); // ...53.589793238-05:00
    QCOMPARE(rows->at(0).cacheTokens, std::optional<qint64>(128));
    QCOMPARE(rows->at(0).promptPerSecond, std::optional<double>(1532.7));
    QCOMPARE(rows->at(0).draftTokens, std::optional<qint64>()); // absent in this release
    QVERIFY(!rows->at(0).hasCapture);
    QCOMPARE(rows->at(1).id, 1);
    QCOMPARE(rows->at(1).timestampMs, Q_INT64_C(1773498430000));
    QCOMPARE(rows->at(1).inputTokens, std::optional<qint64>(12));
    QCOMPARE(rows->at(1).tokensPerSecond, std::optional<double>());
    QCOMPARE(rows->at(2).id, 2);
    QCOMPARE(rows->at(2).timestampMs, Q_INT64_C(1773498451500));
    QCOMPARE(rows->at(2).respStatusCode, 502);
    QVERIFY(!rows->at(2).tokensReported);
}

void TestActivity::sentinels_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("reported");
    QTest::addColumn<qint64>("cache"); // -100 = unknown
    QTest::addColumn<qint64>("input");
    QTest::addColumn<qint64>("output");
    QTest::addColumn<double>("genSpeed"); // -100 = unknown

    const auto row = [](int status, const char *tokens) -> QByteArray {
        return QByteArray(R"({"id":1,"timestamp":"2026-08-22T18:41:08Z","resp_status_code":)") + QByteArray::number(status)
            + R"(,"tokens":)" + tokens + "}";
    };
    QTest::newRow("-1 everywhere") << row(200, R"({"cache_tokens":-1,"input_tokens":-1,"output_tokens":-1,"tokens_per_second":-1})") << true
                                   << Q_INT64_C(-100) << Q_INT64_C(-100) << Q_INT64_C(-100) << -100.0;
    QTest::newRow("cache 0 shown as unknown") << row(200,
                                                     R"({"cache_tokens":0,"input_tokens":5,"output_tokens":0,"tokens_per_second":12.5})")
                                              << true << Q_INT64_C(-100) << Q_INT64_C(5) << Q_INT64_C(0) << 12.5;
    QTest::newRow("speed 0 unknown") << row(200, R"({"cache_tokens":3,"input_tokens":5,"output_tokens":7,"tokens_per_second":0})") << true
                                     << Q_INT64_C(3) << Q_INT64_C(5) << Q_INT64_C(7) << -100.0;
    QTest::newRow("200 all zeros keeps zero counts") << row(
        200,
        R"({"cache_tokens":0,"draft_tokens":0,"draft_acc_tokens":0,"input_tokens":0,"output_tokens":0,"prompt_per_second":0,"tokens_per_second":0})")
                                                     << true << Q_INT64_C(-100) << Q_INT64_C(0) << Q_INT64_C(0) << -100.0;
    QTest::newRow("500 all zeros is nothing parsed") << row(
        500,
        R"({"cache_tokens":0,"draft_tokens":0,"draft_acc_tokens":0,"input_tokens":0,"output_tokens":0,"prompt_per_second":0,"tokens_per_second":0})")
                                                     << false << Q_INT64_C(-100) << Q_INT64_C(-100) << Q_INT64_C(-100) << -100.0;
    QTest::newRow("499 aborted stream with counts")
        << row(499, R"({"cache_tokens":-1,"input_tokens":20,"output_tokens":3,"tokens_per_second":40})") << true << Q_INT64_C(-100)
        << Q_INT64_C(20) << Q_INT64_C(3) << 40.0;
    QTest::newRow("no tokens object") << row(404, "null") << false << Q_INT64_C(-100) << Q_INT64_C(-100) << Q_INT64_C(-100) << -100.0;
}

void TestActivity::sentinels()
{
    QFETCH(QByteArray, json);
    QFETCH(bool, reported);
    QFETCH(qint64, cache);
    QFETCH(qint64, input);
    QFETCH(qint64, output);
    QFETCH(double, genSpeed);
    const auto entry = ActivityEntry::fromJsonObject(QJsonDocument::fromJson(json).object(), u"row"_s);
    QVERIFY2(entry.ok(), entry.ok() ? "" : qPrintable(entry.error().message));
    const auto expectCount = [](qint64 v) { return v == -100 ? std::optional<qint64>() : std::optional<qint64>(v); };
    QCOMPARE(entry->tokensReported, reported);
    QCOMPARE(entry->cacheTokens, expectCount(cache));
    QCOMPARE(entry->inputTokens, expectCount(input));
    QCOMPARE(entry->outputTokens, expectCount(output));
    QCOMPARE(entry->tokensPerSecond, genSpeed == -100.0 ? std::optional<double>() : std::optional<double>(genSpeed));
}

void TestActivity::statsFixture()
{
    const auto stats = ActivityStats::fromJson(readFixture(u"api-metrics-stats.json"_s));
    QVERIFY2(stats.ok(), stats.ok() ? "" : qPrintable(stats.error().message));
    QCOMPARE(stats->totalRequests, 1000);
    QCOMPARE(stats->totalInputTokens, 1482210);
    QCOMPARE(stats->totalOutputTokens, 401877);
    QCOMPARE(stats->totalCacheTokens, 903114);
    QVERIFY(stats->promptHistogram.has_value());
    QCOMPARE(stats->promptHistogram->bins, (QList<qint64>{10, 24, 63, 96, 123, 129, 88, 42, 27, 8, 2}));
    QCOMPARE(stats->promptHistogram->min, 983.0);
    QCOMPARE(stats->promptHistogram->max, 3065.6);
    QCOMPARE(stats->promptHistogram->binSize, 189.3272727272727);
    QCOMPARE(stats->promptHistogram->p50, 1914.0);
    QCOMPARE(stats->promptHistogram->p95, 2513.5649999999996);
    QCOMPARE(stats->promptHistogram->p99, 2699.046);
    QVERIFY(stats->genHistogram.has_value());
    QCOMPARE(stats->genHistogram->bins.size(), 11);
    QCOMPARE(stats->genHistogram->bins.at(4), 151);
    QCOMPARE(stats->genHistogram->min, 53.6);
    QCOMPARE(stats->genHistogram->max, 115.8);
    QCOMPARE(stats->genHistogram->p99, 101.605);
}

void TestActivity::statsWithNullHistograms()
{
    const auto stats = ActivityStats::fromJson(
        R"({"total_requests":2,"total_input_tokens":10,"total_output_tokens":0,"total_cache_tokens":0,"prompt_histogram":null,"gen_histogram":null})");
    QVERIFY(stats.ok());
    QCOMPARE(stats->totalRequests, 2);
    QVERIFY(!stats->promptHistogram.has_value());
    QVERIFY(!stats->genHistogram.has_value());
}

void TestActivity::malformed_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("decoder"); // 0 page, 1 legacy array, 2 stats
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("message");

    const QByteArray good = R"({"id":1,"timestamp":"2026-08-22T18:41:08Z","resp_status_code":200})";
    QTest::newRow("status as string in row 3") << QByteArray("{\"data\":[" + good + "," + good + "," + good
                                                             + R"(,{"id":4,"timestamp":"2026-08-22T18:41:08Z","resp_status_code":"200"}]})")
                                               << 0 << u"protocol.field"_s
                                               << u"activity row 3: field \"resp_status_code\" is a string, expected a number"_s;
    QTest::newRow("tokens wrong type") << QByteArray(
        R"({"data":[{"id":1,"timestamp":"2026-08-22T18:41:08Z","tokens":{"input_tokens":"5"}}]})")
                                       << 0 << u"protocol.field"_s
                                       << u"activity row 0: field \"tokens.input_tokens\" is a string, expected a number"_s;
    QTest::newRow("speed as bool") << QByteArray(
        R"({"data":[{"id":1,"timestamp":"2026-08-22T18:41:08Z","tokens":{"tokens_per_second":true}}]})")
                                   << 0 << u"protocol.field"_s << u"field \"tokens.tokens_per_second\" is a boolean, expected a number"_s;
    QTest::newRow("id missing") << QByteArray(R"({"data":[{"timestamp":"2026-08-22T18:41:08Z"}]})") << 0 << u"protocol.field"_s
                                << u"activity row 0: field \"id\" is missing"_s;
    QTest::newRow("timestamp missing") << QByteArray(R"({"data":[{"id":3}]})") << 0 << u"protocol.field"_s
                                       << u"activity row 0: field \"timestamp\" is missing"_s;
    QTest::newRow("bad timestamp") << QByteArray(R"({"data":[{"id":3,"timestamp":"2026-08-22 18:41"}]})") << 0 << u"protocol.value"_s
                                   << u"activity row 0: field \"timestamp\": timestamp \"2026-08-22 18:41\" is not RFC 3339"_s;
    QTest::newRow("metadata value number") << QByteArray(
        R"({"data":[{"id":3,"timestamp":"2026-08-22T18:41:08Z","metadata":{"fifo_priority":0}}]})")
                                           << 0 << u"protocol.field"_s
                                           << u"field \"metadata.fifo_priority\" is a number, expected a string"_s;
    QTest::newRow("data missing") << QByteArray(R"({"page":1})") << 0 << u"protocol.field"_s
                                  << u"/api/metrics/activity: field \"data\" is missing"_s;
    QTest::newRow("data null") << QByteArray(R"({"data":null})") << 0 << u"protocol.field"_s
                               << u"field \"data\" is null, expected an array"_s;
    QTest::newRow("row not object") << QByteArray(R"({"data":[7]})") << 0 << u"protocol.field"_s
                                    << u"activity row 0 is a number, expected an object"_s;
    QTest::newRow("page is array") << QByteArray("[]") << 0 << u"protocol.field"_s
                                   << u"/api/metrics/activity: the document is an array, expected an object"_s;
    QTest::newRow("truncated page") << readFixture(u"api-metrics-activity.json"_s).left(700) << 0 << u"protocol.json"_s
                                    << u"/api/metrics/activity: invalid JSON at byte"_s;
    QTest::newRow("html instead of json") << QByteArray("<html>502</html>") << 0 << u"protocol.json"_s << u"invalid JSON"_s;
    QTest::newRow("legacy object instead of array")
        << QByteArray(R"({"data":[]})") << 1 << u"protocol.field"_s << u"/api/metrics: the document is an object, expected an array"_s;
    QTest::newRow("legacy row 1 duration string")
        << QByteArray("[" + good + R"(,{"id":1,"timestamp":"2026-08-22T18:41:08Z","duration_ms":"5s"}])") << 1 << u"protocol.field"_s
        << u"activity row 1: field \"duration_ms\" is a string, expected a number"_s;
    QTest::newRow("legacy invalid UTF-8") << QByteArray("[{\"id\":1,\"timestamp\":\"2026-08-22T18:41:08Z\",\"model\":\"\xc3\x28\"}]") << 1
                                          << u"protocol.json"_s << u"invalid JSON"_s;
    QTest::newRow("stats histogram string") << QByteArray(R"({"prompt_histogram":"none"})") << 2 << u"protocol.field"_s
                                            << u"/api/metrics/stats: field \"prompt_histogram\" is a string, expected an object"_s;
    QTest::newRow("stats bin fraction") << QByteArray(R"({"gen_histogram":{"bins":[1,2.5]}})") << 2 << u"protocol.field"_s
                                        << u"field \"gen_histogram.bins[1]\""_s;
    QTest::newRow("stats p50 string") << QByteArray(R"({"gen_histogram":{"bins":[1],"p50":"x"}})") << 2 << u"protocol.field"_s
                                      << u"field \"gen_histogram.p50\" is a string, expected a number"_s;
}

void TestActivity::malformed()
{
    QFETCH(QByteArray, body);
    QFETCH(int, decoder);
    QFETCH(QString, code);
    QFETCH(QString, message);
    Error error;
    if (decoder == 0) {
        const auto r = ActivityPage::fromJson(body);
        QVERIFY(!r.ok());
        error = r.error();
    } else if (decoder == 1) {
        const auto r = ActivityEntry::listFromLegacyMetricsJson(body);
        QVERIFY(!r.ok());
        error = r.error();
    } else {
        const auto r = ActivityStats::fromJson(body);
        QVERIFY(!r.ok());
        error = r.error();
    }
    QVERIFY2(error.message.contains(message), qPrintable(error.message));
    QCOMPARE(error.code, code);
}

QTEST_GUILESS_MAIN(TestActivity)
#include "tst_activity.moc"
