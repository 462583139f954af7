#include "core/alerts/alertconfig.h"
#include "core/alerts/alertdelivery.h"
#include "tests/alerts/webhookreceiver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;
using alerttest::WebhookReceiver;

namespace {

constexpr qint64 kT0 = 1'790'000'000'000;
const QString kToken = u"s3cret-t0ken-value"_s;

AlertSinkConfig sink(const QString &name, AlertSinkType type, const QUrl &url, const QString &token = {})
{
    AlertSinkConfig s;
    s.name = name;
    s.type = type;
    s.url = url;
    s.token = token;
    s.tokenSource = token.isEmpty() ? QString() : u"inline"_s;
    s.cooldownMs = 0;
    return s;
}

AlertConfig config(QList<AlertSinkConfig> sinks, int attempts = 3, int firstDelayMs = 50, int timeoutMs = 3000)
{
    AlertConfig c;
    c.sinks = std::move(sinks);
    c.retry.attempts = attempts;
    c.retry.firstDelayMs = firstDelayMs;
    c.retry.maxDelayMs = 10'000;
    c.retry.timeoutMs = timeoutMs;
    return c;
}

Alert hostDown(const QString &host = u"h1"_s, const QString &name = u"GPU box"_s)
{
    Alert a;
    a.kind = Alert::Kind::HostDown;
    a.hostId = host;
    a.hostName = name;
    a.atMs = kT0;
    return a;
}

QJsonObject json(const QByteArray &body)
{
    return QJsonDocument::fromJson(body).object();
}

// Waits until every delivery of `id` is closed (delivered, failed or suppressed).
bool settled(const AlertDelivery &delivery, const QString &id, int ms = 10'000)
{
    return QTest::qWaitFor(
        [&] {
            const auto record = delivery.record(id);
            return record
                && std::none_of(record->deliveries.cbegin(), record->deliveries.cend(), [](const SinkDelivery &d) { return d.isOpen(); });
        },
        ms);
}

SinkDelivery deliveryTo(const AlertDelivery &delivery, const QString &id, const QString &sink)
{
    const std::optional<AlertRecord> record = delivery.record(id);
    for (const SinkDelivery &d : record->deliveries) {
        if (d.sink == sink)
            return d;
    }
    qFatal("no delivery to %s", qPrintable(sink));
}

AlertConfig::Environment environment(QHash<QString, QString> variables)
{
    return [variables](const QString &name) -> std::optional<QString> {
        if (!variables.contains(name))
            return std::nullopt;
        return variables.value(name);
    };
}

} // namespace

class TestAlertDelivery : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void eachSinkHasItsPayload()
    {
        WebhookReceiver receiver;
        QVERIFY(receiver.isListening());
        AlertDelivery delivery(config({sink(u"hook"_s, AlertSinkType::Json, receiver.url(u"/hook"_s), kToken),
                                       sink(u"phone"_s, AlertSinkType::Ntfy, receiver.url(u"/boo-fleet"_s), kToken),
                                       sink(u"gotify"_s, AlertSinkType::Gotify, receiver.url(u"/gotify"_s), kToken),
                                       sink(u"chat"_s, AlertSinkType::Slack, receiver.url(u"/services/T0/B0/XYZ"_s))}));
        const QString id = delivery.deliver(hostDown(u"h1"_s, u"box <1> & co"_s));
        QVERIFY(settled(delivery, id));
        QCOMPARE(receiver.count(), 4);
        QHash<QString, alerttest::Received> byPath;
        for (const alerttest::Received &r : receiver.received())
            byPath.insert(r.path, r);

        const alerttest::Received hook = byPath.value(u"/hook"_s);
        QCOMPARE(hook.method, "POST"_ba);
        QCOMPARE(hook.header("Content-Type"), "application/json"_ba);
        QCOMPARE(hook.header("Authorization"), "Bearer "_ba + kToken.toUtf8());
        QCOMPARE(hook.header("X-Boo-Alert-Id"), id.toUtf8());
        const QJsonObject body = json(hook.body);
        QCOMPARE(body.value(u"id"_s).toString(), id);
        QCOMPARE(body.value(u"kind"_s).toString(), u"host_down"_s);
        QCOMPARE(body.value(u"severity"_s).toString(), u"critical"_s);
        QCOMPARE(body.value(u"title"_s).toString(), u"Host down"_s);
        QCOMPARE(body.value(u"message"_s).toString(), u"box <1> & co is down"_s);
        QCOMPARE(body.value(u"host"_s).toString(), u"h1"_s);
        QCOMPARE(body.value(u"dedup_key"_s).toString(), u"host_down/h1"_s);
        QCOMPARE(body.value(u"at_ms"_s).toInteger(), kT0);
        QCOMPARE(body.value(u"source"_s).toString(), u"boocontrol"_s);

