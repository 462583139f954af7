#include "simtestsupport.h"

#include "core/sim/simcontrolserver.h"
#include "core/sim/simfleet.h"
#include "core/sim/simfleetthread.h"
#include "core/sim/simhost.h"

#include <QThread>

using namespace Qt::StringLiterals;
using namespace boo;
using namespace simtest;

class TestSimFleet : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void hostSpec_data();
    void hostSpec();
    void duplicateNamesRefused();
    void controlApi();
    void controlApiErrors_data();
    void controlApiErrors();
    void fleetThread();
    void demoPreset();
};

void TestSimFleet::hostSpec_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<bool>("valid");
    QTest::newRow("minimal") << u"name=h1"_s << true;
    QTest::newRow("full") << u"name=h1,port=18101,models=a:b,compat=v250,api-key=K,tz=+02:00,load-ms=50,ttl-ms=100,gpus=2,rpm=6"_s << true;
    QTest::newRow("no name") << u"port=1"_s << false;
    QTest::newRow("bad compat") << u"name=h,compat=v1"_s << false;
    QTest::newRow("bad port") << u"name=h,port=70000"_s << false;
    QTest::newRow("bad tz") << u"name=h,tz=CEST"_s << false;
    QTest::newRow("unknown key") << u"name=h,colour=blue"_s << false;
    QTest::newRow("no value") << u"name=h,models"_s << false;
}

void TestSimFleet::hostSpec()
{
    QFETCH(QString, spec);
    QFETCH(bool, valid);
    const auto config = SimHostConfig::fromSpec(spec);
    QCOMPARE(config.ok(), valid);
    if (!valid) {
        QCOMPARE(config.error().code, u"sim.spec"_s);
        return;
    }
    if (spec.startsWith(u"name=h1,port")) {
        QCOMPARE(config->port, 18101);
        QCOMPARE(config->compat, SimCompat::V250);
        QCOMPARE(config->apiKeys, QStringList({u"K"_s}));
        QCOMPARE(config->utcOffsetSeconds, 7200);
        QCOMPARE(config->models.size(), 2);
        QCOMPARE(config->models.at(1).id, u"b"_s);
        QCOMPARE(config->models.at(0).loadMs, 50);
        QCOMPARE(config->models.at(0).ttlMs, 100);
        QCOMPARE(config->gpus.size(), 2);
        QCOMPARE(config->background.requestsPerMinute, 6.0);
    }
}

void TestSimFleet::duplicateNamesRefused()
{
    SimFleet fleet;
    QVERIFY(fleet.addHost(fastHost(u"a"_s)));
    QVERIFY(!fleet.addHost(fastHost(u"a"_s)));
    QCOMPARE(fleet.hosts().size(), 1);
}

