// What an attached cockpit does with answers of a server that do not read back: it refuses them
// with the field's name instead of turning wrong types into defaults ("rule_matches":"no" was
// once a match, a perf resolution other than "raw" silently meant 5-minute buckets).

#include "core/client/remotehistorysource.h"
#include "core/client/remoteroutingsource.h"
#include "core/http/httprequest.h"
#include "core/http/httpresponder.h"
#include "core/http/httpserver.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

namespace {

// A server that answers every GET and POST on `path` with `body`.
class FakeServer
{
public:
    FakeServer(const QString &path, QByteArray body)
    {
        const auto answer = [body = std::move(body)](const HttpRequest &, HttpResponder r) { r.respond(200, "application/json"_ba, body); };
        m_http.route("GET"_ba, path, answer);
        m_http.route("POST"_ba, path, answer);
        if (!m_http.listen(QHostAddress::LocalHost))
            qFatal("listen: %s", qPrintable(m_http.errorString()));
    }
    HostEndpoint endpoint() const { return HostEndpoint(QUrl(u"http://127.0.0.1:%1"_s.arg(m_http.serverPort())), QString()); }

private:
    HttpServer m_http;
};

template <typename T>
Result<T> await(const std::function<void(std::function<void(Result<T>)>)> &ask)
{
    std::optional<Result<T>> answer;
    ask([&answer](Result<T> result) { answer = std::move(result); });
    if (!QTest::qWaitFor([&] { return answer.has_value(); }, 10000))
        return makeError(u"test.timeout"_s, u"no answer"_s);
    return std::move(*answer);
}

QString messageOf(const auto &result)
{
    return result ? u"(accepted)"_s : result.error().message;
}

} // namespace

class TestRemoteSources : public QObject
{
    Q_OBJECT

