#include "core/alerts/alertdelivery.h"
#include "core/alerts/alertmonitor.h"
#include "core/alerts/alertservice.h"
#include "core/fleet/fleetstate.h"
#include "core/server/alertsapi.h"
#include "core/server/controlserver.h"
#include "core/sim/simhost.h"
#include "core/sim/simtrafficspec.h"
#include "tests/alerts/webhookreceiver.h"
#include "tests/common/gatewayharness.h"
#include "tests/common/livefleet.h"
#include "tests/common/testdatabases.h"
#include "tests/gateway/gatewaytestutil.h"
#include "tests/sim/simtestsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;
using alerttest::WebhookReceiver;

namespace {

struct Reply
{
    int status = 0;
    QJsonObject json;
};

QStringList dedupKeysReceived(const WebhookReceiver &receiver)
{
    QStringList keys;
    for (const alerttest::Received &r : receiver.received())
        keys << QJsonDocument::fromJson(r.body).object().value(u"dedup_key"_s).toString();
    return keys;
}

// The kinds the receiver got, in order.
QStringList kindsReceived(const WebhookReceiver &receiver)
{
    QStringList kinds;
    for (const alerttest::Received &r : receiver.received())
        kinds << QJsonDocument::fromJson(r.body).object().value(u"kind"_s).toString();
    return kinds;
}

} // namespace

// The alerts of --serve end to end: a simulated llama-swap host on loopback, ingested into a
// FleetRuntime, watched by the AlertService, delivered to a real receiver, shown by the API.
class TestAlertsApi : public QObject
{
    Q_OBJECT

    QNetworkAccessManager m_nam;

    Reply call(const ControlServer &server, const QByteArray &method, const QString &path, const QByteArray &token = {})
    {
        QNetworkRequest request(QUrl(u"http://127.0.0.1:%1%2"_s.arg(server.port()).arg(path)));
        if (!token.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + token);
        QNetworkReply *reply = m_nam.sendCustomRequest(request, method, QByteArray());
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!finished.wait(5000))
            qFatal("no answer for %s", qPrintable(path));
        Reply r;
        r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        r.json = QJsonDocument::fromJson(reply->readAll()).object();
        reply->deleteLater();
        return r;
    }

    static ControlServerOptions options(const QString &token = {})
    {
        ControlServerOptions o;
        o.listen = ListenAddress{QHostAddress(QHostAddress::LocalHost), 0};
        o.token = token;
        return o;
    }

