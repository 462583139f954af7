// The bench engine against simulated llama-swap hosts (in their own thread, as real hosts would
// be) with the simulator's load model: the figures must be what the host was configured to do.

#include "core/bench/benchdistribution.h"
#include "core/bench/benchload.h"
#include "core/bench/benchrunner.h"
#include "core/bench/benchstore.h"
#include "core/bench/benchsuiteparser.h"
#include "core/sim/simfleet.h"
#include "core/sim/simfleetthread.h"
#include "core/sim/simhost.h"
#include "core/store/database.h"
#include "tests/common/gatewayharness.h"
#include "tests/common/testdatabases.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

namespace {

// One host "h" with one model "m": 50 ms before prompt processing, 4,000 prompt tokens/s,
// 200 generated tokens/s; with n requests running, prompt time x (1 + 0.5 (n-1)) and generation
// time x (1 + 0.3 (n-1)). A 2 ms tick keeps the simulator's own granularity below the tolerances.
SimHostConfig loadedHost(int ttftMs = 50)
{
    SimModelConfig m = SimModelConfig::fromName(u"m"_s);
    m.timeToFirstTokenMs = ttftMs;
    m.promptTokensPerSecond = 4000;
    m.generationTokensPerSecond = 200;
    m.prefillLoad = 0.5;
    m.decodeLoad = 0.3;
    m.loadMs = 50;
    m.unloadMs = 20;
    m.concurrencyLimit = 64;
    SimHostConfig host;
    host.name = u"h"_s;
    host.models = {m};
    host.tickMs = 2;
    host.perfIntervalMs = 60000;
    return host;
}

struct Bench
{
    SimFleetThread sims;
    QUrl baseUrl;

    bool start(const SimHostConfig &host)
    {
        const auto endpoints = sims.start({host});
        if (!endpoints)
            return false;
        baseUrl = endpoints->constFirst().baseUrl;
        return true;
    }

    QMap<QString, BenchTargetRoute> routes(const BenchSuite &suite) const
    {
        QMap<QString, BenchTargetRoute> out;
        ProviderConfig provider;
        provider.id = u"h"_s;
        provider.baseUrl = baseUrl;
        for (const BenchTarget &target : suite.targets) {
            BenchTargetRoute route;
            route.endpoint.upstream = UpstreamTarget::fromProvider(provider, QString());
            route.endpoint.wireModel = target.model;
            route.endpoint.providerId = u"h"_s;
            route.host = HostEndpoint(baseUrl, QString());
            out.insert(target.text, route);
        }
        return out;
    }
};

BenchSuite suiteOf(const QByteArray &yaml)
{
    auto suite = BenchSuiteParser::parse(yaml, u"test.yaml"_s);
    if (!suite)
        qFatal("%s", qPrintable(suite.error().message));
    return *suite;
}

const BenchCell *cellAt(const BenchRunResult &run, int concurrency)
{
    for (const BenchCell &cell : run.cells) {
        if (cell.concurrency == concurrency)
            return &cell;
    }
    return nullptr;
}

} // namespace

