// An attached cockpit's FleetState follows a server's over the real WebSocket feed.

#include "core/client/remotefleetclient.h"
#include "core/fleet/fleetstate.h"
#include "core/server/controlfeed.h"
#include "core/server/controlserver.h"

#include <QDateTime>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

Q_DECLARE_METATYPE(boo::RemoteFleetClient::State)

namespace {

qint64 now()
{
    return QDateTime::currentMSecsSinceEpoch();
}

ModelStatus status(const QString &id, ModelState state)
{
    ModelStatus s;
    s.id = id;
    s.state = state;
    s.stateText = modelStateName(state);
    return s;
}

} // namespace

class TestRemoteFleetClient : public QObject
{
    Q_OBJECT

    FleetState m_serverFleet;
    std::unique_ptr<ControlServer> m_server;
    quint16 m_port = 0;

    void startServer(const QString &token = {}, quint16 port = 0)
    {
        ControlServerOptions options;
        options.listen = ListenAddress{QHostAddress(QHostAddress::LocalHost), port};
        options.token = token;
        m_server = std::make_unique<ControlServer>(&m_serverFleet, nullptr, nullptr, nullptr, options);
        const auto started = m_server->start();
        QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().message));
        m_port = m_server->port();
    }

    QUrl url() const { return *RemoteFleetClient::controlUrl(u"ws://127.0.0.1:%1"_s.arg(m_port)); }

