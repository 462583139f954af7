#include "core/fleet/fleetstate.h"
#include "core/ingest/hostconnector.h"
#include "core/providers/secretresolver.h"
#include "tests/ingest/scriptedhost.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;
using boo::test::ScriptedHost;

namespace {

ConnectorTimings quick()
{
    ConnectorTimings t;
    t.backoffMs = {40, 80, 160};
    t.downAfterFailures = 3;
    t.downProbeMs = 400;
    t.idleProbeMs = 300;
    t.requestTimeoutMs = 400;
    t.headerTimeoutMs = 400;
    t.activityCoalesceMs = 10;
    t.perfIntervalMs = 60000;
    t.runningRefreshMs = 20;
    return t;
}

} // namespace

class TestHostConnector : public QObject
{
    Q_OBJECT

    QNetworkAccessManager m_nam;
    SecretResolver m_secrets;

    std::unique_ptr<HostConnector> connector(FleetState &fleet, const ScriptedHost &host, std::optional<ApiKeyRef> key = {})
    {
        ProviderConfig provider;
        provider.id = u"h"_s;
        provider.name = u"H"_s;
        provider.baseUrl = host.baseUrl();
        provider.apiKey = key;
        return std::make_unique<HostConnector>(provider, &m_nam, &fleet, &m_secrets, quick());
    }

    static Liveness liveness(const FleetState &fleet) { return fleet.host(u"h"_s)->liveness; }

private Q_SLOTS:
    void connectsAndAppliesEvents()
    {
        ScriptedHost host;
        FleetState fleet;
        auto c = connector(fleet, host);
        c->start();
        QTRY_COMPARE(liveness(fleet), Liveness::Connected);
        QCOMPARE(fleet.host(u"h"_s)->version, u"v251"_s);
        QCOMPARE(fleet.host(u"h"_s)->generation, u"current"_s);
        host.send(u"modelStatus"_s,
                  "[{\"id\":\"m\",\"name\":\"\",\"description\":\"\",\"state\":\"ready\",\"unlisted\":false,\"peerID\":\"\"}]");
        QTRY_VERIFY(fleet.host(u"h"_s)->model(u"m"_s) != nullptr);
        QCOMPARE(fleet.host(u"h"_s)->model(u"m"_s)->state, ModelState::Ready);
        QCOMPARE(c->counters().connects, 1);
    }

    void unansweredStreamCountsAsFailureUntilDown()
    {
        ScriptedHost host;
        host.events = ScriptedHost::Behaviour::Hang; // accepts, never answers
        FleetState fleet;
        QList<LivenessChanged> transitions;
        connect(&fleet, &FleetState::changed, this, [&transitions](const FleetDelta &delta) {
            if (const auto *t = delta.as<LivenessChanged>())
                transitions << *t;
        });
        auto c = connector(fleet, host);
        c->start();
        QTRY_COMPARE_WITH_TIMEOUT(liveness(fleet), Liveness::Down, 5000);
        QVERIFY(fleet.host(u"h"_s)->lastError.contains(u"no answer within 400 ms"_s));
        // It starts as "reconnecting" and was never "connected" on the way down.
        QCOMPARE(transitions.size(), 1);
        QCOMPARE(transitions.first().from, Liveness::Reconnecting);
        QCOMPARE(transitions.first().to, Liveness::Down);
        QCOMPARE(c->counters().failures, 3);

        // The circuit breaker: while down, attempts come every downProbeMs, not every 40 ms.
        const int before = host.versionRequests;
        QTest::qWait(700);
        QVERIFY2(host.versionRequests - before <= 2, qPrintable(QString::number(host.versionRequests - before)));

        host.events = ScriptedHost::Behaviour::Answer;
        QTRY_COMPARE_WITH_TIMEOUT(liveness(fleet), Liveness::Connected, 3000);
        QVERIFY(fleet.host(u"h"_s)->lastError.isEmpty());
    }

    void silentStreamIsCheckedWithHealthProbes()
    {
        ScriptedHost host;
        FleetState fleet;
        auto c = connector(fleet, host);
        c->start();
        QTRY_COMPARE(liveness(fleet), Liveness::Connected);

        // A quiet host that answers /health keeps its stream, however long it is quiet.
        QTRY_VERIFY_WITH_TIMEOUT(host.healthRequests >= 3, 3000);
        QCOMPARE(liveness(fleet), Liveness::Connected);
        QCOMPARE(host.openStreams(), 1);

        // A quiet host that no longer answers /health loses it.
        host.health = ScriptedHost::Behaviour::Hang;
        QTRY_COMPARE_WITH_TIMEOUT(liveness(fleet), Liveness::Reconnecting, 3000);
        QVERIFY2(fleet.host(u"h"_s)->lastError.contains(u"the event stream was silent"_s), qPrintable(fleet.host(u"h"_s)->lastError));
        host.health = ScriptedHost::Behaviour::Answer;
        QTRY_COMPARE_WITH_TIMEOUT(liveness(fleet), Liveness::Connected, 3000);
    }