void TestSimFleet::controlApi()
{
    SimFleet fleet;
    SimHost *h1 = fleet.addHost(fastHost(u"h1"_s));
    SimHostConfig v250 = fastHost(u"h2"_s, {u"llama-3.2-3b"_s});
    v250.compat = SimCompat::V250;
    SimHost *h2 = fleet.addHost(v250);
    QVERIFY(fleet.startAll().ok());
    SimControlServer control(&fleet);
    QVERIFY(control.listen(QHostAddress::LocalHost, 0).ok());
    QNetworkAccessManager nam;
    const quint16 port = control.port();

    Reply r = get(nam, port, u"/hosts"_s);
    QCOMPARE(r.status, 200);
    const QJsonArray hosts = r.object().value(u"hosts"_s).toArray();
    QCOMPARE(hosts.size(), 2);
    QCOMPARE(hosts.at(0).toObject().value(u"name"_s).toString(), u"h1"_s);
    QCOMPARE(hosts.at(0).toObject().value(u"port"_s).toInt(), h1->port());
    QCOMPARE(hosts.at(1).toObject().value(u"compat"_s).toString(), u"v250"_s);
    QCOMPARE(hosts.at(0).toObject().value(u"lastActivityId"_s).toInt(), -1);

    r = post(nam, port, u"/hosts/h1/traffic"_s, "{\"count\":25,\"model\":\"qwen3-8b\",\"stream\":false}"_ba);
    QCOMPARE(r.status, 202);
    QCOMPARE(r.object().value(u"queued"_s).toInt(), 25);
    QTRY_COMPARE_WITH_TIMEOUT(h1->activity().lastId(), 25, 10000);
    r = post(nam, port, u"/traffic"_s, "{\"count\":3,\"status\":500}"_ba);
    QCOMPARE(r.object().value(u"queued"_s).toInt(), 6);
    QTRY_COMPARE_WITH_TIMEOUT(h2->activity().lastId(), 3, 10000);
    QCOMPARE(h2->activity().rows().back().status, 500);
    QTRY_COMPARE_WITH_TIMEOUT(h1->activity().lastId(), 28, 10000);

    r = get(nam, port, u"/hosts/h1"_s);
    QCOMPARE(r.object().value(u"lastActivityId"_s).toInt(), 28);
    QCOMPARE(r.object().value(u"rows"_s).toInt(), 28);
    QCOMPARE(r.object().value(u"inflight"_s).toInt(), 0);
    const QJsonObject models = r.object().value(u"models"_s).toObject();
    QCOMPARE(models.keys(), QStringList({u"gpt-oss-20b"_s, u"qwen3-8b"_s}));
    for (const QJsonValue &state : models)
        QVERIFY(QStringList({u"stopped"_s, u"starting"_s, u"ready"_s, u"stopping"_s}).contains(state.toString()));

    r = post(nam, port, u"/hosts/h1/faults/stall"_s, {});
    QVERIFY(r.object().value(u"state"_s).toObject().value(u"stalled"_s).toBool());
    QVERIFY(h1->isStalled());
    r = post(nam, port, u"/hosts/h1/faults/stall"_s, "{\"on\":false}"_ba);
    QVERIFY(!h1->isStalled());
    r = post(nam, port, u"/hosts/h1/faults/malformed"_s, "{\"kind\":\"huge-line\",\"mb\":0.5}"_ba);
    QCOMPARE(r.status, 200);
    r = post(nam, port, u"/hosts/h1/faults/down"_s, {});
    QVERIFY(!r.object().value(u"state"_s).toObject().value(u"up"_s).toBool());
    QCOMPARE(get(nam, h1->port(), u"/health"_s).error, QNetworkReply::ConnectionRefusedError);
    r = post(nam, port, u"/hosts/h1/faults/up"_s, {});
    QVERIFY(r.object().value(u"state"_s).toObject().value(u"up"_s).toBool());
    r = post(nam, port, u"/hosts/h1/faults/restart"_s, "{\"downMs\":50,\"version\":\"v252\"}"_ba);
    QCOMPARE(r.status, 200);
    QTRY_VERIFY_WITH_TIMEOUT(h1->isUp(), 5000);
    QCOMPARE(get(nam, port, u"/hosts/h1"_s).object().value(u"lastActivityId"_s).toInt(), -1);
    QCOMPARE(h1->version(), u"v252"_s);
    r = post(nam, port, u"/hosts/h2/faults/reload"_s, {});
    QCOMPARE(r.status, 200);
    r = post(nam, port, u"/hosts/h2/faults/drop-streams"_s, {});
    QCOMPARE(r.status, 200);

    QSignalSpy quit(&control, &SimControlServer::quitRequested);
    r = post(nam, port, u"/quit"_s, {});
    QCOMPARE(r.status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(quit.size(), 1, 2000);
}

void TestSimFleet::controlApiErrors_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("error");
    QTest::newRow("unknown host") << u"/hosts/zz/traffic"_s << QByteArray() << 404 << u"unknown host"_s;
    QTest::newRow("unknown fault") << u"/hosts/h1/faults/meteor"_s << QByteArray() << 404 << u"unknown fault \"meteor\""_s;
    QTest::newRow("body not an object") << u"/hosts/h1/traffic"_s << "[1]"_ba << 400 << u"body must be a JSON object"_s;
    QTest::newRow("bad count") << u"/traffic"_s << "{\"count\":0}"_ba << 400
                               << u"traffic: field \"count\" is 0, must be between 1 and 10000000"_s;
    QTest::newRow("bad timing") << u"/traffic"_s << "{\"timing\":\"later\"}"_ba << 400
                                << u"traffic: field \"timing\" is \"later\", must be one of auto, realtime or instant"_s;
    QTest::newRow("bad kind") << u"/hosts/h1/faults/malformed"_s << "{\"kind\":\"bits\"}"_ba << 400
                              << u"malformed: field \"kind\" must be bad-json, bad-envelope, huge-line or invalid-utf8"_s;
    // Wrong JSON types once became defaults: {"on":"no"} stalled the host.
    QTest::newRow("stall on as string") << u"/hosts/h1/faults/stall"_s << "{\"on\":\"no\"}"_ba << 400
                                        << u"stall: field \"on\" is a string, expected a boolean"_s;
    QTest::newRow("count as string") << u"/traffic"_s << "{\"count\":\"5\"}"_ba << 400
                                     << u"traffic: field \"count\" is a string, expected a number"_s;
    QTest::newRow("stream as string") << u"/traffic"_s << "{\"stream\":\"no\"}"_ba << 400
                                      << u"traffic: field \"stream\" is a string, expected a boolean"_s;
    QTest::newRow("bad endpoint") << u"/traffic"_s << "{\"endpoint\":\"/v2/chat\"}"_ba << 400
                                  << u"traffic: field \"endpoint\" is \"/v2/chat\", must be one of /v1/chat/completions, /v1/completions, "
                                     u"/completion or /v1/embeddings"_s;
    QTest::newRow("status code as string") << u"/hosts/h1/faults/status"_s << "{\"code\":\"503\"}"_ba << 400
                                           << u"status: field \"code\" is a string, expected a number"_s;
    QTest::newRow("status code 200") << u"/hosts/h1/faults/status"_s << "{\"code\":200}"_ba << 400
                                     << u"status: field \"code\" is 200, must be 0 (off) or 400-599"_s;
    QTest::newRow("restart downMs as string") << u"/hosts/h1/faults/restart"_s << "{\"downMs\":\"50\"}"_ba << 400
                                              << u"restart: field \"downMs\" is a string, expected a number"_s;
    QTest::newRow("mb as string") << u"/hosts/h1/faults/malformed"_s << "{\"mb\":\"1\"}"_ba << 400
                                  << u"malformed: field \"mb\" is a string, expected a number"_s;
    QTest::newRow("unknown route") << u"/nothing"_s << QByteArray() << 404 << u"no such route"_s;
}

