// Nothing lost, nothing doubled: steady traffic on simulated hosts while streams drop, a host
// reloads, a host restarts (ids start again), a host is down longer than the backoff, a host
// stalls, frames are malformed, a host's ring buffer overflows during an outage, and (on
// Postgres) the database is stopped and restarted. Afterwards the database holds every row each
// host still has, exactly once; liveness is right; gap_suspected is set exactly on the hosts
// that lost rows; and a WebSocket client and /api/fleet agree with the server's state.
//
// Runs alone (RUN_SERIAL): the Postgres variant stops the shared test server.

#include "core/fleet/fleetstate.h"
#include "core/server/controlserver.h"
#include "core/sim/simhost.h"
#include "core/sim/simtrafficspec.h"
#include "core/store/historywriter.h"
#include "tests/common/ingestharness.h"
#include "tests/common/testdatabases.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>

using namespace Qt::StringLiterals;
using namespace boo;
using boo::test::IngestHarness;
using boo::test::TestDatabase;

namespace {

QList<SimHostConfig> fleetConfigs()
{
    QList<SimHostConfig> configs;
    for (const QString &spec : {u"name=cur,models=alpha:beta,load-ms=80,perf-ms=300"_s,
                                u"name=v250host,models=alpha:beta,compat=v250,load-ms=80,perf-ms=300,tz=+02:00"_s,
                                u"name=v235host,models=alpha,compat=v235,load-ms=80,perf-ms=300,tz=-05:30"_s,
                                u"name=ring,models=alpha,load-ms=80,perf-ms=300"_s}) {
        auto config = SimHostConfig::fromSpec(spec);
        if (!config)
            qFatal("%s", qPrintable(config.error().message));
        configs << *config;
    }
    return configs;
}

void traffic(SimHost *host, int count, double rate)
{
    SimTrafficSpec spec;
    spec.count = count;
    spec.rate = rate;
    spec.timing = SimTrafficSpec::Timing::Instant;
    host->generateTraffic(spec);
}

void steadyTraffic(IngestHarness &h, const QStringList &hosts, int durationMs)
{
    for (const QString &name : hosts)
        traffic(h.host(name), durationMs / 25, 40);
    QTest::qWait(durationMs);
}

bool postgresControl(const QString &action)
{
    QStringList args{action};
    if (action == u"stop"_s)
        args << u"-m"_s << u"fast"_s;
    return QProcess::execute(TestDatabase::postgresControlCommand(), args) == 0;
}

} // namespace

class TestIngestFaults : public QObject
{
    Q_OBJECT