    QNetworkAccessManager m_nam;

private Q_SLOTS:
    void routingTestAnswers_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("rule_matches as string") << "{\"rule_matches\":\"no\",\"ranking\":{\"ranked\":[],\"skipped\":[]}}"_ba
                                                << u"field \"rule_matches\" is a string, expected a boolean"_s;
        QTest::newRow("rule_matches missing") << "{\"ranking\":{\"ranked\":[]}}"_ba << u"field \"rule_matches\" is missing"_s;
        QTest::newRow("ranking missing") << "{\"rule_matches\":true}"_ba << u"field \"ranking\" is missing"_s;
        QTest::newRow("candidate not an object")
            << "{\"rule_matches\":true,\"ranking\":{\"ranked\":[3]}}"_ba << u"field \"ranked[0]\" is a number, expected an object"_s;
        QTest::newRow("unknown tier")
            << "{\"rule_matches\":true,\"ranking\":{\"ranked\":[{\"provider\":\"h1\",\"tier\":\"warm\"}]}}"_ba
            << u"ranked candidate 0: field \"tier\" is \"warm\", must be one of idle, busy, loading, cold, saturated or cloud"_s;
        QTest::newRow("inflight as string")
            << "{\"rule_matches\":true,\"ranking\":{\"ranked\":[{\"provider\":\"h1\",\"tier\":\"idle\",\"inflight\":\"2\"}]}}"_ba
            << u"ranked candidate 0: field \"inflight\" is a string, expected a number"_s;
        QTest::newRow("not JSON") << "<html>"_ba << u"/api/routing/test: invalid JSON"_s;
    }
    void routingTestAnswers()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, mentions);
        FakeServer server(u"/api/routing/test"_s, body);
        RemoteRoutingSource source(server.endpoint(), &m_nam);
        RoutePolicy policy;
        policy.name = u"auto"_s;
        const auto tested = await<RoutingSource::TestResult>([&](auto done) { source.test(policy, RouteFacts{}, this, std::move(done)); });
        QVERIFY(!tested);
        QVERIFY2(tested.error().message.contains(mentions), qPrintable(messageOf(tested)));
    }

    void logAnswers_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("mentions");
        const auto entry
            = [](const char *extra) -> QByteArray { return "{\"entries\":[{\"id\":1,\"dispatch_id\":\"d1\",\"ts\":5"_ba + extra + "}]}"; };
        QTest::newRow("stream as string") << entry(",\"stream\":\"yes\"")
                                          << u"entry 0: log entry: field \"stream\" is a string, expected a boolean"_s;
        QTest::newRow("status as string") << entry(",\"status\":\"200\"") << u"field \"status\" is a string, expected a number"_s;
        QTest::newRow("ttft as string") << entry(",\"ttft_ms\":\"12\"") << u"field \"ttft_ms\" is a string, expected a number"_s;
        QTest::newRow("attempts not a list") << entry(",\"attempts\":{}") << u"field \"attempts\" is an object, expected an array"_s;
        QTest::newRow("no id") << "{\"entries\":[{\"dispatch_id\":\"d1\",\"ts\":5}]}"_ba << u"field \"id\" is missing"_s;
        QTest::newRow("entry not an object") << "{\"entries\":[\"d1\"]}"_ba << u"field \"entries[0]\" is a string, expected an object"_s;
        QTest::newRow("cursor as string") << "{\"entries\":[],\"next_before_id\":\"7\"}"_ba << u"field \"next_before_id\" is a string"_s;
    }
    void logAnswers()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, mentions);
        FakeServer server(u"/api/gateway/log"_s, body);
        RemoteRoutingSource source(server.endpoint(), &m_nam);
        const auto page = await<GatewayLogPage>([&](auto done) { source.log(GatewayLogFilter{}, this, std::move(done)); });
        QVERIFY(!page);
        QVERIFY2(page.error().message.contains(mentions), qPrintable(messageOf(page)));
    }

    void wellFormedAnswersReadBack()
    {
        RankedCandidate c;
        c.spec = u"*/qwen3"_s;
        c.providerId = u"h1"_s;
        c.model = u"qwen3"_s;
        c.tier = CandidateTier::Cold;
        c.why = u"cold: loads in ~4.2 s"_s;
        c.inflight = 2;
        c.concurrencyLimit = 4;
        c.expectedWaitMs = 4200;
        c.contextLength = 32768;
        c.tokensPerSecond = 41.5;
        Ranking ranking;
        ranking.ranked << c;
        ranking.skipped << SkippedCandidate{u"gpu/x"_s, u"gpu"_s, u"x"_s, u"host is down"_s};
        const QJsonObject answer{{u"rule_matches"_s, false}, {u"rule_mismatch"_s, u"no tools"_s}, {u"ranking"_s, ranking.toJson()}};
        FakeServer routing(u"/api/routing/test"_s, QJsonDocument(answer).toJson());
        RemoteRoutingSource source(routing.endpoint(), &m_nam);
        const auto tested
            = await<RoutingSource::TestResult>([&](auto done) { source.test(RoutePolicy{}, RouteFacts{}, this, std::move(done)); });
        QVERIFY2(tested, qPrintable(messageOf(tested)));
        QVERIFY(!tested->ruleMatches);
        QCOMPARE(tested->ruleMismatch, u"no tools"_s);
        QCOMPARE(tested->ranking.ranked.size(), 1);
        const RankedCandidate &back = tested->ranking.ranked.first();
        QCOMPARE(back.tier, CandidateTier::Cold);
        QCOMPARE(back.expectedWaitMs, 4200);
        QCOMPARE(back.contextLength, 32768);
        QCOMPARE(back.tokensPerSecond, 41.5);
        QCOMPARE(tested->ranking.skipped.first().reason, u"host is down"_s);

        GatewayLogEntry entry;
        entry.id = 7;
        entry.row.dispatchId = u"d7"_s;
        entry.row.ts = 1'790'000'000'000;
        entry.row.stream = true;
        entry.row.status = 200;
        entry.row.ttftMs = 12.5;
        entry.row.attemptsJson = u"[{\"provider\":\"h1\"}]"_s;
        auto decoded = GatewayLogEntry::fromJson(entry.toJson());
        QVERIFY2(decoded, qPrintable(messageOf(decoded)));
        QCOMPARE(decoded->id, 7);
        QCOMPARE(decoded->row.stream, true);
        QCOMPARE(decoded->row.ttftMs, 12.5);
        QCOMPARE(decoded->row.attempts, 1);
        QVERIFY(decoded->row.policy.isEmpty()); // null on the wire for direct ids
    }

    void perfResolution_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("raw") << "{\"resolution\":\"raw\",\"points\":[]}"_ba << true;
        QTest::newRow("5m") << "{\"resolution\":\"5m\",\"points\":[]}"_ba << true;
        QTest::newRow("unknown") << "{\"resolution\":\"10m\",\"points\":[]}"_ba << false;
        QTest::newRow("missing") << "{\"points\":[]}"_ba << false;
        QTest::newRow("point not an object") << "{\"resolution\":\"raw\",\"points\":[1]}"_ba << false;
    }
    void perfResolution()
    {
        QFETCH(QByteArray, body);
        QFETCH(bool, accepted);
        FakeServer server(u"/api/perf"_s, body);
        RemoteHistorySource source(server.endpoint(), &m_nam);
        const auto series = await<PerfSeries>([&](auto done) { source.perf(PerfFilter{}, this, std::move(done)); });
        QCOMPARE(series.ok(), accepted);
        if (accepted)
            QCOMPARE(series->resolution, body.contains("raw") ? PerfSeries::Resolution::Raw : PerfSeries::Resolution::FiveMinutes);
        else
            QVERIFY2(series.error().message.contains(u"/api/perf"_s), qPrintable(series.error().message));
    }
};

QTEST_GUILESS_MAIN(TestRemoteSources)
#include "tst_remotesources.moc"
