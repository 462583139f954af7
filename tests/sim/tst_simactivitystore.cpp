#include "core/http/httprequest.h"
#include "core/sim/gojsonwriter.h"
#include "core/sim/simactivitystore.h"
#include "core/sim/simcapturestore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

namespace {

SimActivityRow row(const QString &model, qint64 tsSec, int status = 200, double gen = 50)
{
    SimActivityRow r;
    r.model = model;
    r.timestampNs = tsSec * 1000000000LL + 123456789;
    r.reqPath = u"/v1/chat/completions"_s;
    r.status = status;
    r.tokensPerSecond = gen;
    r.promptPerSecond = gen * 20;
    r.inputTokens = 100;
    r.outputTokens = 10;
    r.cacheTokens = status == 200 ? 5 : -1;
    r.durationMs = qint64(1000 / gen);
    return r;
}

HttpRequest requestFor(const QByteArray &target)
{
    HttpRequest r;
    r.setTarget(target);
    return r;
}

} // namespace

class TestSimActivityStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void idsAndRing();
    void restartResetsIds();
    void queryValidation_data();
    void queryValidation();
    void olderReleasesIgnoreNewFilters();
    void filtersAndPaging();
    void sortingBreaksTiesById();
    void statsHistograms();
    void rowJsonMatchesGo();
    void captureBufferEvictsOldest();
};

void TestSimActivityStore::idsAndRing()
{
    SimActivityStore store(1000, 1);
    QCOMPARE(store.lastId(), 0);
    for (int i = 0; i < 1234; ++i)
        QCOMPARE(store.append(row(u"m"_s, 100 + i)), qint64(i + 1));
    // metricsMaxInMemory: rows with id <= max - 1000 are gone.
    QCOMPARE(store.size(), 1000);
    QCOMPARE(store.rows().front().id, 235);
    QCOMPARE(store.lastId(), 1234);
    QVERIFY(!store.find(234));
    QCOMPARE(store.find(235)->id, 235);
    QCOMPARE(store.find(1234)->id, 1234);
}

void TestSimActivityStore::restartResetsIds()
{
    SimActivityStore store(10, 0); // v235 counted from 0
    QCOMPARE(store.append(row(u"m"_s, 1)), 0);
    QCOMPARE(store.append(row(u"m"_s, 2)), 1);
    store.reset(1);
    QCOMPARE(store.size(), 0);
    QCOMPARE(store.append(row(u"m"_s, 3)), 1);
}

void TestSimActivityStore::queryValidation_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QString>("error"); // empty: valid
    QTest::newRow("defaults") << "/a"_ba << QString();
    QTest::newRow("limit text") << "/a?limit=ten"_ba << u"invalid limit"_s;
    QTest::newRow("limit zero") << "/a?limit=0"_ba << u"limit must be between 1 and 999"_s;
    QTest::newRow("limit 1000") << "/a?limit=1000"_ba << u"limit must be between 1 and 999"_s;
    QTest::newRow("limit 999") << "/a?limit=999"_ba << QString();
    QTest::newRow("page zero") << "/a?page=0"_ba << u"page must be >= 1"_s;
    QTest::newRow("bad sort") << "/a?sort=nope"_ba << u"invalid sort column"_s;
    QTest::newRow("bad order") << "/a?order=up"_ba << u"order must be asc or desc"_s;
    QTest::newRow("order any case") << "/a?order=ASC"_ba << QString();
    QTest::newRow("bad start") << "/a?start=yesterday"_ba << u"invalid 'start' timestamp, use RFC3339 format"_s;
    QTest::newRow("raw plus in end") << "/a?end=2026-08-22T18:00:00+02:00"_ba << u"invalid 'end' timestamp, use RFC3339 format"_s;
    QTest::newRow("encoded plus") << "/a?end=2026-08-22T18:00:00%2B02:00"_ba << QString();
    QTest::newRow("start after end") << "/a?start=2026-08-22T18:00:01Z&end=2026-08-22T18:00:00Z"_ba << u"start must be before end"_s;
    QTest::newRow("min_id zero") << "/a?min_id=0"_ba << u"min_id must be >= 1"_s;
    QTest::newRow("max_id text") << "/a?max_id=x"_ba << u"max_id must be >= 1"_s;
    QTest::newRow("min above max") << "/a?min_id=5&max_id=4"_ba << u"min_id must be <= max_id"_s;
    QTest::newRow("min equals max") << "/a?min_id=5&max_id=5"_ba << QString();
}

