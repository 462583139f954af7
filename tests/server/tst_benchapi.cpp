// POST/GET/DELETE /api/bench/runs on a ControlServer (token required) over live simulated hosts
// (FleetRuntime, SQLite), with the progress read from the WebSocket as an attached cockpit does:
// a run started, followed and stored; one run per host; cancel; the gate's refusals and force.

#include "core/actions/accessgate.h"
#include "core/actions/leasebook.h"
#include "core/alerts/alertmonitor.h"
#include "core/bench/benchjobs.h"
#include "core/bench/benchstore.h"
#include "core/fleet/fleetstate.h"
#include "core/server/benchapi.h"
#include "core/server/benchregressionalerts.h"
#include "core/server/controlserver.h"
#include "core/sim/simhost.h"
#include "core/sim/simmodelmanager.h"
#include "core/store/database.h"
#include "tests/common/livefleet.h"
#include "tests/sim/simtestsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>

using namespace Qt::StringLiterals;
using namespace boo;

namespace {

const QString kToken = u"s3cret-token"_s;

// A few requests of a fast simulated model: done in well under a second.
const QByteArray kQuickSuite = "name: quick\ntargets: [h1/qwen3-8b]\nconcurrency: [1, 2]\nprompt_tokens: 32\nmax_tokens: 16\n"
                               "repetitions: 1\nwarmup: 0\nrequests: 4\n";
// Hundreds of half-second requests: still running when the test cancels it.
const QByteArray kLongSuite = "name: long\ntargets: [h1/qwen3-8b]\nconcurrency: [1]\nprompt_tokens: 32\nmax_tokens: 2000\n"
                              "repetitions: 5\nwarmup: 0\nrequests: 100\n";

// Three repetitions per cell, so the baseline has a spread to judge the next run by.
const QByteArray kRepeatedSuite = "name: steady\ntargets: [h1/qwen3-8b]\nconcurrency: [1]\nprompt_tokens: 32\nmax_tokens: 16\n"
                                  "repetitions: 3\nwarmup: 0\nrequests: 3\n";

} // namespace

class TestBenchApi : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::LiveFleet> m_live;
    std::unique_ptr<BenchJobs> m_jobs;
    std::unique_ptr<ControlServer> m_server;
    QNetworkAccessManager m_nam;

    struct Answer
    {
        int status = 0;
        QJsonObject body;
    };

    Answer call(const QByteArray &method, const QString &path, const QByteArray &body = {}, bool withToken = true)
    {
        QNetworkRequest request(QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_server->port()).arg(path)));
        if (withToken)
            request.setRawHeader("Authorization", "Bearer " + kToken.toUtf8());
        QNetworkReply *reply = m_nam.sendCustomRequest(request, method, body);
        const simtest::Reply r = simtest::wait(reply);
        return {r.status, QJsonDocument::fromJson(r.body).object()};
    }

    QString state(const QString &id) { return call("GET", u"/api/bench/runs/"_s + id).body.value(u"state"_s).toString(); }

    qint64 forcedDecisions() const
    {
        auto q = m_live->runtime()->database()->exec(
            u"SELECT COUNT(*) FROM control_access_decisions WHERE forced = 1 AND holder LIKE 'bench:long#%'"_s);
        return q && q->next() ? q->value(0).toLongLong() : -1;
    }

    int activeLeases() const
    {
        const auto active = m_live->runtime()->leases()->active();
        return active ? int(active.value().size()) : -1;
    }