private Q_SLOTS:
    void init()
    {
        for (const QString &id : m_serverFleet.hostIds())
            m_serverFleet.removeHost(id);
        m_serverFleet.addHost(u"h1"_s, u"Host 1"_s, u"http://h1:8080"_s);
        m_serverFleet.addHost(u"h2"_s, u"Host 2"_s, u"http://h2:8080"_s);
        m_serverFleet.setLiveness(u"h1"_s, Liveness::Connected, now());
    }

    void cleanup() { m_server.reset(); }

    void controlUrls_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("ws") << u"ws://server:9503"_s << u"ws://server:9503/api/ws/control"_s;
        QTest::newRow("http") << u"http://server:9503/"_s << u"ws://server:9503/api/ws/control"_s;
        QTest::newRow("https") << u"https://server"_s << u"wss://server/api/ws/control"_s;
        QTest::newRow("explicit path") << u"wss://proxy/boo/api/ws/control"_s << u"wss://proxy/boo/api/ws/control"_s;
        QTest::newRow("no scheme") << u"server:9503"_s << QString();
        QTest::newRow("ftp") << u"ftp://server"_s << QString();
    }

    void controlUrls()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        const auto url = RemoteFleetClient::controlUrl(text);
        QCOMPARE(url.ok(), !expected.isEmpty());
        if (!url.ok()) {
            QVERIFY2(url.error().message.contains(u"ws://server:9503"_s), qPrintable(url.error().message));
            return;
        }
        QCOMPARE(url->toString(), expected);
        QCOMPARE(RemoteFleetClient::httpBase(*url).scheme(), expected.startsWith(u"wss"_s) ? u"https"_s : u"http"_s);
        QCOMPARE(RemoteFleetClient::httpBase(*url).path(), QString());
    }

    void followsTheServer()
    {
        startServer();
        FleetState mirror;
        RemoteFleetClient client(url(), {}, &mirror);
        QSignalSpy jobs(&mirror, &FleetState::changed);
        client.start();
        QTRY_COMPARE(client.state(), RemoteFleetClient::State::Connected);
        QCOMPARE(mirror.hostIds(), m_serverFleet.hostIds());
        QCOMPARE(mirror.host(u"h1"_s)->liveness, Liveness::Connected);

        m_serverFleet.applyModelStatus(u"h1"_s, {status(u"qwen"_s, ModelState::Ready), status(u"oss"_s, ModelState::Stopped)}, now());
        ActivityEntry entry;
        entry.id = 5;
        entry.timestampMs = now();
        entry.model = u"qwen"_s;
        entry.respStatusCode = 200;
        entry.inputTokens = 10;
        m_serverFleet.addActivity(u"h1"_s, {entry});
        m_serverFleet.appendLog(u"h2"_s, u"proxy"_s, {LogLineSplitter::makeLine("[INFO] hello")});
        m_serverFleet.publishJob(u"h1"_s, QJsonObject{{u"job"_s, u"action"_s}, {u"id"_s, 3}});
        m_serverFleet.setLiveness(u"h2"_s, Liveness::Down, now(), u"refused"_s);

        QTRY_COMPARE(mirror.host(u"h2"_s)->liveness, Liveness::Down);
        QCOMPARE(mirror.host(u"h2"_s)->lastError, u"refused"_s);
        QCOMPARE(mirror.host(u"h1"_s)->model(u"qwen"_s)->state, ModelState::Ready);
        QCOMPARE(mirror.recentActivity(u"h1"_s).size(), 1);
        QCOMPARE(mirror.recentActivity(u"h1"_s).constFirst().inputTokens, std::optional<qint64>(10));
        QCOMPARE(mirror.logTail(u"h2"_s, u"proxy"_s).size(), 1);
        QCOMPARE(mirror.logTail(u"h2"_s, u"proxy"_s).constFirst().plain, u"[INFO] hello"_s);
        QCOMPARE(mirror.host(u"h1"_s)->seq, m_serverFleet.host(u"h1"_s)->seq);
        const bool sawJob = std::any_of(jobs.cbegin(), jobs.cend(), [](const QList<QVariant> &args) {
            const auto delta = args.at(0).value<FleetDelta>();
            const auto *update = delta.as<JobUpdated>();
            return update && update->job.value(u"id"_s).toInt() == 3;
        });
        QVERIFY(sawJob);
        QCOMPARE(client.malformedMessages(), 0);
    }

    // A benchmark's progress rides the same feed: it reaches listeners and is no bad delta.
    void sideMessagesAreNotDeltas()
    {
        startServer();
        FleetState mirror;
        RemoteFleetClient client(url(), {}, &mirror);
        QSignalSpy side(&client, &RemoteFleetClient::sideMessage);
        client.start();
        QTRY_COMPARE(client.state(), RemoteFleetClient::State::Connected);
        m_server->feed()->broadcastMessage(QJsonObject{{u"type"_s, u"bench_progress"_s}, {u"run"_s, QJsonObject{{u"id"_s, u"live-1"_s}}}});
        m_server->feed()->broadcastMessage(QJsonObject{{u"type"_s, u"no_such_thing"_s}});
        QTRY_COMPARE(side.size(), 1);
        QCOMPARE(side.constFirst().at(0).toJsonObject().value(u"run"_s).toObject().value(u"id"_s).toString(), u"live-1"_s);
        QTRY_COMPARE(client.malformedMessages(), 1); // the unknown type still counts
    }

    void rejoinsWithAFreshSnapshot()
    {
        startServer();
        FleetState mirror;
        RemoteFleetClient client(url(), {}, &mirror);
        client.setBackoff(Backoff({50, 100}, 0));
        QSignalSpy states(&client, &RemoteFleetClient::stateChanged);
        client.start();
        QTRY_COMPARE(client.snapshots(), 1);

        const quint16 port = m_port;
        m_server.reset();
        QTRY_COMPARE(client.state(), RemoteFleetClient::State::Reconnecting);
        QVERIFY(!client.lastError().isEmpty());
        // What happened while the cockpit was away must not linger after the rejoin.
        m_serverFleet.removeHost(u"h2"_s);
        m_serverFleet.setLiveness(u"h1"_s, Liveness::Reconnecting, now(), u"gone"_s);
        QCOMPARE(mirror.hostIds().size(), 2); // the last known picture stays meanwhile

        startServer({}, port);
        QTRY_COMPARE_WITH_TIMEOUT(client.snapshots(), 2, 10000);
        QCOMPARE(client.state(), RemoteFleetClient::State::Connected);
        QCOMPARE(mirror.hostIds(), QStringList{u"h1"_s});
        QCOMPARE(mirror.host(u"h1"_s)->liveness, Liveness::Reconnecting);
        QVERIFY(states.size() >= 3); // connected, reconnecting, connected
    }

    void needsTheServersToken()
    {
        startServer(u"sekrit"_s);
        FleetState without;
        RemoteFleetClient refused(url(), {}, &without);
        refused.setBackoff(Backoff({50}, 0));
        refused.start();
        FleetState with;
        RemoteFleetClient accepted(url(), u"sekrit"_s, &with);
        accepted.start();
        QTRY_COMPARE(accepted.state(), RemoteFleetClient::State::Connected);
        QCOMPARE(with.hostIds().size(), 2);
        QTRY_COMPARE(refused.state(), RemoteFleetClient::State::Reconnecting);
        QVERIFY(without.hostIds().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestRemoteFleetClient)
#include "tst_remotefleetclient.moc"