void TestSimActivityStore::queryValidation()
{
    QFETCH(QByteArray, target);
    QFETCH(QString, error);
    const auto q = SimActivityQuery::parse(requestFor(target), SimCompat::Current);
    QCOMPARE(q.ok(), error.isEmpty());
    if (!q.ok())
        QCOMPARE(q.error().message, error);
}

void TestSimActivityStore::olderReleasesIgnoreNewFilters()
{
    const auto q = SimActivityQuery::parse(requestFor("/a?min_id=0&start=bad&model=a&model=b&limit=5"_ba), SimCompat::V250);
    QVERIFY(q.ok());
    QCOMPARE(q->models, QStringList({u"a"_s}));
    QVERIFY(!q->minId && !q->startSec);
    QCOMPARE(q->limit, 5);
    QVERIFY(!SimActivityQuery::parse(requestFor("/a?limit=0"_ba), SimCompat::V250).ok());
}

void TestSimActivityStore::filtersAndPaging()
{
    SimActivityStore store;
    for (int i = 0; i < 30; ++i)
        store.append(row(i % 3 == 0 ? u"a"_s : u"b"_s, 1000 + i));
    auto q = SimActivityQuery::parse(requestFor("/a?limit=7&page=2"_ba), SimCompat::Current);
    auto page = store.select(*q);
    QCOMPARE(page.total, 30);
    QCOMPARE(page.rows.size(), 7);
    QCOMPARE(page.rows.first()->id, 23); // default: id desc
    q = SimActivityQuery::parse(requestFor("/a?limit=7&page=5"_ba), SimCompat::Current);
    QCOMPARE(store.select(*q).rows.size(), 2);
    q = SimActivityQuery::parse(requestFor("/a?page=9"_ba), SimCompat::Current);
    QCOMPARE(store.select(*q).rows.size(), 0);

    q = SimActivityQuery::parse(requestFor("/a?min_id=10&max_id=20&sort=id&order=asc&model=a"_ba), SimCompat::Current);
    page = store.select(*q);
    QList<qint64> ids;
    for (const auto *r : page.rows)
        ids.append(r->id);
    QCOMPARE(ids, QList<qint64>({10, 13, 16, 19}));

    // start/end compare whole seconds, inclusive.
    q = SimActivityQuery::parse(requestFor("/a?start=1970-01-01T00:16:45.9Z&end=1970-01-01T00:16:47Z&order=asc"_ba), SimCompat::Current);
    page = store.select(*q);
    QCOMPARE(page.total, 3);
    QCOMPARE(page.rows.first()->id, 6);

    q = SimActivityQuery::parse(requestFor("/a?model=a&model=b&model="_ba), SimCompat::Current);
    QCOMPARE(store.select(*q).total, 30);
}

void TestSimActivityStore::sortingBreaksTiesById()
{
    SimActivityStore store;
    store.append(row(u"b"_s, 10, 200, 40));
    store.append(row(u"a"_s, 10, 429, 40));
    store.append(row(u"b"_s, 11, 200, 60));
    auto q = SimActivityQuery::parse(requestFor("/a?sort=gen_speed&order=desc"_ba), SimCompat::Current);
    auto page = store.select(*q);
    QCOMPARE(page.rows.at(0)->id, 3);
    QCOMPARE(page.rows.at(1)->id, 2); // equal speed: id in the same direction
    QCOMPARE(page.rows.at(2)->id, 1);
    q = SimActivityQuery::parse(requestFor("/a?sort=model&order=asc"_ba), SimCompat::Current);
    page = store.select(*q);
    QCOMPARE(page.rows.at(0)->model, u"a"_s);
    QCOMPARE(page.rows.at(1)->id, 1);
}