        const alerttest::Received ntfy = byPath.value(u"/boo-fleet"_s);
        QCOMPARE(ntfy.header("Title"), "Host down"_ba);
        QCOMPARE(ntfy.header("Priority"), "5"_ba);
        QCOMPARE(ntfy.header("Tags"), "rotating_light,host_down"_ba);
        QCOMPARE(ntfy.header("Authorization"), "Bearer "_ba + kToken.toUtf8());
        QVERIFY(ntfy.header("Content-Type").startsWith("text/plain"));
        QCOMPARE(QString::fromUtf8(ntfy.body), u"box <1> & co is down"_s);

        // Gotify: the endpoint is <server>/message, the token a header and never the query.
        QVERIFY(byPath.contains(u"/gotify/message"_s));
        const alerttest::Received gotify = byPath.value(u"/gotify/message"_s);
        QCOMPARE(gotify.header("X-Gotify-Key"), kToken.toUtf8());
        QVERIFY(gotify.rawQuery.isEmpty());
        const QJsonObject message = json(gotify.body);
        QCOMPARE(message.value(u"title"_s).toString(), u"Host down"_s);
        QCOMPARE(message.value(u"message"_s).toString(), u"box <1> & co is down"_s);
        QCOMPARE(message.value(u"priority"_s).toInt(), 8);

        // Slack: one "text", its markup characters escaped.
        const alerttest::Received slack = byPath.value(u"/services/T0/B0/XYZ"_s);
        QCOMPARE(slack.header("Content-Type"), "application/json"_ba);
        QVERIFY(!slack.headers.contains("Authorization"));
        const QJsonObject text = json(slack.body);
        QCOMPARE(text.keys(), QStringList{u"text"_s});
        QCOMPARE(text.value(u"text"_s).toString(), u":rotating_light: *Host down*: box &lt;1&gt; &amp; co is down"_s);

        const std::optional<AlertRecord> record = delivery.record(id);
        for (const SinkDelivery &d : record->deliveries) {
            QCOMPARE(d.state, DeliveryState::Delivered);
            QCOMPARE(d.attempts.size(), 1);
            QCOMPARE(d.attempts.at(0).httpStatus, 200);
        }
    }

    void kindsAndSeverityFilterButTestsGoEverywhere()
    {
        WebhookReceiver receiver;
        AlertSinkConfig downOnly = sink(u"down-only"_s, AlertSinkType::Json, receiver.url(u"/down"_s));
        downOnly.kinds = {Alert::Kind::HostDown};
        AlertSinkConfig critical = sink(u"critical"_s, AlertSinkType::Json, receiver.url(u"/critical"_s));
        critical.minSeverity = AlertSeverity::Critical;
        AlertDelivery delivery(config({downOnly, critical}));

        Alert vram;
        vram.kind = Alert::Kind::VramHigh; // a warning, and not host_down
        vram.hostId = u"h1"_s;
        vram.gpu = 0;
        const QString ignored = delivery.deliver(vram);
        QVERIFY(delivery.record(ignored)->deliveries.isEmpty());
        Alert rate;
        rate.kind = Alert::Kind::ErrorRate; // critical, not host_down
        rate.subject = u"policy:auto"_s;
        const QString rateId = delivery.deliver(rate);
        QVERIFY(settled(delivery, rateId));
        QCOMPARE(delivery.record(rateId)->deliveries.size(), 1);
        QCOMPARE(delivery.record(rateId)->deliveries.at(0).sink, u"critical"_s);

        const QString testId = delivery.sendTest();
        QVERIFY(settled(delivery, testId));
        QCOMPARE(delivery.record(testId)->deliveries.size(), 2);
        QCOMPARE(receiver.count(), 3);
        QCOMPARE(json(receiver.received().back().body).value(u"kind"_s).toString(), u"test"_s);
    }