void TestSimFleet::controlApiErrors()
{
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, error);
    SimFleet fleet;
    fleet.addHost(fastHost(u"h1"_s));
    QVERIFY(fleet.startAll().ok());
    SimControlServer control(&fleet);
    QVERIFY(control.listen(QHostAddress::LocalHost, 0).ok());
    QNetworkAccessManager nam;
    const Reply r = post(nam, control.port(), path, body);
    QCOMPARE(r.status, status);
    QCOMPARE(r.object().value(u"error"_s).toString(), error);
    // A refused fault changes nothing.
    QVERIFY(!fleet.host(u"h1"_s)->isStalled());
}

void TestSimFleet::fleetThread()
{
    SimFleetThread runner;
    SimHostConfig secured = fastHost(u"secured"_s);
    secured.apiKeys = {u"s3cret"_s};
    const auto endpoints = runner.start({fastHost(u"open"_s), secured});
    QVERIFY(endpoints.ok());
    QCOMPARE(endpoints->size(), 2);
    QCOMPARE(endpoints->at(1).apiKey, u"s3cret"_s);
    QVERIFY(runner.isRunning());

    // The hosts answer from their own thread while this one waits on the network.
    QNetworkAccessManager nam;
    const quint16 open = quint16(endpoints->at(0).baseUrl.port());
    QCOMPARE(get(nam, open, u"/health"_s).body, "OK"_ba);
    QCOMPARE(get(nam, quint16(endpoints->at(1).baseUrl.port()), u"/running"_s, {{"Authorization"_ba, "Bearer s3cret"_ba}}).status, 200);
    QThread *fleetThread = nullptr;
    runner.post([&fleetThread](SimFleet *fleet) {
        fleetThread = QThread::currentThread();
        SimTrafficSpec spec;
        spec.count = 50;
        fleet->host(u"open"_s)->generateTraffic(spec);
    });
    QTRY_VERIFY_WITH_TIMEOUT(fleetThread != nullptr, 5000);
    QVERIFY(fleetThread != QThread::currentThread());
    QTRY_COMPARE_WITH_TIMEOUT(get(nam, open, u"/api/metrics/activity?limit=1"_s).object().value(u"total"_s).toInt(), 50, 10000);

    SimFleetThread clash;
    SimHostConfig taken = fastHost(u"clash"_s);
    taken.port = open;
    QVERIFY(!clash.start({taken}).ok()); // port in use: an error, not a crash
    QVERIFY(!clash.isRunning());

    runner.stop();
    QVERIFY(!runner.isRunning());
    QCOMPARE(get(nam, open, u"/health"_s).error, QNetworkReply::ConnectionRefusedError);
}

void TestSimFleet::demoPreset()
{
    const QList<SimHostConfig> preset = SimFleet::demoPreset();
    QCOMPARE(preset.size(), 3);
    QCOMPARE(preset.at(2).compat, SimCompat::V250);
    QVERIFY(preset.at(1).gpus.first().unifiedMemory);
    for (const SimHostConfig &c : preset)
        QVERIFY(c.background.requestsPerMinute > 0);

    SimFleetThread demo;
    const auto endpoints = demo.start(preset);
    QVERIFY(endpoints.ok());
    QNetworkAccessManager nam;
    for (const SimFleetEndpoint &e : *endpoints) {
        const Reply models = get(nam, quint16(e.baseUrl.port()), u"/v1/models"_s);
        QCOMPARE(models.status, 200);
        QVERIFY(models.object().value(u"data"_s).toArray().size() >= 2);
    }
    QCOMPARE(endpoints->at(2).compat, u"v250"_s);
    demo.stop();
}

QTEST_GUILESS_MAIN(TestSimFleet)
#include "tst_simfleet.moc"