    void runScenario(SqlDialect dialect)
    {
        auto tdb = TestDatabase::create(dialect);
        if (!tdb)
            return;
        const bool databaseOutage = dialect == SqlDialect::Postgres;
        if (databaseOutage && TestDatabase::postgresControlCommand().isEmpty())
            QSKIP("needs BOO_TEST_PG_CTL to stop and start the test Postgres (./scripts/test sets it)");

        IngestHarness h(tdb->url(), fleetConfigs());
        const auto started = h.start();
        QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().message));
        const QStringList all = h.hostNames();

        // A WebSocket client follows the server from the start, like an attached cockpit.
        FleetState client;
        QWebSocket socket;
        connect(&socket, &QWebSocket::textMessageReceived, this, [&client](const QString &text) {
            const QJsonObject json = QJsonDocument::fromJson(text.toUtf8()).object();
            if (json.value(u"type"_s).toString() == u"control_snapshot"_s) {
                if (auto snapshot = FleetState::Snapshot::fromJson(json))
                    client.loadSnapshot(*snapshot);
            } else if (auto delta = FleetDelta::fromJson(json)) {
                client.apply(*delta);
            }
        });
        socket.open(QUrl(u"ws://127.0.0.1:%1/api/ws/control"_s.arg(h.server()->port())));

        QTRY_VERIFY_WITH_TIMEOUT(h.settled(), 15000);
        steadyTraffic(h, all, 800);

        // Streams drop; a host reloads its configuration (streams closed, in-flight ids reset).
        h.host(u"cur"_s)->dropStreams();
        h.host(u"v250host"_s)->reloadConfig();
        steadyTraffic(h, all, 800);

        // A restart (ids start again). Traffic pauses first: a row that finishes in the instant
        // before a crash, and whose activity event never leaves the host, cannot be known.
        QTRY_VERIFY_WITH_TIMEOUT(h.settled(), 15000);
        h.host(u"v235host"_s)->restart(400);
        h.host(u"cur"_s)->restart(300, u"v251"_s);
        QTest::qWait(500);
        steadyTraffic(h, all, 800);

        // Down for longer than the whole backoff table (the circuit breaker opens), traffic on.
        h.host(u"cur"_s)->goDown();
        traffic(h.host(u"cur"_s), 80, 40);
        QTRY_COMPARE_WITH_TIMEOUT(h.fleet()->host(u"cur"_s)->liveness, Liveness::Down, 10000);
        QVERIFY(h.host(u"cur"_s)->comeUp().ok());

        // A stall: new connections accepted but never answered, the event stream silent. (The
        // watchdog's reaction to a silent stream is tested on its own in tst_hostconnector.)
        h.host(u"v250host"_s)->setStalled(true);
        steadyTraffic(h, {u"v250host"_s}, 2500);
        h.host(u"v250host"_s)->setStalled(false);

        // Malformed frames on an open stream.
        QTRY_VERIFY_WITH_TIMEOUT(h.settled(), 15000);
        h.host(u"v235host"_s)->injectMalformedEvent(SimMalformedEvent::BadJson);
        h.host(u"v235host"_s)->injectMalformedEvent(SimMalformedEvent::BadEnvelope);
        h.host(u"v235host"_s)->injectMalformedEvent(SimMalformedEvent::InvalidUtf8);
        h.host(u"v235host"_s)->injectMalformedEvent(SimMalformedEvent::HugeLine, 5 * 1024 * 1024);
        steadyTraffic(h, {u"v235host"_s}, 600);

        // The one real loss: an outage during which the host's 1,000-row ring overflows.
        h.host(u"ring"_s)->goDown();
        traffic(h.host(u"ring"_s), 1300, 0);
        QTest::qWait(300);
        QVERIFY(h.host(u"ring"_s)->comeUp().ok());

        if (databaseOutage) {
            QVERIFY(postgresControl(u"stop"_s));
            steadyTraffic(h, all, 1500);
            QVERIFY(!h.writer()->stats().databaseUp);
            QVERIFY(postgresControl(u"start"_s));
        }
        steadyTraffic(h, all, 600);

        QString why;
        QTRY_VERIFY2_WITH_TIMEOUT(h.settled(&why), qPrintable(why), 30000);

        for (const IngestHarness::HostReport &r : h.report()) {
            const QString context = u"%1: produced %2, stored %3, lost %4, unknown %5, held-not-stored %6, gap %7"_s.arg(r.host)
                                        .arg(r.produced)
                                        .arg(r.stored)
                                        .arg(r.lost)
                                        .arg(r.unknown)
                                        .arg(r.heldNotStored)
                                        .arg(r.gapSuspected);
            qInfo().noquote() << context;
            QVERIFY2(r.produced > 100, qPrintable(context));
            QVERIFY2(r.heldNotStored == 0, qPrintable(context)); // every row the host still has
            QVERIFY2(r.unknown == 0, qPrintable(context));       // nothing invented or doubled
            QVERIFY2(r.gapSuspected == (r.lost > 0), qPrintable(context));
            QVERIFY2((r.host == u"ring"_s) == (r.lost > 0), qPrintable(context));
            QCOMPARE(h.fleet()->host(r.host)->liveness, Liveness::Connected);
        }
        QCOMPARE(tdb->count(u"control_requests"_s),
                 tdb->count(u"(SELECT DISTINCT provider_id, swap_entry_id, ts FROM control_requests) AS d"_s));
        QVERIFY(tdb->count(u"control_host_events"_s, u"kind = 'restart'"_s) >= 2);
        QVERIFY(tdb->count(u"control_host_events"_s, u"kind = 'gap' AND provider_id = 'ring'"_s) >= 1);
        QVERIFY(tdb->count(u"control_host_events"_s, u"kind = 'liveness' AND detail LIKE '%-> down%'"_s) >= 1);
        QVERIFY(tdb->count(u"control_perf_samples"_s) > 0);
        QVERIFY(tdb->count(u"control_model_events"_s) > 0);
        QVERIFY(tdb->count(u"control_hosts"_s, u"gap_suspected = 1"_s) == 1);

        // The WebSocket client and /api/fleet agree with the server's FleetState.
        QTRY_VERIFY_WITH_TIMEOUT(client.hostIds() == h.fleet()->hostIds(), 5000);
        for (const QString &id : h.fleet()->hostIds())
            QTRY_COMPARE_WITH_TIMEOUT(client.host(id)->seq, h.fleet()->host(id)->seq, 5000);
        for (const QString &id : h.fleet()->hostIds()) {
            HostState fromClient = *client.host(id);
            HostState fromServer = *h.fleet()->host(id);
            QCOMPARE(fromClient.lastActivityId, fromServer.lastActivityId);
            QCOMPARE(fromClient.gapSuspected, fromServer.gapSuspected);
            QCOMPARE(fromClient.liveness, fromServer.liveness);
            QCOMPARE(fromClient.models, fromServer.models);
        }
        QNetworkAccessManager nam;
        QNetworkReply *reply = nam.get(QNetworkRequest(QUrl(u"http://127.0.0.1:%1/api/fleet"_s.arg(h.server()->port()))));
        QSignalSpy finished(reply, &QNetworkReply::finished);
        QVERIFY(finished.wait(5000));
        const QJsonArray hosts = QJsonDocument::fromJson(reply->readAll()).object().value(u"hosts"_s).toArray();
        QCOMPARE(hosts.size(), all.size());
        for (const QJsonValue &value : hosts) {
            const QJsonObject host = value.toObject();
            const QString id = host.value(u"id"_s).toString();
            QCOMPARE(host.value(u"gap_suspected"_s).toBool(), id == u"ring"_s);
            QCOMPARE(host.value(u"liveness"_s).toString(), u"connected"_s);
            // The newest row the server reports for the host is the newest one stored.
            const qint64 newest = host.value(u"last_activity_id"_s).toInteger();
            QVERIFY2(tdb->count(u"control_requests"_s, u"provider_id = '%1' AND swap_entry_id = %2"_s.arg(id).arg(newest)) >= 1,
                     qPrintable(u"%1: last_activity_id %2 is not stored (%3 rows with higher ids are)"_s.arg(id).arg(newest).arg(
                         tdb->count(u"control_requests"_s, u"provider_id = '%1' AND swap_entry_id > %2"_s.arg(id).arg(newest)))));
        }
        reply->deleteLater();
        h.stop();
    }

private Q_SLOTS:
    void faultsOnSqlite() { runScenario(SqlDialect::Sqlite); }
    void faultsOnPostgresIncludingDatabaseOutage() { runScenario(SqlDialect::Postgres); }
};

QTEST_GUILESS_MAIN(TestIngestFaults)
#include "tst_ingestfaults.moc"