private Q_SLOTS:
    void alertsFromALiveFleetReachTheReceiver()
    {
        QString error;
        auto live = test::LiveFleet::start({simtest::fastHost(u"gpu1"_s)}, &error);
        QVERIFY2(live, qPrintable(error));
        QVERIFY(live->waitConnected());
        WebhookReceiver receiver;
        AlertConfig config;
        AlertSinkConfig hook;
        hook.name = u"hook"_s;
        hook.type = AlertSinkType::Json;
        hook.url = receiver.url(u"/hook"_s);
        hook.kinds = {Alert::Kind::ErrorRate, Alert::Kind::HostDown, Alert::Kind::Test};
        hook.cooldownMs = 0;
        config.sinks = {hook};
        config.retry.firstDelayMs = 50;
        config.rules.errorRateMinRequests = 8;
        config.rules.errorRatePercent = 50;
        AlertService alerts(live->fleet(), config);
        ControlServer server(live->fleet(), nullptr, nullptr, nullptr, options(u"t0ken"_s));
        AlertsApi::install(server.http(), alerts.delivery());
        QVERIFY(server.start().ok());

        // The host's model server fails every request: its activity rows reach FleetState
        // through the ingest, the rule fires, the receiver gets it.
        SimTrafficSpec failing;
        failing.count = 10;
        failing.status = 500;
        failing.stream = false;
        failing.timing = SimTrafficSpec::Timing::Instant;
        live->host(u"gpu1"_s)->generateTraffic(failing);
        QTRY_VERIFY_WITH_TIMEOUT(kindsReceived(receiver).contains(u"error_rate"_s), 15000);
        const QJsonObject rate = QJsonDocument::fromJson(receiver.received().front().body).object();
        QCOMPARE(rate.value(u"host"_s).toString(), u"gpu1"_s);
        QCOMPARE(rate.value(u"severity"_s).toString(), u"critical"_s);
        QVERIFY(rate.value(u"value"_s).toDouble() >= 50);

        // The host goes away: host_down.
        live->host(u"gpu1"_s)->goDown();
        QTRY_VERIFY_WITH_TIMEOUT(kindsReceived(receiver).contains(u"host_down"_s), 15000);

        // The API: the token is wanted, the alerts are there with their deliveries.
        QCOMPARE(call(server, "GET", u"/api/alerts"_s).status, 401);
        const Reply status = call(server, "GET", u"/api/alerts"_s, "t0ken");
        QCOMPARE(status.status, 200);
        const QJsonArray sinks = status.json.value(u"sinks"_s).toArray();
        QCOMPARE(sinks.size(), 1);
        QCOMPARE(sinks.at(0).toObject().value(u"name"_s).toString(), u"hook"_s);
        QCOMPARE(sinks.at(0).toObject().value(u"url"_s).toString(), u"http://127.0.0.1:%1/…"_s.arg(receiver.url({}).port()));
        QVERIFY(sinks.at(0).toObject().value(u"delivered"_s).toInt() >= 2);
        const QJsonArray shown = status.json.value(u"alerts"_s).toArray();
        QStringList kinds;
        for (const QJsonValue &a : shown) {
            const QJsonObject alert = a.toObject();
            kinds << alert.value(u"kind"_s).toString();
            if (alert.value(u"kind"_s).toString() == u"host_down"_s) {
                const QJsonObject d = alert.value(u"deliveries"_s).toArray().at(0).toObject();
                QCOMPARE(d.value(u"sink"_s).toString(), u"hook"_s);
                QCOMPARE(d.value(u"state"_s).toString(), u"delivered"_s);
                QCOMPARE(d.value(u"attempts"_s).toArray().at(0).toObject().value(u"http_status"_s).toInt(), 200);
            }
        }
        QVERIFY(kinds.contains(u"host_down"_s));
        QVERIFY(kinds.contains(u"error_rate"_s));
        QCOMPARE(kinds.indexOf(u"host_down"_s), 0); // newest first

        // The test button.
        const qsizetype before = receiver.count();
        const Reply test = call(server, "POST", u"/api/alerts/test"_s, "t0ken");
        QCOMPARE(test.status, 202);
        const QJsonObject testAlert = test.json.value(u"alert"_s).toObject();
        QCOMPARE(testAlert.value(u"kind"_s).toString(), u"test"_s);
        QCOMPARE(testAlert.value(u"deliveries"_s).toArray().size(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(receiver.count(), before + 1, 5000);
        QCOMPARE(kindsReceived(receiver).constLast(), u"test"_s);
        QCOMPARE(QString::fromUtf8(receiver.received().back().header("X-Boo-Alert-Id")), testAlert.value(u"id"_s).toString());
        QCOMPARE(call(server, "GET", u"/api/alerts/test"_s, "t0ken").status, 405);
    }

    void gatewayFailoversAndPolicyFailuresReachTheReceiver()
    {
        auto db = test::TestDatabase::create(SqlDialect::Sqlite);
        test::GatewayHarness h(db->url(), {test::quickHost(u"h1"_s, {u"qwen3-8b"_s}), test::quickHost(u"h2"_s, {u"qwen3-8b"_s})});
        const auto started = h.start();
        QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().message));
        QVERIFY(h.putPolicies({test::policyJson(u"pair"_s, {u"h1/qwen3-8b"_s, u"h2/qwen3-8b"_s})}).ok());
        WebhookReceiver receiver;
        AlertConfig config;
        AlertSinkConfig hook;
        hook.name = u"hook"_s;
        hook.url = receiver.url(u"/hook"_s);
        hook.kinds = {Alert::Kind::FailoverStorm, Alert::Kind::ErrorRate};
        config.sinks = {hook};
        config.rules.failoverCount = 3;
        config.rules.errorRateMinRequests = 6;
        config.rules.errorRatePercent = 50;
        AlertService alerts(h.ingest()->fleet(), config);

        // h1 fails every request: each dispatch of "pair" fails over to h2 and succeeds.
        h.host(u"h1"_s)->setForcedStatus(503);
        for (int i = 0; i < 3; ++i) {
            const auto r = h.post(u"/v1/chat/completions"_s, test::chatBody(u"pair"_s));
            QCOMPARE(r.status, 200);
            QCOMPARE(r.header("x-boo-attempts"), "2"_ba);
        }
        QTRY_VERIFY_WITH_TIMEOUT(dedupKeysReceived(receiver).contains(u"failover_storm"_s), 10000);
        const QJsonObject storm = QJsonDocument::fromJson(receiver.received().front().body).object();
        QCOMPARE(storm.value(u"kind"_s).toString(), u"failover_storm"_s);
        QCOMPARE(storm.value(u"value"_s).toDouble(), 3.0);

        // Now h2 fails too: the clients get 502, and the policy's rate reaches half.
        h.host(u"h2"_s)->setForcedStatus(502);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(h.post(u"/v1/chat/completions"_s, test::chatBody(u"pair"_s)).status, 502);
        QTRY_VERIFY_WITH_TIMEOUT(dedupKeysReceived(receiver).contains(u"error_rate/policy:pair"_s), 10000);
        for (const alerttest::Received &r : receiver.received()) {
            const QJsonObject alert = QJsonDocument::fromJson(r.body).object();
            if (alert.value(u"dedup_key"_s).toString() == u"error_rate/policy:pair"_s) {
                QCOMPARE(alert.value(u"subject"_s).toString(), u"policy:pair"_s);
                QCOMPARE(alert.value(u"value"_s).toDouble(), 50.0);
                QVERIFY(alert.value(u"message"_s).toString().startsWith(u"policy:pair: 50% of requests failed"_s));
            }
        }
        // The hosts' own activity rows make host rates: h2 answered 3 of its 6 with 502. (h1 may
        // have seen too few requests to judge: its circuit breaker keeps the gateway away.)
        QTRY_VERIFY_WITH_TIMEOUT(dedupKeysReceived(receiver).contains(u"error_rate/h2"_s), 10000);
    }

    void testWithoutSinksSaysHowToAddThem()
    {
        FleetState fleet;
        AlertService alerts(&fleet, AlertConfig());
        ControlServer server(&fleet, nullptr, nullptr, nullptr, options());
        AlertsApi::install(server.http(), alerts.delivery());
        QVERIFY(server.start().ok());
        const Reply test = call(server, "POST", u"/api/alerts/test"_s);
        QCOMPARE(test.status, 409);
        QCOMPARE(test.json.value(u"error"_s).toObject().value(u"code"_s).toString(), u"no_sinks"_s);
        QVERIFY(test.json.value(u"error"_s).toObject().value(u"message"_s).toString().contains(u"--alerts FILE"_s));
        // Alerts are still evaluated and listed without sinks.
        fleet.addHost(u"h1"_s, u"h1"_s, u"http://h1"_s);
        fleet.setLiveness(u"h1"_s, Liveness::Connected, 1);
        fleet.setLiveness(u"h1"_s, Liveness::Down, 2);
        const Reply status = call(server, "GET", u"/api/alerts"_s);
        QCOMPARE(status.status, 200);
        QCOMPARE(status.json.value(u"sinks"_s).toArray().size(), 0);
        const QJsonObject down = status.json.value(u"alerts"_s).toArray().at(0).toObject();
        QCOMPARE(down.value(u"kind"_s).toString(), u"host_down"_s);
        QCOMPARE(down.value(u"deliveries"_s).toArray().size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestAlertsApi)
#include "tst_alertsapi.moc"
