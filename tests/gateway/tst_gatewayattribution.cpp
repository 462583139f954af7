#include "core/history/historyrecorder.h"
#include "core/sim/simhost.h"
#include "core/store/database.h"
#include "tests/common/gatewayharness.h"
#include "tests/common/testdatabases.h"
#include "tests/gateway/gatewaytestutil.h"

#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace boo;
using namespace boo::test;

namespace {

std::unique_ptr<GatewayHarness> startHarness(TestDatabase &db, QList<SimHostConfig> hosts)
{
    auto h = std::make_unique<GatewayHarness>(db.url(), std::move(hosts));
    auto started = h->start();
    if (!started)
        qFatal("%s", qPrintable(started.error().message));
    return h;
}

// One host, one model, streams of ~0.3 s: two requests sent together finish within the same
// second with nearly the same duration, which timing cannot tell apart.
SimHostConfig sharedHost(qint64 captureBufferBytes)
{
    SimHostConfig c = quickHost(u"h1"_s, {u"qwen3-8b"_s}, 100);
    c.captureBufferBytes = captureBufferBytes;
    return c;
}

// `rounds` times: one streaming request from "alpha" and one from "beta" at the same moment.
bool sendConcurrentPairs(GatewayHarness &h, int rounds)
{
    QNetworkAccessManager nam;
    for (int round = 0; round < rounds; ++round) {
        QList<QNetworkReply *> replies;
        for (const QByteArray &source : {"alpha"_ba, "beta"_ba}) {
            QNetworkRequest request(QUrl(h.baseUrl() + u"/v1/chat/completions"_s));
            request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
            request.setRawHeader("X-Boo-Source", source);
            replies << nam.post(request, chatBody(u"auto"_s, true, 30));
        }
        const bool done = QTest::qWaitFor([&] { return replies[0]->isFinished() && replies[1]->isFinished(); }, 10000);
        for (QNetworkReply *r : replies) {
            const int status = r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            const bool complete = r->readAll().endsWith("data: [DONE]\n\n");
            delete r;
            if (!done || status != 200 || !complete)
                return false;
        }
    }
    return true;
}

// control_requests.source of the host's rows by activity id; a null QString for NULL.
QHash<qint64, QString> storedSources(Database &db, const QString &host)
{
    QHash<qint64, QString> out;
    auto q = db.exec(u"SELECT swap_entry_id, source FROM control_requests WHERE provider_id = ?"_s, {host});
    while (q && q->next())
        out.insert(q->value(0).toLongLong(), q->value(1).isNull() ? QString() : q->value(1).toString());
    return out;
}

QByteArray headerOf(const SimCapture &capture, const QByteArray &name)
{
    for (const auto &[key, value] : capture.reqHeaders) {
        if (key == name)
            return value;
    }
    return {};
}

qint64 metric(GatewayHarness &h, const QByteArray &series)
{
    for (const QByteArray &line : h.get(u"/metrics"_s).body.split('\n')) {
        if (line.startsWith(QByteArray(series + ' ')))
            return line.mid(series.size() + 1).toLongLong();
    }
    return -1;
}

} // namespace

class TestGatewayAttribution : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestDatabase> m_db;

private Q_SLOTS:
    void init() { m_db = TestDatabase::create(SqlDialect::Sqlite); }
    void cleanup() { m_db.reset(); }

    // Two consumers on the same host and model at the same time: every row gets the source that
    // really sent it, read from the X-Boo-Dispatch-Id the host kept in the row's capture.
    void concurrentSourcesAreAttributedExactly()
    {
        auto h = startHarness(*m_db, {sharedHost(5 * 1000 * 1000)});
        constexpr int kRounds = 4;
        QVERIFY(sendConcurrentPairs(*h, kRounds));
        Database &db = *h->ingest()->database();
        QTRY_COMPARE_WITH_TIMEOUT(int(storedSources(db, u"h1"_s).size()), 2 * kRounds, 10000);
        const auto attributed = [&] {
            const QHash<qint64, QString> stored = storedSources(db, u"h1"_s);
            return int(std::count_if(stored.cbegin(), stored.cend(), [](const QString &s) { return !s.isNull(); }));
        };
        QTRY_COMPARE_WITH_TIMEOUT(attributed(), 2 * kRounds, 10000);

        // The truth: what each request carried, as the host kept it.
        SimHost *host = h->host(u"h1"_s);
        const QHash<qint64, QString> stored = storedSources(db, u"h1"_s);
        QSet<QString> sentIds;
        for (auto it = stored.cbegin(); it != stored.cend(); ++it) {
            const SimCapture *capture = host->captures().find(it.key());
            QVERIFY(capture);
            QCOMPARE(it.value(), QString::fromLatin1(headerOf(*capture, "X-Boo-Source")));
            sentIds.insert(QString::fromLatin1(headerOf(*capture, "X-Boo-Dispatch-Id")));
        }
        // Each attempt went upstream with its own id, the one in the dispatch log.
        QSet<QString> loggedIds;
        const QJsonArray entries = h->get(u"/api/gateway/log?limit=100"_s).json().value(u"entries"_s).toArray();
        for (const QJsonValue &e : entries) {
            for (const QJsonValue &a : e.toObject().value(u"attempts"_s).toArray())
                loggedIds.insert(a.toObject().value(u"id"_s).toString());
        }
        QCOMPARE(int(sentIds.size()), 2 * kRounds);
        QCOMPARE(sentIds, loggedIds);
        // Timing alone could not have told them apart.
        const SourceAttributor::Counters &counters = h->ingest()->runtime()->recorder()->attribution();
        QVERIFY2(counters.matchedByCapture >= 2, qPrintable(QString::number(counters.matchedByCapture)));
        QCOMPARE(counters.ambiguous, 0);
        QCOMPARE(metric(*h, "boo_attribution_rows_total{how=\"capture\"}"), counters.matchedByCapture);
    }

    // A host that keeps no captures (captureBuffer: 0): rows that several attempts fit are left
    // without a source and counted, never guessed.
    void withoutCapturesAmbiguousRowsStayUnattributed()
    {
        auto h = startHarness(*m_db, {sharedHost(0)});
        constexpr int kRounds = 3;
        QVERIFY(sendConcurrentPairs(*h, kRounds));
        Database &db = *h->ingest()->database();
        const SourceAttributor::Counters &counters = h->ingest()->runtime()->recorder()->attribution();
        // Every row decided: by timing (one attempt fitted) or as ambiguous.
        QTRY_COMPARE_WITH_TIMEOUT(counters.matched + counters.matchedLate + counters.ambiguous, qint64(2 * kRounds), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(int(storedSources(db, u"h1"_s).size()), 2 * kRounds, 10000);
        QVERIFY2(counters.ambiguous >= 2, qPrintable(QString::number(counters.ambiguous)));
        QCOMPARE(counters.matchedByCapture, 0);
        const QHash<qint64, QString> stored = storedSources(db, u"h1"_s);
        const qint64 unattributed = std::count_if(stored.cbegin(), stored.cend(), [](const QString &s) { return s.isNull(); });
        QCOMPARE(unattributed, counters.ambiguous);
        QCOMPARE(metric(*h, "boo_attribution_ambiguous_rows_total"), counters.ambiguous);
    }
};

QTEST_GUILESS_MAIN(TestGatewayAttribution)
#include "tst_gatewayattribution.moc"