    void cooldownPerDedupKey()
    {
        WebhookReceiver receiver;
        AlertSinkConfig s = sink(u"hook"_s, AlertSinkType::Json, receiver.url(u"/hook"_s));
        s.cooldownMs = 60'000;
        AlertDelivery delivery(config({s}));
        qint64 now = kT0;
        delivery.setClock([&now] { return now; });

        const QString first = delivery.deliver(hostDown());
        QVERIFY(settled(delivery, first));
        now += 30'000;
        const QString again = delivery.deliver(hostDown());
        const QString otherHost = delivery.deliver(hostDown(u"h2"_s, u"h2"_s)); // another key
        QVERIFY(settled(delivery, otherHost));
        QCOMPARE(deliveryTo(delivery, again, u"hook"_s).state, DeliveryState::Suppressed);
        QCOMPARE(deliveryTo(delivery, again, u"hook"_s).note, u"cooldown: the same dedup key went out 30 s ago (cooldown 60 s)"_s);
        QCOMPARE(deliveryTo(delivery, otherHost, u"hook"_s).state, DeliveryState::Delivered);
        // The test button is never cooled down.
        const QString test1 = delivery.sendTest();
        const QString test2 = delivery.sendTest();
        QVERIFY(settled(delivery, test1) && settled(delivery, test2));
        QCOMPARE(deliveryTo(delivery, test2, u"hook"_s).state, DeliveryState::Delivered);

        now += 31'000;
        const QString later = delivery.deliver(hostDown());
        QVERIFY(settled(delivery, later));
        QCOMPARE(deliveryTo(delivery, later, u"hook"_s).state, DeliveryState::Delivered);
        QCOMPARE(receiver.count(), 5);
        const QJsonObject sinkStatus = delivery.statusJson().value(u"sinks"_s).toArray().at(0).toObject();
        QCOMPARE(sinkStatus.value(u"delivered"_s).toInt(), 5);
        QCOMPARE(sinkStatus.value(u"suppressed"_s).toInt(), 1);
        const QByteArray metrics = delivery.metricsText();
        QVERIFY(metrics.contains("boo_alerts_raised_total{kind=\"host_down\"} 4\n"));
        QVERIFY(metrics.contains("boo_alerts_raised_total{kind=\"test\"} 2\n"));
        QVERIFY(metrics.contains("boo_alert_deliveries_total{sink=\"hook\",outcome=\"delivered\"} 5\n"));
        QVERIFY(metrics.contains("boo_alert_deliveries_total{sink=\"hook\",outcome=\"suppressed\"} 1\n"));
    }

    void duplicatesWhileInFlightAreSuppressed()
    {
        WebhookReceiver receiver;
        receiver.script({{503, "busy"}});
        AlertDelivery delivery(config({sink(u"hook"_s, AlertSinkType::Json, receiver.url(u"/hook"_s))}, 3, 300));
        const QString first = delivery.deliver(hostDown());
        QTRY_COMPARE_WITH_TIMEOUT(deliveryTo(delivery, first, u"hook"_s).state, DeliveryState::Retrying, 5000);
        // Cooldown 0, but the same problem is still on its way: not queued a second time.
        const QString dup = delivery.deliver(hostDown());
        QCOMPARE(deliveryTo(delivery, dup, u"hook"_s).state, DeliveryState::Suppressed);
        QVERIFY(deliveryTo(delivery, dup, u"hook"_s).note.contains(first));
        QVERIFY(settled(delivery, first));
        QCOMPARE(deliveryTo(delivery, first, u"hook"_s).state, DeliveryState::Delivered);
        const QString after = delivery.deliver(hostDown());
        QVERIFY(settled(delivery, after));
        QCOMPARE(deliveryTo(delivery, after, u"hook"_s).state, DeliveryState::Delivered);
        QCOMPARE(receiver.count(), 3);
    }

