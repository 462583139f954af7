#include "core/fleet/fleetstate.h"
#include "core/ingest/hostconnector.h"
#include "core/ingest/logeventfeed.h"
#include "core/providers/secretresolver.h"
#include "core/sim/simhost.h"
#include "core/sim/simstreamgroup.h"

#include <QNetworkAccessManager>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

// Log tails from hosts of both shapes: logData on /api/events (up to v258) and the separate
// /api/events/logs stream (v259+), told apart by version or, for dev builds, by the snapshot.
class TestLogEventFeed : public QObject
{
    Q_OBJECT

    QNetworkAccessManager m_nam;
    SecretResolver m_secrets;

    static SimHostConfig host(SimCompat compat, const QString &version = {})
    {
        SimHostConfig c;
        c.name = u"h"_s;
        c.compat = compat;
        c.version = version;
        SimModelConfig m = SimModelConfig::fromName(u"qwen3-8b"_s);
        m.loadMs = 20;
        c.models = {m};
        c.perfIntervalMs = 60000;
        return c;
    }

    std::unique_ptr<HostConnector> connector(FleetState &fleet, const SimHost &sim)
    {
        ProviderConfig provider;
        provider.id = u"h"_s;
        provider.name = u"H"_s;
        provider.baseUrl = sim.baseUrl();
        ConnectorTimings t;
        t.backoffMs = {50};
        t.requestTimeoutMs = 2000;
        t.headerTimeoutMs = 2000;
        t.perfIntervalMs = 60000;
        return std::make_unique<HostConnector>(provider, &m_nam, &fleet, &m_secrets, t);
    }

    static bool tailContains(const FleetState &fleet, const QString &source, const QString &text)
    {
        for (const LogLine &line : fleet.logTail(u"h"_s, source)) {
            if (line.plain.contains(text))
                return true;
        }
        return false;
    }

private Q_SLOTS:
    void modeFromVersion_data()
    {
        QTest::addColumn<QString>("version");
        QTest::addColumn<int>("mode");
        QTest::newRow("v250") << u"v250"_s << int(LogEventFeed::Mode::OnEvents);
        QTest::newRow("v258-3-gabc") << u"v258-3-gabc"_s << int(LogEventFeed::Mode::OnEvents);
        QTest::newRow("v259") << u"v259"_s << int(LogEventFeed::Mode::Separate);
        QTest::newRow("v260") << u"v260"_s << int(LogEventFeed::Mode::Separate);
        QTest::newRow("dev build") << u"unknown"_s << int(LogEventFeed::Mode::Undecided);
    }
    void modeFromVersion()
    {
        QFETCH(QString, version);
        QFETCH(int, mode);
        QCOMPARE(int(LogEventFeed::modeForVersion(VersionInfo::fromVersionString(version))), mode);
        QCOMPARE(int(LogEventFeed::modeForVersion(std::nullopt)), int(LogEventFeed::Mode::Undecided));
    }

    void tailsBothShapes_data()
    {
        QTest::addColumn<int>("compat");
        QTest::addColumn<QString>("version");
        QTest::addColumn<int>("logClients"); // /logs/stream + /api/events/logs listeners on the host
        QTest::newRow("v250: logs on /api/events, no second stream") << int(SimCompat::V250) << QString() << 0;
        QTest::newRow("v260 by version") << int(SimCompat::V260) << QString() << 1;
        QTest::newRow("v260 dev build, by the snapshot") << int(SimCompat::V260) << u"unknown"_s << 1;
        QTest::newRow("current dev build: logs in the snapshot") << int(SimCompat::Current) << u"0"_s << 0;
    }
    void tailsBothShapes()
    {
        QFETCH(int, compat);
        QFETCH(QString, version);
        QFETCH(int, logClients);
        SimHost sim(host(SimCompat(compat), version));
        QVERIFY(sim.start().ok());
        sim.logProxy("INFO", u"before we connected"_s);
        FleetState fleet;
        auto c = connector(fleet, sim);
        c->start();
        // The history arrives first, then live lines.
        QTRY_VERIFY_WITH_TIMEOUT(tailContains(fleet, u"proxy"_s, u"before we connected"_s), 5000);
        sim.logProxy("INFO", u"while we listen"_s);
        sim.logUpstream(u"qwen3-8b"_s, "upstream says hello\n"_ba);
        QTRY_VERIFY_WITH_TIMEOUT(tailContains(fleet, u"proxy"_s, u"while we listen"_s), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(tailContains(fleet, u"upstream"_s, u"upstream says hello"_s), 5000);
        QCOMPARE(sim.stateJson().value(u"logClients"_s).toInt(), logClients);
        QCOMPARE(sim.eventStreams()->count(), 1);
    }

    void reconnectReplacesTheTail()
    {
        SimHost sim(host(SimCompat::V260));
        QVERIFY(sim.start().ok());
        sim.logProxy("INFO", u"line one"_s);
        FleetState fleet;
        auto c = connector(fleet, sim);
        c->start();
        QTRY_VERIFY_WITH_TIMEOUT(tailContains(fleet, u"proxy"_s, u"line one"_s), 5000);
        const qsizetype before = fleet.logTail(u"h"_s, u"proxy"_s).size();
        sim.dropStreams(); // both streams reset; the connector comes back and gets the history again
        QTRY_COMPARE_WITH_TIMEOUT(fleet.host(u"h"_s)->liveness, Liveness::Reconnecting, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(fleet.host(u"h"_s)->liveness, Liveness::Connected, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(sim.logEvents()->count(), 1, 5000);
        QTest::qWait(100);
        QCOMPARE(fleet.logTail(u"h"_s, u"proxy"_s).size(), before); // replaced, not repeated
    }
};

QTEST_GUILESS_MAIN(TestLogEventFeed)
#include "tst_logeventfeed.moc"