void TestSimActivityStore::statsHistograms()
{
    SimActivityStore store;
    const QByteArray empty = store.statsJson({});
    QCOMPARE(empty,
             "{\"total_requests\":0,\"total_input_tokens\":0,\"total_output_tokens\":0,\"total_cache_tokens\":0,"
             "\"prompt_histogram\":null,\"gen_histogram\":null}\n"_ba);
    for (int i = 0; i < 100; ++i)
        store.append(row(u"a"_s, i, 200, 50 + i));
    store.append(row(u"a"_s, 200, 429, 0)); // no speed: not in the histogram
    const QJsonObject stats = QJsonDocument::fromJson(store.statsJson({})).object();
    QCOMPARE(stats.value(u"total_requests"_s).toInt(), 101);
    QCOMPARE(stats.value(u"total_cache_tokens"_s).toInt(), 500); // positives only
    const QJsonObject gen = stats.value(u"gen_histogram"_s).toObject();
    QCOMPARE(gen.value(u"bins"_s).toArray().size(), 8); // ceil(log2 100) + 1
    int sum = 0;
    for (const auto &b : gen.value(u"bins"_s).toArray())
        sum += b.toInt();
    QCOMPARE(sum, 100);
    QCOMPARE(gen.value(u"min"_s).toDouble(), 50.0);
    QCOMPARE(gen.value(u"max"_s).toDouble(), 149.0);
    QCOMPARE(gen.value(u"p50"_s).toDouble(), 99.5);
    QCOMPARE(gen.value(u"p99"_s).toDouble(), 148.01);
    QCOMPARE(QJsonDocument::fromJson(store.statsJson(u"other"_s)).object().value(u"total_requests"_s).toInt(), 0);

    SimActivityStore flat;
    flat.append(row(u"a"_s, 1, 200, 42));
    const QJsonObject one = QJsonDocument::fromJson(flat.statsJson({})).object().value(u"gen_histogram"_s).toObject();
    QCOMPARE(one.value(u"binSize"_s).toDouble(), 0.0);
    QCOMPARE(one.value(u"bins"_s).toArray(), QJsonArray({1}));
}

void TestSimActivityStore::rowJsonMatchesGo()
{
    SimActivityRow r = row(u"qwen3-30b-a3b"_s, 1787416868);
    r.id = 1043;
    r.tokensPerSecond = 87.3;
    r.promptPerSecond = 2210.4;
    r.metadata = {{u"fifo_priority"_s, u"0"_s}};
    GoJsonWriter w;
    r.write(w, true, 7200, false);
    QCOMPARE(w.take(),
             "{\"id\":1043,\"timestamp\":\"2026-08-22T18:41:08+02:00\",\"model\":\"qwen3-30b-a3b\",\"req_path\":\"/v1/chat/completions\","
             "\"resp_content_type\":\"\",\"resp_status_code\":200,\"tokens\":{\"cache_tokens\":5,\"draft_tokens\":0,"
             "\"draft_acc_tokens\":0,\"input_tokens\":100,\"output_tokens\":10,\"prompt_per_second\":2210.4,"
             "\"tokens_per_second\":87.3},\"duration_ms\":20,\"has_capture\":true,\"metadata\":{\"fifo_priority\":\"0\"}}"_ba);
    r.status = 429;
    r.errorMessage = u"Too many requests"_s;
    r.metadata.clear();
    r.write(w, false, 0, true);
    const QByteArray legacy = w.take();
    QVERIFY(legacy.contains("\"timestamp\":\"2026-08-22T16:41:08.123456789Z\""));
    QVERIFY(legacy.endsWith("\"has_capture\":false,\"error_msg\":\"Too many requests\"}"));
}

void TestSimActivityStore::captureBufferEvictsOldest()
{
    SimCaptureStore store(1000);
    for (int i = 1; i <= 5; ++i) {
        SimCapture c;
        c.id = i;
        c.sizeEstimate = 300;
        store.add(c);
    }
    QCOMPARE(store.count(), 3);
    QVERIFY(!store.contains(2));
    QVERIFY(store.contains(3) && store.contains(5));
    SimCapture huge;
    huge.id = 6;
    huge.sizeEstimate = 1001;
    store.add(huge);
    QVERIFY(!store.contains(6)); // bigger than the whole buffer: skipped
    QVERIFY(store.contains(5));
    store.clear();
    QCOMPARE(store.count(), 0);
}

QTEST_GUILESS_MAIN(TestSimActivityStore)
#include "tst_simactivitystore.moc"