    void anAlertThatAgedOutReleasesItsKey()
    {
        WebhookReceiver receiver;
        receiver.script({{503, "busy"}});
        AlertDelivery delivery(config({sink(u"hook"_s, AlertSinkType::Json, receiver.url(u"/hook"_s))}, 3, 200));
        const QString first = delivery.deliver(hostDown());
        QTRY_COMPARE_WITH_TIMEOUT(deliveryTo(delivery, first, u"hook"_s).state, DeliveryState::Retrying, 5000);
        // Enough newer alerts to push it out of memory while it waits for its retry.
        for (int i = 0; i < AlertDelivery::kKeptAlerts; ++i)
            delivery.deliver(hostDown(u"other-%1"_s.arg(i), QString()));
        QVERIFY(!delivery.record(first).has_value());
        QTest::qWait(600); // its retry came and found nothing to send
        const QString again = delivery.deliver(hostDown());
        QVERIFY(settled(delivery, again));
        QCOMPARE(deliveryTo(delivery, again, u"hook"_s).state, DeliveryState::Delivered);
    }

    void retriesWithBackoffThenSucceeds()
    {
        WebhookReceiver receiver;
        receiver.script({{500, "oops"}, {503, "still"}, {500, "again"}});
        AlertDelivery delivery(config({sink(u"hook"_s, AlertSinkType::Json, receiver.url(u"/hook"_s))}, 5, 150));
        QSignalSpy changes(&delivery, &AlertDelivery::deliveryChanged);
        const QString id = delivery.deliver(hostDown());
        QVERIFY(settled(delivery, id));
        const SinkDelivery d = deliveryTo(delivery, id, u"hook"_s);
        QCOMPARE(d.state, DeliveryState::Delivered);
        QCOMPARE(d.attempts.size(), 4);
        QCOMPARE(d.attempts.at(0).httpStatus, 500);
        QCOMPARE(d.attempts.at(0).error, u"HTTP 500: oops"_s);
        QCOMPARE(d.attempts.at(1).httpStatus, 503);
        QCOMPARE(d.attempts.at(3).httpStatus, 200);
        QVERIFY(d.attempts.at(3).error.isEmpty());
        QCOMPARE(changes.count(), 4); // three retries announced, then delivered
        // The same alert id each time, and the waits grow: 150, 300, 600 ms +/- 20 %.
        QCOMPARE(receiver.count(), 4);
        const auto &r = receiver.received();
        for (const alerttest::Received &each : r)
            QCOMPARE(each.header("X-Boo-Alert-Id"), id.toUtf8());
        const qint64 gap1 = r.at(1).atMs - r.at(0).atMs;
        const qint64 gap2 = r.at(2).atMs - r.at(1).atMs;
        const qint64 gap3 = r.at(3).atMs - r.at(2).atMs;
        QVERIFY2(gap1 >= 115, qPrintable(QString::number(gap1)));
        QVERIFY2(gap2 >= 235 && gap2 > gap1, qPrintable(u"%1 %2"_s.arg(gap1).arg(gap2)));
        QVERIFY2(gap3 >= 475 && gap3 > gap2, qPrintable(u"%1 %2"_s.arg(gap2).arg(gap3)));
    }

    void givesUpAfterTheAttempts()
    {
        WebhookReceiver receiver;
        receiver.script({{500, "a"}, {502, "b"}, {500, "c"}, {200, "too late"}});
        AlertDelivery delivery(config({sink(u"hook"_s, AlertSinkType::Json, receiver.url(u"/hook"_s))}, 3, 30));
        const QString id = delivery.deliver(hostDown());
        QVERIFY(settled(delivery, id));
        const SinkDelivery d = deliveryTo(delivery, id, u"hook"_s);
        QCOMPARE(d.state, DeliveryState::Failed);
        QCOMPARE(d.attempts.size(), 3);
        QCOMPARE(d.note, u"gave up after 3 attempts: HTTP 500: c"_s);
        QTest::qWait(300);
        QCOMPARE(receiver.count(), 3);
        const QJsonObject status = delivery.statusJson();
        const QJsonObject sinkStatus = status.value(u"sinks"_s).toArray().at(0).toObject();
        QCOMPARE(sinkStatus.value(u"failed"_s).toInt(), 1);
        QCOMPARE(sinkStatus.value(u"last_error"_s).toString(), u"HTTP 500: c"_s);
        const QJsonObject shown = status.value(u"alerts"_s).toArray().at(0).toObject().value(u"deliveries"_s).toArray().at(0).toObject();
        QCOMPARE(shown.value(u"state"_s).toString(), u"failed"_s);
        QCOMPARE(shown.value(u"attempts"_s).toArray().size(), 3);
        // A failed delivery leaves no cooldown behind: the next occurrence is sent.
        const QString next = delivery.deliver(hostDown());
        QVERIFY(settled(delivery, next));
        QCOMPARE(deliveryTo(delivery, next, u"hook"_s).state, DeliveryState::Delivered);
    }