class TestBenchRunner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void distribution()
    {
        const BenchDistribution d = BenchDistribution::of({4, 1, 3, 2});
        QCOMPARE(d.count, 4);
        QCOMPARE(d.p50, 2.5);
        QCOMPARE(d.p90, 3.7);
        QCOMPARE(d.mean, 2.5);
        QVERIFY(qAbs(d.stddev - 1.2909944) < 1e-6);
        QCOMPARE(BenchDistribution::of({}).count, 0);
        QCOMPARE(BenchDistribution::of({7}).p99, 7.0);
    }

    void poissonArrivals()
    {
        const QList<double> a = BenchLoad::arrivalOffsets(3, 10.0, 2001);
        QCOMPARE(a, BenchLoad::arrivalOffsets(3, 10.0, 2001));
        QCOMPARE(a.first(), 0.0);
        // 2000 gaps of mean 0.1 s: the total is within a few percent of 200 s (sd of the mean 2.2 %).
        QVERIFY2(qAbs(a.last() - 200.0) < 15.0, qPrintable(QString::number(a.last())));
        for (qsizetype i = 1; i < a.size(); ++i)
            QVERIFY(a[i] >= a[i - 1]);
    }

    // TTFT grows with concurrency and tokens/s per request falls, by what the host was told.
    void ttftGrowsWithConcurrency()
    {
        Bench bench;
        QVERIFY(bench.start(loadedHost()));
        const BenchSuite suite = suiteOf("name: load\ntargets: [h/m]\nconcurrency: [1, 4]\nprompt_tokens: 1024\nmax_tokens: 16\n"
                                         "repetitions: 2\nwarmup: 2\nrequests: 8\n");
        BenchRunner runner(suite, bench.routes(suite));
        QSignalSpy finished(&runner, &BenchRunner::finished);
        QSignalSpy progress(&runner, &BenchRunner::progress);
        runner.start();
        QVERIFY(finished.wait(60000));
        const BenchRunResult &run = runner.result();
        QCOMPARE(run.cells.size(), 2);
        QCOMPARE(progress.size(), runner.plannedRequests());

        const BenchCell *one = cellAt(run, 1);
        const BenchCell *four = cellAt(run, 4);
        QVERIFY(one && four);
        for (const BenchCell *cell : {one, four}) {
            QCOMPARE(cell->requests, 16);
            QCOMPARE(cell->errors, 0);
            QCOMPARE(cell->repetitions.size(), 2);
            QCOMPARE(cell->foreignRequests, 0);
            QVERIFY2(cell->flags.isEmpty(), qPrintable(cell->flags.join(u',')));
            for (const BenchSample &s : cell->samples) {
                QCOMPARE(s.outputTokens, 16);
                QVERIFY(s.outputTokensFromUsage);
                QCOMPARE(s.itlMs.size(), 15);
            }
            QVERIFY(cell->hostPredictedPerSecond.has_value());
        }
        // Alone: 50 ms + 0.7 x 1024 tokens (30 % come from the cache after the first request)
        // / 4000 tokens/s = 229 ms. The simulator's noise is +-8 % of the prompt part (+-14 ms),
        // its tick 2 ms, loopback and two event loops a few ms more: 12 % covers all of it.
        const double expectedTtft = 50.0 + 0.7 * 1024 / 4000.0 * 1000.0;
        QVERIFY2(qAbs(one->ttftMs.p50 - expectedTtft) < 0.12 * expectedTtft, qPrintable(QString::number(one->ttftMs.p50)));
        // 200 tokens/s is 5 ms per token (+-8 %, plus the tick).
        QVERIFY2(qAbs(one->tpotMs.p50 - 5.0) < 1.0, qPrintable(QString::number(one->tpotMs.p50)));
        QVERIFY2(qAbs(*one->hostPredictedPerSecond - 200.0) < 20.0, qPrintable(QString::number(*one->hostPredictedPerSecond)));
        // Four together: most requests start beside three others, so prompt time up to x2.5 and
        // decode x1.9. Conservatively: TTFT at least 1.5 x, TPOT at least 1.3 x the lone figures.
        QVERIFY2(four->ttftMs.p50 > 1.5 * one->ttftMs.p50,
                 qPrintable(u"c=1 %1 ms, c=4 %2 ms"_s.arg(one->ttftMs.p50).arg(four->ttftMs.p50)));
        QVERIFY2(four->tpotMs.p50 > 1.3 * one->tpotMs.p50,
                 qPrintable(u"c=1 %1 ms, c=4 %2 ms"_s.arg(one->tpotMs.p50).arg(four->tpotMs.p50)));
        // ...and yet more requests per second in all: that is what batching is for.
        QVERIFY(four->reqPerS > one->reqPerS);
        QVERIFY(four->outputTokPerS > one->outputTokPerS);
        QVERIFY(one->e2eMs.p50 > one->ttftMs.p50);
        QCOMPARE(one->goodputReqPerS, one->reqPerS); // no SLO: every success counts
    }

    void sloGoodput()
    {
        Bench bench;
        QVERIFY(bench.start(loadedHost()));
        // Alone the TTFT is ~229 ms, with four ~400+: an SLO of 300 ms keeps the lone requests only.
        const BenchSuite suite = suiteOf("name: slo\ntargets: [h/m]\nconcurrency: [1, 4]\nprompt_tokens: 1024\nmax_tokens: 8\n"
                                         "repetitions: 1\nwarmup: 2\nrequests: 8\nslo: {ttft_ms: 300}\n");
        BenchRunner runner(suite, bench.routes(suite));
        QSignalSpy finished(&runner, &BenchRunner::finished);
        runner.start();
        QVERIFY(finished.wait(60000));
        const BenchCell *one = cellAt(runner.result(), 1);
        const BenchCell *four = cellAt(runner.result(), 4);
        QVERIFY(one && four);
        QVERIFY2(qAbs(one->goodputReqPerS - one->reqPerS) < 1e-9, qPrintable(QString::number(one->goodputReqPerS)));
        QVERIFY2(four->goodputReqPerS < 0.5 * four->reqPerS, qPrintable(QString::number(four->goodputReqPerS)));
    }

    // Requests the bench did not send, made on the host during a cell, are counted and flag it.
    void foreignTrafficIsCounted_data()
    {
        QTest::addColumn<int>("reruns");
        QTest::newRow("flagged") << 0;
        QTest::newRow("run again") << 1;
    }

    void foreignTrafficIsCounted()
    {
        QFETCH(int, reruns);
        Bench bench;
        QVERIFY(bench.start(loadedHost()));
        const BenchSuite suite = suiteOf("name: busy\ntargets: [h/m]\nconcurrency: 2\nprompt_tokens: 64\nmax_tokens: 16\n"
                                         "repetitions: 1\nwarmup: 1\nrequests: 12\nrerun_polluted: "
                                         + QByteArray::number(reruns) + "\n");
        BenchRunner runner(suite, bench.routes(suite));
        QSignalSpy finished(&runner, &BenchRunner::finished);
        bool injected = false;
        connect(&runner, &BenchRunner::progress, this, [&](int ended) {
            if (ended == 2 && !injected) {
                injected = true;
                bench.sims.post([](SimFleet *fleet) {
                    SimTrafficSpec spec;
                    spec.count = 5;
                    spec.model = u"m"_s;
                    spec.maxTokens = 4;
                    spec.timing = SimTrafficSpec::Timing::RealTime;
                    fleet->host(u"h"_s)->generateTraffic(spec);
                });
            }
        });
        runner.start();
        QVERIFY(finished.wait(60000));
        QVERIFY(injected);
        QCOMPARE(runner.result().cells.size(), 1);
        const BenchCell &cell = runner.result().cells.constFirst();
        if (reruns == 0) {
            QCOMPARE(cell.foreignRequests, 5);
            QVERIFY(cell.flags.contains(u"foreign_traffic"_s));
            QCOMPARE(cell.reruns, 0);
        } else {
            // The polluted attempt was thrown away and the cell measured again on a quiet host.
            QCOMPARE(cell.reruns, 1);
            QCOMPARE(cell.foreignRequests, 0);
            QVERIFY(!cell.flags.contains(u"foreign_traffic"_s));
            QCOMPARE(cell.requests, 12);
        }
        QCOMPARE(cell.errors, 0);
    }

    // A host that fails in the middle of answers gives error samples of the right kind; the run
    // goes on and ends.
    void hostFailuresAreCounted_data()
    {
        QTest::addColumn<QString>("fault");
        QTest::addColumn<QString>("kind");
        QTest::newRow("model process dies") << u"crash"_s << u"incomplete"_s;
        QTest::newRow("llama-swap goes down") << u"down"_s << u"reset"_s;
    }

    void hostFailuresAreCounted()
    {
        QFETCH(QString, fault);
        QFETCH(QString, kind);
        Bench bench;
        QVERIFY(bench.start(loadedHost(10)));
        // 200 tokens at 200/s: each answer streams for about a second.
        const BenchSuite suite = suiteOf("name: faults\ntargets: [h/m]\nconcurrency: 3\nprompt_tokens: 32\nmax_tokens: 200\n"
                                         "repetitions: 1\nwarmup: 0\nrequests: 6\ntimeout_ms: 5000\n");
        BenchRunner runner(suite, bench.routes(suite));
        QSignalSpy finished(&runner, &BenchRunner::finished);
        runner.start();
        QTimer::singleShot(400, this, [&] {
            bench.sims.post([fault](SimFleet *fleet) {
                SimHost *host = fleet->host(u"h"_s);
                if (fault == u"crash")
                    (void)host->crashModel(u"m"_s);
                else
                    host->goDown();
            });
        });
        QVERIFY(finished.wait(60000));
        QCOMPARE(runner.result().cells.size(), 1);
        const BenchCell &cell = runner.result().cells.constFirst();
        QCOMPARE(cell.requests, 6);
        QVERIFY2(cell.errorsByKind.value(kind) >= 3, qPrintable(QString::number(cell.errorsByKind.value(kind))));
        QVERIFY(cell.flags.contains(u"errors"_s));
        for (const BenchSample &s : cell.samples) {
            if (!s.ok())
                QVERIFY(!s.errorMessage.isEmpty());
        }
        if (fault == u"down") {
            // The requests after the fault find the port closed; the activity count cannot be
            // had either, and the cell says so rather than claiming a quiet host.
            QVERIFY(cell.errorsByKind.value(u"connect"_s) >= 1);
            QVERIFY(cell.flags.contains(u"foreign_unknown"_s));
        }
    }

    void openLoop()
    {
        Bench bench;
        QVERIFY(bench.start(loadedHost(5)));
        const BenchSuite suite = suiteOf("name: open\ntargets: [h/m]\nrate: 20\nprompt_tokens: 32\nmax_tokens: 4\n"
                                         "repetitions: 1\nwarmup: 0\nrequests: 40\n");
        BenchRunner runner(suite, bench.routes(suite));
        QSignalSpy finished(&runner, &BenchRunner::finished);
        runner.start();
        QVERIFY(finished.wait(60000));
        const BenchCell &cell = runner.result().cells.constFirst();
        QCOMPARE(cell.requests, 40);
        QCOMPARE(cell.errors, 0);
        QCOMPARE(cell.rate, 20.0);
        // 39 gaps of mean 50 ms from the seeded process: the rate measured is the offered one.
        const QList<double> arrivals = BenchLoad::arrivalOffsets(suite.seed ^ quint32(2) * 0x9e3779b9U, 20.0, 40);
        const double expected = 40.0 / (arrivals.last() + cell.e2eMs.mean / 1000.0);
        QVERIFY2(qAbs(cell.reqPerS - expected) < 0.15 * expected, qPrintable(u"%1 vs %2"_s.arg(cell.reqPerS).arg(expected)));
    }

    // Through a gateway (`--server`): virtual and direct targets, the host the gateway chose
    // recorded per request, foreign traffic counted for the direct target only.
    void throughTheGateway()
    {
        auto db = test::TestDatabase::create(SqlDialect::Sqlite);
        QVERIFY(db);
        test::GatewayHarness gateway(db->url(), {loadedHost(20)});
        QVERIFY(gateway.start());
        const BenchSuite suite = suiteOf("name: gw\ntargets: [auto, h/m]\nconcurrency: 2\nprompt_tokens: 64\nmax_tokens: 8\n"
                                         "repetitions: 1\nwarmup: 1\nrequests: 6\n");
        QMap<QString, BenchTargetRoute> routes;
        ProviderConfig server;
        server.id = u"gateway"_s;
        server.baseUrl = QUrl(gateway.baseUrl());
        for (const BenchTarget &target : suite.targets) {
            BenchTargetRoute route;
            route.endpoint.upstream = UpstreamTarget::fromProvider(server, QString());
            route.endpoint.viaGateway = true;
            route.endpoint.wireModel = target.text;
            route.endpoint.source = u"bench:gw"_s;
            if (!target.isVirtual()) {
                route.endpoint.providerId = target.provider;
                route.host = HostEndpoint(gateway.host(u"h"_s)->baseUrl(), QString());
            }
            routes.insert(target.text, route);
        }
        BenchRunner runner(suite, routes);
        QSignalSpy finished(&runner, &BenchRunner::finished);
        runner.start();
        QVERIFY(finished.wait(60000));
        const BenchRunResult &run = runner.result();
        QCOMPARE(run.cells.size(), 2);
        for (const BenchCell &cell : run.cells) {
            QCOMPARE(cell.requests, 6);
            QCOMPARE(cell.errors, 0);
            for (const BenchSample &s : cell.samples)
                QCOMPARE(s.host, u"h"_s); // X-Boo-Host: where the gateway sent it
            // 20 ms + 0.7 x 64 / 4000 s on the host, plus the gateway's relay: well under 100 ms.
            QVERIFY2(cell.ttftMs.p50 > 20 && cell.ttftMs.p50 < 100, qPrintable(QString::number(cell.ttftMs.p50)));
        }
        QVERIFY(!run.cells[0].foreignRequests);
        QVERIFY(run.cells[0].flags.contains(u"foreign_unknown"_s));
        QCOMPARE(run.cells[1].foreignRequests, 0);
        // The gateway attributed every request to the bench.
        // Stored, the run is what the server's read API answers.
        auto store = Database::open(db->url(), u"test"_s);
        QVERIFY(store);
        const auto id = BenchStore::save(**store, run, QString());
        QVERIFY(id);
        const auto listed = gateway.get(u"/api/bench/runs?suite=gw"_s);
        QCOMPARE(listed.status, 200);
        const QJsonArray runs = listed.json().value(u"runs"_s).toArray();
        QCOMPARE(runs.size(), 1);
        QCOMPARE(runs[0].toObject().value(u"id"_s).toInteger(), *id);
        QCOMPARE(runs[0].toObject().value(u"requests"_s).toInt(), 12);
        const auto shown = gateway.get(u"/api/bench/runs/%1"_s.arg(*id));
        QCOMPARE(shown.status, 200);
        QCOMPARE(shown.json().value(u"cells"_s).toArray().size(), 2);
        QCOMPARE(shown.json().value(u"cells"_s).toArray()[1].toObject().value(u"target"_s).toString(), u"h/m"_s);
        QCOMPARE(gateway.get(u"/api/bench/runs/%1"_s.arg(*id + 1)).status, 404);
        QCOMPARE(gateway.get(u"/api/bench/runs/x"_s).status, 400);
        QCOMPARE(gateway.get(u"/api/bench/runs?limit=0"_s).status, 400);

        // (The dispatch log is written by the history writer, a moment later.)
        QTRY_COMPARE_WITH_TIMEOUT(gateway.get(u"/api/gateway/log?source=bench:gw&limit=100"_s).json().value(u"entries"_s).toArray().size(),
                                  2 * (1 + 6), 10000);
    }

    // Many clients finishing together against an instant host: exactly the planned number of
    // requests, no more (a client must not take a request another one already sent).
    void exactRequestCount()
    {
        Bench bench;
        SimHostConfig host = loadedHost(0);
        host.models[0].promptTokensPerSecond = 1e6;
        host.models[0].generationTokensPerSecond = 1e6;
        host.models[0].concurrencyLimit = 1000;
        QVERIFY(bench.start(host));
        const BenchSuite suite = suiteOf("name: exact\ntargets: [h/m]\nconcurrency: [16, 64]\nprompt_tokens: 8\nmax_tokens: 2\n"
                                         "repetitions: 2\nwarmup: 5\nrequests: 300\n");
        BenchRunner runner(suite, bench.routes(suite));
        QSignalSpy finished(&runner, &BenchRunner::finished);
        runner.start();
        QVERIFY(finished.wait(120000));
        for (const BenchCell &cell : runner.result().cells) {
            QCOMPARE(cell.requests, 600);
            QCOMPARE(cell.errors, 0);
            QCOMPARE(cell.repetitions[0].requests, 300);
            QCOMPARE(cell.repetitions[1].requests, 300);
            QCOMPARE(cell.foreignRequests, 0);
        }
    }

    void coldStart()
    {
        Bench bench;
        SimHostConfig host = loadedHost(10);
        host.models[0].loadMs = 400;
        QVERIFY(bench.start(host));
        const BenchSuite suite = suiteOf("name: cold\ntargets: [h/m]\nconcurrency: 1\nprompt_tokens: 32\nmax_tokens: 4\n"
                                         "repetitions: 1\nwarmup: 0\nrequests: 2\ncold_start: true\n");
        BenchRunner runner(suite, bench.routes(suite));
        QSignalSpy finished(&runner, &BenchRunner::finished);
        runner.start();
        QVERIFY(finished.wait(60000));
        const BenchRunResult &run = runner.result();
        QVERIFY2(run.coldStartErrors.isEmpty(), qPrintable(run.coldStartErrors.value(u"h/m"_s)));
        // Load 400 ms + first token ~20 ms; the cold start is seconds at most.
        const double cold = run.coldStartMs.value(u"h/m"_s);
        QVERIFY2(cold >= 400 && cold < 2000, qPrintable(QString::number(cold)));
        QVERIFY(run.cells.constFirst().ttftMs.p50 < 200);
        QCOMPARE(run.hosts.value(u"h"_s).version, u"v250-5-g0bdb37"_s);
        QVERIFY(!run.hosts.value(u"h"_s).gpus.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestBenchRunner)
#include "tst_benchrunner.moc"