private Q_SLOTS:
    void init()
    {
        QString error;
        m_live = test::LiveFleet::start({simtest::fastHost(u"h1"_s), simtest::fastHost(u"h2"_s)}, &error);
        QVERIFY2(m_live, qPrintable(error));
        QVERIFY(m_live->waitConnected());
        FleetRuntime *r = m_live->runtime();
        ControlServerOptions options;
        options.listen = ListenAddress{QHostAddress(QHostAddress::LocalHost), 0};
        options.token = kToken;
        m_server = std::make_unique<ControlServer>(m_live->fleet(), nullptr, nullptr, r->database(), options);
        m_jobs = std::make_unique<BenchJobs>(r->database(), r->registry(), r->access(), r->accessGate(), r->leases());
        BenchApi::installRuns(m_server.get(), m_jobs.get());
        QVERIFY(m_server->start().ok());
    }

    void cleanup()
    {
        m_jobs.reset();
        m_server.reset();
        m_live.reset();
    }

    void aRunStartsAtOnceReportsProgressAndIsStored()
    {
        QWebSocket feed;
        QList<QJsonObject> progress;
        connect(&feed, &QWebSocket::textMessageReceived, this, [&progress](const QString &text) {
            const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
            if (o.value(u"type"_s).toString() == u"bench_progress"_s)
                progress << o.value(u"run"_s).toObject();
        });
        feed.open(QUrl(u"ws://127.0.0.1:%1/api/ws/control?token=%2"_s.arg(m_server->port()).arg(kToken)));
        QTRY_COMPARE_WITH_TIMEOUT(feed.state(), QAbstractSocket::ConnectedState, 5000);

        QCOMPARE(call("POST", u"/api/bench/runs"_s, kQuickSuite, false).status, 401);
        const Answer started = call("POST", u"/api/bench/runs"_s, kQuickSuite);
        QCOMPARE(started.status, 202);
        const QJsonObject job = started.body.value(u"run"_s).toObject();
        const QString id = job.value(u"id"_s).toString();
        QCOMPARE(id, u"live-1"_s);
        QCOMPARE(job.value(u"state"_s).toString(), u"running"_s);
        QCOMPARE(job.value(u"suite"_s).toString(), u"quick"_s);
        QCOMPARE(job.value(u"hosts"_s).toArray(), QJsonArray{u"h1"_s});
        QCOMPARE(job.value(u"cells_total"_s).toInt(), 2);
        QCOMPARE(job.value(u"planned"_s).toInt(), 8);
        QCOMPARE(activeLeases(), 1);

        QTRY_COMPARE_WITH_TIMEOUT(state(id), u"finished"_s, 30000);
        const QJsonObject done = call("GET", u"/api/bench/runs/"_s + id).body;
        QCOMPARE(done.value(u"samples"_s).toInt(), 8);
        QCOMPARE(done.value(u"cells_done"_s).toInt(), 2);
        const qint64 runId = done.value(u"run_id"_s).toInteger();
        QVERIFY(runId > 0);
        QCOMPARE(done.value(u"run"_s).toObject().value(u"cells"_s).toArray().size(), 2);
        QCOMPARE(activeLeases(), 0);

        // The stored run, as `bench show` has it, and in the list next to the live ones.
        const Answer stored = call("GET", u"/api/bench/runs/%1"_s.arg(runId));
        QCOMPARE(stored.status, 200);
        QCOMPARE(stored.body.value(u"state"_s).toString(), u"finished"_s);
        QCOMPARE(stored.body.value(u"cells"_s).toArray().first().toObject().value(u"requests"_s).toInt(), 4);
        const Answer listed = call("GET", u"/api/bench/runs"_s);
        QCOMPARE(listed.body.value(u"runs"_s).toArray().size(), 1);
        QCOMPARE(listed.body.value(u"live"_s).toArray().first().toObject().value(u"id"_s).toString(), id);

        // The WebSocket saw it run and end.
        QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty() && progress.last().value(u"state"_s).toString() == u"finished"_s, 5000);
        QCOMPARE(progress.first().value(u"state"_s).toString(), u"running"_s);
        QCOMPARE(progress.last().value(u"run_id"_s).toInteger(), runId);
        const bool sawCell = std::any_of(progress.cbegin(), progress.cend(), [](const QJsonObject &p) {
            return p.value(u"state"_s).toString() == u"running"_s && p.value(u"cells_done"_s).toInt() == 1;
        });
        QVERIFY(sawCell);
    }

    // A run slower than its suite's baseline raises one bench_regression alert (as --serve
    // wires it); a run without a baseline raises none.
    void aRegressionAgainstTheBaselineRaisesAnAlert()
    {
        AlertMonitor monitor(m_live->fleet());
        BenchRegressionAlerts::install(m_jobs.get(), &monitor);
        QSignalSpy alerts(&monitor, &AlertMonitor::alert);

        const QString first = call("POST", u"/api/bench/runs"_s, kRepeatedSuite).body.value(u"run"_s).toObject().value(u"id"_s).toString();
        QTRY_COMPARE_WITH_TIMEOUT(state(first), u"finished"_s, 30000);
        const qint64 baselineId = call("GET", u"/api/bench/runs/"_s + first).body.value(u"run_id"_s).toInteger();
        QVERIFY(BenchStore::setBaseline(*m_live->runtime()->database(), baselineId, true).ok());
        QCOMPARE(alerts.count(), 0);

        // The host got slower: a hundred times the time to first token.
        QVERIFY(m_live->host(u"h1"_s)->models()->setTiming(u"qwen3-8b"_s, 200, 4000));
        const Answer second = call("POST", u"/api/bench/runs"_s, kRepeatedSuite);
        QCOMPARE(second.status, 202);
        const QString id = second.body.value(u"run"_s).toObject().value(u"id"_s).toString();
        QTRY_COMPARE_WITH_TIMEOUT(state(id), u"finished"_s, 30000);
        const QJsonObject done = call("GET", u"/api/bench/runs/"_s + id).body;
        QVERIFY2(done.value(u"regressions"_s).toInt() >= 1, QJsonDocument(done).toJson().constData());
        QTRY_COMPARE_WITH_TIMEOUT(alerts.count(), 1, 5000);
        const Alert alert = alerts.at(0).at(0).value<Alert>();
        QCOMPARE(alert.kind, Alert::Kind::BenchRegression);
        QCOMPARE(alert.dedupKey(), u"bench_regression/steady"_s);
        QCOMPARE(alert.value, double(done.value(u"regressions"_s).toInt()));
        QVERIFY2(alert.detail.contains(u"run %1 on h1"_s.arg(done.value(u"run_id"_s).toInteger())), qPrintable(alert.detail));
        QTest::qWait(300); // a late progress tick of the finished run raises nothing more
        QCOMPARE(alerts.count(), 1);
    }

    void oneRunPerHostAndCancel()
    {
        const Answer started = call("POST", u"/api/bench/runs"_s, kLongSuite);
        QCOMPARE(started.status, 202);
        const QString id = started.body.value(u"run"_s).toObject().value(u"id"_s).toString();
        QTRY_VERIFY_WITH_TIMEOUT(call("GET", u"/api/bench/runs/"_s + id).body.value(u"samples"_s).toInt() > 0, 10000);
        QVERIFY(call("GET", u"/api/bench/runs/"_s + id).body.value(u"eta_s"_s).toDouble() > 0);

        const Answer second = call("POST", u"/api/bench/runs"_s, kQuickSuite);
        QCOMPARE(second.status, 409);
        QCOMPARE(second.body.value(u"error"_s).toObject().value(u"code"_s).toString(), u"bench_running"_s);
        QVERIFY(second.body.value(u"error"_s).toObject().value(u"message"_s).toString().contains(id));
        // Another host is free.
        const Answer other = call("POST", u"/api/bench/runs"_s, QByteArray(kQuickSuite).replace("h1/", "h2/"));
        QCOMPARE(other.status, 202);

        const Answer cancelled = call("DELETE", u"/api/bench/runs/"_s + id);
        QCOMPARE(cancelled.status, 200);
        QCOMPARE(cancelled.body.value(u"run"_s).toObject().value(u"state"_s).toString(), u"cancelled"_s);
        QCOMPARE(state(id), u"cancelled"_s);
        QCOMPARE(call("DELETE", u"/api/bench/runs/"_s + id).status, 409);
        QCOMPARE(call("DELETE", u"/api/bench/runs/live-99"_s).status, 404);
        QCOMPARE(call("GET", u"/api/bench/runs/live-99"_s).status, 404);
        // The lease is gone at once. The host served the cancelled run's requests a moment ago,
        // which the gate may count as traffic (its quiet window), so the next run is forced.
        QCOMPARE(activeLeases(), 1); // h2's run
        QCOMPARE(call("POST", u"/api/bench/runs?force=true"_s, kQuickSuite).status, 202);
    }

    void theGateRefusesLeasedAndBusyHostsUnlessForced()
    {
        HostAccessRequest other;
        other.providerId = u"h1"_s;
        other.holder = u"operator"_s;
        other.purpose = u"maintenance"_s;
        auto held = m_live->runtime()->accessGate()->acquireHostAccess(other);
        QVERIFY(held && held->granted());
        const QByteArray forcedJson = QJsonDocument(QJsonObject{{u"suite"_s, QString::fromUtf8(kLongSuite)}, {u"force"_s, true}}).toJson();
        const Answer leased = call("POST", u"/api/bench/runs"_s, forcedJson);
        QCOMPARE(leased.status, 409);
        QCOMPARE(leased.body.value(u"error"_s).toObject().value(u"code"_s).toString(), u"host_leased"_s);
        QVERIFY(leased.body.value(u"error"_s).toObject().value(u"message"_s).toString().contains(u"held by operator"_s));
        QVERIFY(m_live->runtime()->leases()->release(held->lease->id));

        SimTrafficSpec spec;
        spec.model = u"qwen3-8b"_s;
        spec.timing = SimTrafficSpec::Timing::RealTime;
        spec.maxTokens = 100000;
        m_live->host(u"h1"_s)->generateTraffic(spec);
        QTRY_VERIFY_WITH_TIMEOUT(m_live->fleet()->host(u"h1"_s)->inflightCount > 0, 10000);
        const Answer busy = call("POST", u"/api/bench/runs"_s, kLongSuite);
        QCOMPARE(busy.status, 409);
        QCOMPARE(busy.body.value(u"error"_s).toObject().value(u"code"_s).toString(), u"host_busy"_s);
        QCOMPARE(forcedDecisions(), 0);

        const Answer forced = call("POST", u"/api/bench/runs"_s, forcedJson);
        QCOMPARE(forced.status, 202);
        QVERIFY(forced.body.value(u"run"_s).toObject().value(u"forced"_s).toBool());
        QCOMPARE(forcedDecisions(), 1);
        // Raw YAML with ?force=1 says the same.
        QCOMPARE(call("DELETE", u"/api/bench/runs/"_s + forced.body.value(u"run"_s).toObject().value(u"id"_s).toString()).status, 200);
        QCOMPARE(call("POST", u"/api/bench/runs?force=1"_s, kLongSuite).status, 202);
        QCOMPARE(forcedDecisions(), 2);
    }

    void badBodiesGetClearErrors_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << QByteArray() << 400 << u"the body is the suite"_s;
        QTest::newRow("bad json") << QByteArray("{\"suite\": ") << 400 << u"not valid JSON"_s;
        QTest::newRow("bad suite") << QByteArray("name: x\ntargets: [h1/m]\nconcurrency: [0]\n") << 400 << u"out of range"_s;
        QTest::newRow("bad force") << QByteArray(R"({"suite":"name: x","force":"yes"})") << 400 << u"'force'"_s;
        QTest::newRow("virtual") << QByteArray("name: x\ntargets: [auto]\nconcurrency: 1\n") << 400 << u"virtual model"_s;
        QTest::newRow("unknown host") << QByteArray("name: x\ntargets: [nowhere/m]\nconcurrency: 1\n") << 400
                                      << u"no watched host \"nowhere\""_s;
        QTest::newRow("suite as json object") << QByteArray(R"({"suite":{"name":"x","targets":["nowhere/m"],"concurrency":1}})") << 400
                                              << u"no watched host \"nowhere\""_s;
    }
    void badBodiesGetClearErrors()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, message);
        const Answer answer = call("POST", u"/api/bench/runs"_s, body);
        QCOMPARE(answer.status, status);
        const QString said = answer.body.value(u"error"_s).toObject().value(u"message"_s).toString();
        QVERIFY2(said.contains(message), qPrintable(said));
        QCOMPARE(activeLeases(), 0);
    }
};

QTEST_GUILESS_MAIN(TestBenchApi)
#include "tst_benchapi.moc"