    void retryAfterIsHonoured()
    {
        WebhookReceiver receiver;
        receiver.script({{429, "slow down", "1"}});
        AlertDelivery delivery(config({sink(u"hook"_s, AlertSinkType::Ntfy, receiver.url(u"/topic"_s))}, 3, 20));
        const QString id = delivery.deliver(hostDown());
        QVERIFY(settled(delivery, id));
        QCOMPARE(deliveryTo(delivery, id, u"hook"_s).state, DeliveryState::Delivered);
        QCOMPARE(receiver.count(), 2);
        QVERIFY(receiver.received().at(1).atMs - receiver.received().at(0).atMs >= 950);
    }

    void aRefusalIsFinal()
    {
        WebhookReceiver receiver;
        receiver.script({{401, "bad token s3cret-t0ken-value"}});
        AlertDelivery delivery(config({sink(u"gotify"_s, AlertSinkType::Gotify, receiver.url(u"/"_s), kToken)}, 5, 20));
        const QString id = delivery.deliver(hostDown());
        QVERIFY(settled(delivery, id));
        const SinkDelivery d = deliveryTo(delivery, id, u"gotify"_s);
        QCOMPARE(d.state, DeliveryState::Failed);
        QCOMPARE(d.attempts.size(), 1);
        // An echoed token is masked in what we keep and show.
        QCOMPARE(d.note, u"the receiver refused it: HTTP 401: bad token ***"_s);
        QTest::qWait(200);
        QCOMPARE(receiver.count(), 1);
    }

    void receiverDownNeverLeaksTheSecret()
    {
        quint16 port = 0;
        {
            WebhookReceiver gone;
            port = gone.url(u"/"_s).port();
        }
        QStringList logged;
        static QStringList *s_logged = nullptr;
        s_logged = &logged;
        const QtMessageHandler previous
            = qInstallMessageHandler([](QtMsgType, const QMessageLogContext &, const QString &text) { s_logged->append(text); });
        const QUrl url(u"http://127.0.0.1:%1/hooks/%2?token=%2"_s.arg(port).arg(kToken));
        AlertDelivery delivery(config({sink(u"hook"_s, AlertSinkType::Json, url, kToken)}, 2, 30));
        const QString id = delivery.deliver(hostDown());
        const bool done = settled(delivery, id);
        qInstallMessageHandler(previous);
        QVERIFY(done);
        const SinkDelivery d = deliveryTo(delivery, id, u"hook"_s);
        QCOMPARE(d.state, DeliveryState::Failed);
        QCOMPARE(d.attempts.size(), 2);
        QCOMPARE(d.attempts.at(0).httpStatus, 0);
        QCOMPARE(d.attempts.at(0).error, u"connection refused"_s);
        QCOMPARE(d.note, u"gave up after 2 attempts: connection refused"_s);
        QVERIFY(!logged.isEmpty());
        const QByteArray status = QJsonDocument(delivery.statusJson()).toJson();
        QVERIFY(!status.contains(kToken.toUtf8()));
        QVERIFY(status.contains((u"\"http://127.0.0.1:%1/…\""_s.arg(port)).toUtf8()));
        for (const QString &line : std::as_const(logged))
            QVERIFY2(!line.contains(kToken) && !line.contains(u"/hooks/"_s), qPrintable(line));
    }

    void aHungReceiverHoldsUpNothingElse()
    {
        WebhookReceiver hung;
        hung.script({WebhookReceiver::Answer::never()});
        WebhookReceiver healthy;
        AlertDelivery delivery(config(
            {sink(u"hung"_s, AlertSinkType::Json, hung.url(u"/h"_s)), sink(u"healthy"_s, AlertSinkType::Slack, healthy.url(u"/s"_s))}, 1,
            20, 400));
        QElapsedTimer clock;
        clock.start();
        const QString id = delivery.deliver(hostDown());
        QTRY_COMPARE_WITH_TIMEOUT(deliveryTo(delivery, id, u"healthy"_s).state, DeliveryState::Delivered, 5000);
        QVERIFY(deliveryTo(delivery, id, u"hung"_s).isOpen());
        QVERIFY(settled(delivery, id));
        QVERIFY(clock.elapsed() >= 390);
        const SinkDelivery d = deliveryTo(delivery, id, u"hung"_s);
        QCOMPARE(d.state, DeliveryState::Failed);
        QCOMPARE(d.attempts.at(0).error, u"no answer within 400 ms"_s);
        QCOMPARE(hung.count(), 1);
    }