    void refusedKeyIsNamedAndReadAgain()
    {
        ScriptedHost host;
        host.requiredKey = "right";
        qputenv("BOO_TEST_CONNECTOR_KEY", "wrong");
        FleetState fleet;
        auto c = connector(fleet, host, ApiKeyRef{ApiKeyRef::Store::Environment, u"BOO_TEST_CONNECTOR_KEY"_s});
        c->start();
        QTRY_VERIFY(!fleet.host(u"h"_s)->lastError.isEmpty());
        QCOMPARE(fleet.host(u"h"_s)->lastError, u"the host refused the API key from env:BOO_TEST_CONNECTOR_KEY (HTTP 401)"_s);
        QVERIFY(liveness(fleet) != Liveness::Connected);

        qputenv("BOO_TEST_CONNECTOR_KEY", "right"); // the operator fixes the key
        QTRY_COMPARE_WITH_TIMEOUT(liveness(fleet), Liveness::Connected, 5000);
    }

    void missingKeyVariableIsAClearError()
    {
        ScriptedHost host;
        FleetState fleet;
        auto c = connector(fleet, host, ApiKeyRef{ApiKeyRef::Store::Environment, u"BOO_TEST_UNSET_KEY"_s});
        c->start();
        QTRY_COMPARE(fleet.host(u"h"_s)->lastError, u"API key: environment variable BOO_TEST_UNSET_KEY is not set (or empty)"_s);
        QCOMPARE(host.versionRequests, 0); // nothing is sent without the key
    }

    void retryAfterIsHonoured()
    {
        ScriptedHost host;
        host.versionStatus = 503;
        host.retryAfterSeconds = 1;
        FleetState fleet;
        auto c = connector(fleet, host);
        c->start();
        QTRY_COMPARE_WITH_TIMEOUT(host.versionRequests, 2, 3000);
        const qint64 gap = host.versionRequestTimes.at(1) - host.versionRequestTimes.at(0);
        QVERIFY2(gap >= 950, qPrintable(QString::number(gap))); // not the 40 ms of the table
    }

    void restartWithUnfetchedRowsIsAGap()
    {
        ScriptedHost host;
        host.rows = {{1, u"2026-08-22T18:41:01+02:00"_s}, {2, u"2026-08-22T18:41:02+02:00"_s}, {3, u"2026-08-22T18:41:03+02:00"_s}};
        FleetState fleet;
        auto c = connector(fleet, host);
        c->start();
        QTRY_COMPARE(fleet.host(u"h"_s)->lastActivityId, 3);

        // Rows 4 and 5 finish and are announced, but the host dies before we could read them.
        host.activity = ScriptedHost::Behaviour::Hang;
        host.rows << ScriptedHost::Row{4, u"2026-08-22T18:41:04+02:00"_s} << ScriptedHost::Row{5, u"2026-08-22T18:41:05+02:00"_s};
        host.send(u"activity"_s, "{\"id\":5}");
        QTest::qWait(100);
        host.rows = {{1, u"2026-08-22T18:45:00+02:00"_s}}; // the new run
        host.activity = ScriptedHost::Behaviour::Answer;
        host.answerHungActivityRequests();
        host.closeStreams();

        QTRY_VERIFY_WITH_TIMEOUT(fleet.host(u"h"_s)->gapSuspected, 5000);
        QTRY_COMPARE(fleet.host(u"h"_s)->lastActivityId, 1);
    }

    void restartWithEverythingFetchedIsNoGap()
    {
        ScriptedHost host;
        host.rows = {{1, u"2026-08-22T18:41:01Z"_s}, {2, u"2026-08-22T18:41:02Z"_s}};
        FleetState fleet;
        auto c = connector(fleet, host);
        c->start();
        QTRY_COMPARE(fleet.host(u"h"_s)->lastActivityId, 2);
        host.rows = {{1, u"2026-08-22T18:50:00Z"_s}, {2, u"2026-08-22T18:50:01Z"_s}, {3, u"2026-08-22T18:50:02Z"_s}};
        host.closeStreams(); // a restart: ids 1..2 now belong to other requests
        QTRY_COMPARE_WITH_TIMEOUT(fleet.host(u"h"_s)->lastActivityId, 3, 5000);
        QCOMPARE(fleet.host(u"h"_s)->gapSuspected, false);
    }
};

QTEST_GUILESS_MAIN(TestHostConnector)
#include "tst_hostconnector.moc"