    void configFile_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");
        QTest::newRow("not json") << "{\"sinks\": ["_ba << u"alerts.json: invalid JSON"_s;
        QTest::newRow("no sinks") << "{}"_ba << u"alerts.json: field \"sinks\" is missing"_s;
        QTest::newRow("unknown top field") << "{\"sinks\": [], \"sink\": []}"_ba << u"alerts.json: field \"sink\" is not a field"_s;
        QTest::newRow("unknown sink type")
            << "{\"sinks\": [{\"type\": \"pager\", \"url\": \"http://x\"}]}"_ba
            << u"alerts.json: sink 1: field \"type\" is \"pager\", must be one of json, ntfy, gotify or slack"_s;
        QTest::newRow("missing url") << "{\"sinks\": [{\"name\": \"phone\", \"type\": \"ntfy\"}]}"_ba
                                     << u"alerts.json: sink 1 (\"phone\"): field \"url\" is missing"_s;
        QTest::newRow("not http") << "{\"sinks\": [{\"type\": \"json\", \"url\": \"ftp://x/y\"}]}"_ba
                                  << u"alerts.json: sink 1: field \"url\" is not an http:// or https:// URL with a host"_s;
        QTest::newRow("unset env") << "{\"sinks\": [{\"type\": \"ntfy\", \"url\": \"https://ntfy.sh/t\", \"token\": \"env:NOPE\"}]}"_ba
                                   << u"alerts.json: sink 1: field \"token\" names the environment variable NOPE, which is not set"_s;
        QTest::newRow("unset env url") << "{\"sinks\": [{\"type\": \"slack\", \"url\": \"env:NOPE_URL\"}]}"_ba
                                       << u"alerts.json: sink 1: field \"url\" names the environment variable NOPE_URL, which is not set"_s;
        QTest::newRow("gotify without token") << "{\"sinks\": [{\"type\": \"gotify\", \"url\": \"https://g.example\"}]}"_ba
                                              << u"alerts.json: sink 1: field \"token\" is missing: Gotify needs"_s;
        QTest::newRow("unknown kind")
            << "{\"sinks\": [{\"type\": \"json\", \"url\": \"http://x\", \"kinds\": [\"host_down\", \"disk_full\"]}]}"_ba
            << u"alerts.json: sink 1: field \"kinds\" has \"disk_full\", must be among host_down"_s;
        QTest::newRow("severity") << "{\"sinks\": [{\"type\": \"json\", \"url\": \"http://x\", \"min_severity\": \"loud\"}]}"_ba
                                  << u"alerts.json: sink 1: field \"min_severity\" is \"loud\", must be one of info, warning or critical"_s;
        QTest::newRow("cooldown type") << "{\"sinks\": [{\"type\": \"json\", \"url\": \"http://x\", \"cooldown_s\": \"10\"}]}"_ba
                                       << u"alerts.json: sink 1: field \"cooldown_s\" is a string, expected a number"_s;
        QTest::newRow("cooldown typo") << "{\"sinks\": [{\"type\": \"json\", \"url\": \"http://x\", \"cooldown\": 10}]}"_ba
                                       << u"alerts.json: sink 1: field \"cooldown\" is not a field of this object"_s;
        QTest::newRow("same name") << "{\"sinks\": [{\"name\": \"hook\", \"type\": \"json\", \"url\": \"http://x\"}, "
                                      "{\"name\": \"hook\", \"type\": \"slack\", \"url\": \"http://y\"}]}"_ba
                                   << u"alerts.json: sink 2: field \"name\" \"hook\" is used by an earlier sink"_s;
        QTest::newRow("retry attempts") << "{\"sinks\": [], \"retry\": {\"attempts\": 0}}"_ba << u"alerts.json: field \"retry.attempts\""_s;
        QTest::newRow("rules") << "{\"sinks\": [], \"rules\": {\"error_rate_percent\": 120}}"_ba
                               << u"alerts.json: field \"rules.error_rate_percent\" is 120, must be above 0 and at most 100"_s;
    }

    void configFile()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        const auto parsed = AlertConfig::parse(json, u"alerts.json"_s, environment({}));
        QVERIFY(!parsed.ok());
        QVERIFY2(parsed.error().message.startsWith(message), qPrintable(parsed.error().message));
        QVERIFY(parsed.error().code.startsWith(u"alerts."_s));
    }

    void configFileReadsEverything()
    {
        // Plain literals: moc takes the "//" of a URL inside a raw string for a comment.
        const QByteArray file(
            "{"
            "\"sinks\": ["
            "{\"name\": \"phone\", \"type\": \"ntfy\", \"url\": \"https://ntfy.sh/boo-fleet\", \"token\": \"env:NTFY_TOKEN\","
            "\"kinds\": [\"host_down\", \"error_rate\"], \"min_severity\": \"warning\", \"cooldown_s\": 600},"
            "{\"type\": \"slack\", \"url\": \"env:SLACK_URL\"}"
            "],"
            "\"retry\": {\"attempts\": 4, \"first_delay_ms\": 500, \"max_delay_ms\": 20000},"
            "\"timeout_ms\": 5000,"
            "\"rules\": {\"error_rate_percent\": 10, \"error_rate_window_s\": 120, \"error_rate_min_requests\": 5,"
            "\"failover_count\": 4, \"failover_window_s\": 60, \"vram_percent\": 90, \"temperature_c\": 80}"
            "}");
        const auto parsed = AlertConfig::parse(
            file, u"alerts.json"_s,
            environment({{u"NTFY_TOKEN"_s, kToken}, {u"SLACK_URL"_s, u"https://hooks.slack.com/services/T0/B0/XYZ"_s}}));
        QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
        const AlertConfig &c = *parsed;
        QCOMPARE(c.sinks.size(), 2);
        const AlertSinkConfig &phone = c.sinks.at(0);
        QCOMPARE(phone.name, u"phone"_s);
        QCOMPARE(phone.type, AlertSinkType::Ntfy);
        QCOMPARE(phone.token, kToken);
        QCOMPARE(phone.tokenSource, u"env:NTFY_TOKEN"_s);
        QCOMPARE(phone.kinds, (QSet<Alert::Kind>{Alert::Kind::HostDown, Alert::Kind::ErrorRate}));
        QCOMPARE(phone.minSeverity, AlertSeverity::Warning);
        QCOMPARE(phone.cooldownMs, 600'000);
        QCOMPARE(c.sinks.at(1).name, u"slack-2"_s);
        QCOMPARE(c.sinks.at(1).cooldownMs, 300'000); // the default
        QCOMPARE(c.sinks.at(1).url, QUrl(u"https://hooks.slack.com/services/T0/B0/XYZ"_s));
        QCOMPARE(c.sinks.at(1).redactedUrl(), u"https://hooks.slack.com/…"_s);
        QCOMPARE(c.retry.attempts, 4);
        QCOMPARE(c.retry.firstDelayMs, 500);
        QCOMPARE(c.retry.maxDelayMs, 20'000);
        QCOMPARE(c.retry.timeoutMs, 5000);
        QCOMPARE(c.rules.errorRatePercent, 10.0);
        QCOMPARE(c.rules.errorRateWindowMs, 120'000);
        QCOMPARE(c.rules.errorRateMinRequests, 5);
        QCOMPARE(c.rules.failoverCount, 4);
        QCOMPARE(c.rules.failoverWindowMs, 60'000);
        QCOMPARE(c.rules.vramPercent, 90.0);

        AlertDelivery delivery(c);
        const QByteArray status = QJsonDocument(delivery.statusJson()).toJson(QJsonDocument::Compact);
        QVERIFY(!status.contains(kToken.toUtf8()));
        QVERIFY(!status.contains("XYZ"));
        QVERIFY(status.contains("\"token\":\"env:NTFY_TOKEN\""));

        const auto missing = AlertConfig::load(u"/nonexistent/alerts.json"_s);
        QVERIFY(!missing.ok());
        QVERIFY(missing.error().message.startsWith(u"/nonexistent/alerts.json: cannot read the alerts file"_s));
    }
};

QTEST_GUILESS_MAIN(TestAlertDelivery)
#include "tst_alertdelivery.moc"
