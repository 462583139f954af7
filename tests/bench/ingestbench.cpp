// boo-bench ingest — the ingest's speed and memory targets (issue "Live fleet ingest"):
//   1. rows/s committed end to end (simulated hosts -> HTTP -> decoder -> HistoryWriter -> disk),
//      on SQLite and Postgres, against the raw ceiling of the same rows inserted by a tight
//      single-row prepared-statement loop: >= 50,000 rows/s on SQLite, >= 20,000 on Postgres,
//      and >= 0.6 of the ceiling;
//   2. event-to-FleetState latency at >= 2,000 events/s: p99 under 20 ms;
//   3. resident memory with 50 hosts connected: under 150 MB (the hosts run in a separate
//      boo-simfleet process so that only the ingest is measured).
// Postgres is measured when BOO_TEST_PG names a server where we may create databases
// (./scripts/bench starts one).

#include "tests/bench/benchmarks.h"
#include "tests/bench/benchsupport.h"

#include "core/fleet/fleetstate.h"
#include "core/sim/simfleet.h"
#include "core/sim/simfleetthread.h"
#include "core/sim/simhost.h"
#include "core/sim/simtrafficspec.h"
#include "core/store/database.h"
#include "core/store/historywriter.h"
#include "core/store/migrations.h"
#include "core/store/requestquery.h"

#include <QAtomicInteger>
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QSet>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace boo::bench {

namespace {

struct Options
{
    QString only; // "throughput", "latency" or "memory"; empty = all
    int hosts = 4;
    int rowsPerHost = 50000;
    int latencySeconds = 10;
    int memoryHosts = 50;
};

void say(const QString &text)
{
    std::fprintf(stderr, "%s\n", qPrintable(text));
}

// A fresh database per measurement: a SQLite file, or a new Postgres database.
class ScratchDatabases
{
public:
    explicit ScratchDatabases(QString postgresAdmin)
        : m_admin(std::move(postgresAdmin))
    {
    }
    ~ScratchDatabases()
    {
        for (const QString &name : std::as_const(m_created))
            (void)adminExec(u"DROP DATABASE IF EXISTS %1 WITH (FORCE)"_s.arg(name));
    }

    DatabaseUrl sqlite(const QString &name)
    {
        DatabaseUrl url;
        url.sqlitePath = m_dir.filePath(name + u".sqlite"_s);
        return url;
    }

    Result<DatabaseUrl> postgres(const QString &name)
    {
        const QString database = u"boo_bench_%1_%2"_s.arg(name).arg(QCoreApplication::applicationPid());
        if (auto created = adminExec(u"CREATE DATABASE "_s + database); !created)
            return created.error();
        m_created << database;
        auto url = DatabaseUrl::parse(m_admin);
        url->databaseName = database;
        return *url;
    }

private:
    Result<void> adminExec(const QString &sql)
    {
        auto url = DatabaseUrl::parse(m_admin);
        if (!url)
            return url.error();
        auto db = Database::open(*url, u"bench-admin"_s);
        if (!db)
            return db.error();
        auto done = (*db)->exec(sql);
        if (!done)
            return done.error();
        return {};
    }

    QString m_admin;
    QTemporaryDir m_dir;
    QStringList m_created;
};

// ------------------------------------------------------------------------------- 1. throughput

struct Throughput
{
    QString dialect;
    qint64 rows = 0;
    double endToEnd = 0;
    double ceiling = 0;
};

QList<RequestRow> readAllRequests(Database &db)
{
    QList<RequestRow> rows;
    RequestFilter filter;
    filter.limit = RequestFilter::kMaxLimit;
    for (;;) {
        auto page = RequestQuery::fetch(db, filter);
        if (!page)
            break;
        for (const StoredRequest &stored : std::as_const(page->rows))
            rows << stored.row;
        if (!page->nextBeforeId)
            break;
        filter.beforeId = page->nextBeforeId;
    }
    return rows;
}

// The ceiling: the same rows through the simplest fast loop there is, one prepared single-row
// INSERT executed per row, 5,000 rows per transaction.
Result<double> rawCeiling(const DatabaseUrl &url, const QList<RequestRow> &rows)
{
    auto opened = Database::open(url, u"bench-raw"_s);
    if (!opened)
        return opened.error();
    Database &db = **opened;
    if (auto migrated = Migrations::migrate(db); !migrated)
        return migrated.error();
    QSqlQuery insert(db.connection());
    if (!insert.prepare(u"INSERT INTO control_requests (provider_id, swap_entry_id, ts, model, req_path, resp_content_type, "
                        u"resp_status_code, cache_tokens, draft_tokens, draft_acc_tokens, input_tokens, output_tokens, "
                        u"prompt_per_second, tokens_per_second, duration_ms, has_capture, error_msg, metadata, source, "
                        u"ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING"_s))
        return makeError(u"bench"_s, u"cannot prepare the raw insert"_s);
    auto value = [](const auto &optional) {
        using T = typename std::decay_t<decltype(optional)>::value_type;
        return optional ? QVariant::fromValue(*optional) : QVariant(QMetaType::fromType<T>());
    };
    QElapsedTimer clock;
    clock.start();
    for (qsizetype i = 0; i < rows.size(); i += 5000) {
        auto done = db.inTransaction([&]() -> Result<void> {
            for (qsizetype j = i; j < std::min(rows.size(), i + 5000); ++j) {
                const RequestRow &r = rows.at(j);
                const QVariantList values{r.providerId,
                                          r.swapEntryId,
                                          r.ts,
                                          r.model,
                                          r.reqPath,
                                          r.respContentType,
                                          r.respStatusCode,
                                          value(r.cacheTokens),
                                          value(r.draftTokens),
                                          value(r.draftAcceptedTokens),
                                          value(r.inputTokens),
                                          value(r.outputTokens),
                                          value(r.promptPerSecond),
                                          value(r.tokensPerSecond),
                                          r.durationMs,
                                          r.hasCapture ? 1 : 0,
                                          r.errorMessage,
                                          r.metadataJson,
                                          r.source,
                                          qint64(0)};
                for (int k = 0; k < values.size(); ++k)
                    insert.bindValue(k, values.at(k));
                if (!insert.exec())
                    return makeError(u"bench"_s, u"raw insert failed"_s);
            }
            return {};
        });
        if (!done)
            return done.error();
    }
    return double(rows.size()) / (double(clock.nsecsElapsed()) / 1e9);
}

Result<Throughput> measureThroughput(const QString &dialect, const DatabaseUrl &e2eUrl, const DatabaseUrl &rawUrl, const Options &o)
{
    // The hosts first finish every request (their rings are made large enough to keep them all),
    // then the ingest starts from nothing and drains them at full speed.
    ExternalSimFleet sims;
    QStringList specs;
    for (int i = 0; i < o.hosts; ++i)
        specs << u"name=bench%1,models=alpha:beta,perf-ms=60000,max-rows=%2"_s.arg(i).arg(o.rowsPerHost);
    auto providers = sims.start(specs);
    if (!providers)
        return providers.error();
    const qint64 total = qint64(o.hosts) * o.rowsPerHost;
    say(u"  %1: simulating %2 finished requests on %3 hosts ..."_s.arg(dialect, grouped(double(total))).arg(o.hosts));
    if (auto sent = sims.post(u"/traffic"_s, u"{\"count\":%1,\"rate\":0,\"timing\":\"instant\"}"_s.arg(o.rowsPerHost).toUtf8()); !sent)
        return sent.error();
    if (!waitFor([&] { return sims.sumOverHosts(u"lastActivityId"_s) >= total; }, 600000))
        return makeError(u"bench"_s, u"the simulated hosts did not finish their requests"_s);

    auto stack = IngestStack::create(e2eUrl, *providers);
    if (!stack)
        return stack.error();
    QElapsedTimer clock;
    clock.start();
    (*stack)->start();
    if (!waitFor([&] { return (*stack)->writer->stats().stored >= total; }, 600000))
        return makeError(u"bench"_s, u"only %1 of %2 rows arrived"_s.arg((*stack)->writer->stats().stored).arg(total));
    Throughput result;
    result.dialect = dialect;
    result.rows = total;
    result.endToEnd = double(total) / (double(clock.nsecsElapsed()) / 1e9);
    (*stack)->stop();
    sims.stop();

    const QList<RequestRow> rows = readAllRequests(*(*stack)->database);
    auto ceiling = rawCeiling(rawUrl, rows);
    if (!ceiling)
        return ceiling.error();
    result.ceiling = *ceiling;
    return result;
}

// ------------------------------------------------------------------------------- 2. latency

struct Latency
{
    double eventsPerSecond = 0;
    double p50 = 0, p99 = 0, max = 0;
    qint64 samples = 0;
};

Result<Latency> measureLatency(const DatabaseUrl &url, const Options &o)
{
    SimFleetThread sims;
    SimHostConfig config = *SimHostConfig::fromSpec(u"name=latency,models=alpha,perf-ms=60000"_s);
    config.models.first().concurrencyLimit = 1000;
    config.inflightThrottleMs = 50;
    auto endpoints = sims.start({config});
    if (!endpoints)
        return endpoints.error();
    ProviderConfig provider;
    provider.id = endpoints->first().name;
    provider.baseUrl = endpoints->first().baseUrl;
    auto stack = IngestStack::create(url, {provider});
    if (!stack)
        return stack.error();
    (*stack)->start();
    if (!waitFor([&] { return (*stack)->allConnected(); }, 10000))
        return makeError(u"bench"_s, u"the host did not connect"_s);

    // Every in-flight update carries when the host published it: the request's start time plus
    // its elapsed_ms at publication. Each new (id, elapsed) seen in FleetState is one event.
    QList<double> latencies;
    QSet<std::pair<QString, qint64>> seen;
    QObject::connect((*stack)->fleet, &FleetState::changed, (*stack)->owner.get(), [&](const FleetDelta &delta) {
        const auto *changed = delta.as<HostChanged>();
        if (!changed)
            return;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (const InFlightRequest &r : changed->host.inflight) {
            if (!r.elapsedMs || seen.contains({r.id, *r.elapsedMs}))
                continue;
            seen.insert({r.id, *r.elapsedMs});
            latencies << double(now - (r.timestampMs + *r.elapsedMs));
        }
    });
    const qint64 eventsBefore = (*stack)->ingest->connectors().first()->counters().events;
    sims.post([seconds = o.latencySeconds](SimFleet *fleet) {
        SimTrafficSpec spec;
        spec.count = 120 * seconds;
        spec.rate = 120; // requests/s, each streaming for about 1.5 s
        spec.maxTokens = 90;
        spec.timing = SimTrafficSpec::Timing::RealTime;
        fleet->hosts().first()->generateTraffic(spec);
    });
    QElapsedTimer clock;
    clock.start();
    waitFor([] { return false; }, o.latencySeconds * 1000);
    Latency result;
    result.eventsPerSecond
        = double((*stack)->ingest->connectors().first()->counters().events - eventsBefore) / (double(clock.elapsed()) / 1000.0);
    result.samples = latencies.size();
    result.p50 = percentile(latencies, 50);
    result.p99 = percentile(latencies, 99);
    result.max = latencies.isEmpty() ? 0 : *std::max_element(latencies.cbegin(), latencies.cend());
    return result;
}

// -------------------------------------------------------------------------------- 3. memory

Result<qint64> measureMemory(const DatabaseUrl &url, const Options &o)
{
    ExternalSimFleet sims;
    QStringList specs;
    for (int i = 0; i < o.memoryHosts; ++i)
        specs << u"name=m%1,models=alpha:beta:gamma,perf-ms=2000,rpm=30"_s.arg(i);
    auto providers = sims.start(specs);
    if (!providers)
        return providers.error();
    auto stack = IngestStack::create(url, *providers);
    if (!stack)
        return stack.error();
    (*stack)->start();
    if (!waitFor([&] { return (*stack)->allConnected(); }, 30000))
        return makeError(u"bench"_s, u"not every host connected"_s);
    // The worst case, not a quiet moment: every host's log tails and request ring filled up.
    if (auto sent = sims.post(u"/traffic"_s, "{\"count\":1500,\"rate\":0,\"timing\":\"instant\"}"); !sent)
        return sent.error();
    const qint64 expected = qint64(o.memoryHosts) * 1500;
    waitFor([&] { return (*stack)->writer->stats().stored >= expected; }, 120000);
    waitFor([] { return false; }, 5000);
    qint64 logLines = 0, recent = 0;
    for (const QString &id : (*stack)->fleet->hostIds()) {
        logLines += (*stack)->fleet->logTail(id, u"proxy"_s).size() + (*stack)->fleet->logTail(id, u"upstream"_s).size();
        recent += (*stack)->fleet->recentActivity(id).size();
    }
    say(u"  held: %1 log lines, %2 recent requests, %3 rows stored"_s.arg(grouped(double(logLines)), grouped(double(recent)),
                                                                          grouped(double((*stack)->writer->stats().stored))));
    return residentBytes();
}

bool check(QTextStream &out, const QString &what, const QString &measured, const QString &target, bool met)
{
    out << Qt::left << qSetFieldWidth(44) << what << qSetFieldWidth(16) << measured << qSetFieldWidth(14) << target << qSetFieldWidth(0)
        << (met ? "met" : "MISSED") << '\n';
    return met;
}

} // namespace

int runIngest(const QStringList &args)
{
    Options o;
    for (qsizetype i = 0; i + 1 < args.size(); i += 2) {
        const int value = args.at(i + 1).toInt();
        if (args.at(i) == u"--only"_s)
            o.only = args.at(i + 1);
        else if (args.at(i) == u"--hosts"_s)
            o.hosts = value;
        else if (args.at(i) == u"--rows"_s)
            o.rowsPerHost = value;
        else if (args.at(i) == u"--latency-seconds"_s)
            o.latencySeconds = value;
        else if (args.at(i) == u"--memory-hosts"_s)
            o.memoryHosts = value;
    }
    if (args.contains(u"--help"_s)) {
        say(u"boo-bench ingest [--only throughput|latency|memory] [--hosts 4] [--rows 50000 per host] "
            u"[--latency-seconds 10] [--memory-hosts 50]"_s);
        return 0;
    }
    const QString admin = qEnvironmentVariable("BOO_TEST_PG");
    ScratchDatabases scratch(admin);
    QTextStream out(stdout);
    bool allMet = true;

    const auto wanted = [&o](const QString &part) { return o.only.isEmpty() || o.only == part; };
    QList<Throughput> results;
    std::optional<Latency> latency;
    std::optional<qint64> memory;
    if (wanted(u"throughput"_s)) {
        say(u"1/3 throughput"_s);
        if (auto sqlite = measureThroughput(u"SQLite"_s, scratch.sqlite(u"e2e"_s), scratch.sqlite(u"raw"_s), o))
            results << *sqlite;
        else
            return say(sqlite.error().message), 1;
        if (!admin.isEmpty()) {
            auto e2e = scratch.postgres(u"e2e"_s);
            auto raw = scratch.postgres(u"raw"_s);
            if (!e2e || !raw)
                return say((e2e ? raw.error() : e2e.error()).message), 1;
            auto pg = measureThroughput(u"Postgres"_s, *e2e, *raw, o);
            if (!pg)
                return say(pg.error().message), 1;
            results << *pg;
        } else {
            say(u"  Postgres skipped: set BOO_TEST_PG (./scripts/bench does)"_s);
        }
    }
    if (wanted(u"latency"_s)) {
        say(u"2/3 event-to-FleetState latency"_s);
        auto measured = measureLatency(scratch.sqlite(u"latency"_s), o);
        if (!measured)
            return say(measured.error().message), 1;
        latency = *measured;
    }
    if (wanted(u"memory"_s)) {
        say(u"3/3 memory with %1 hosts"_s.arg(o.memoryHosts));
        auto measured = measureMemory(scratch.sqlite(u"memory"_s), o);
        if (!measured)
            return say(measured.error().message), 1;
        memory = *measured;
    }

    out << "\nboo-bench ingest: " << o.hosts << " hosts x " << grouped(o.rowsPerHost) << " rows; " << QThread::idealThreadCount()
        << " cores\n\n";
    out << Qt::left << qSetFieldWidth(44) << "measure" << qSetFieldWidth(16) << "result" << qSetFieldWidth(14) << "target"
        << qSetFieldWidth(0) << "\n";
    for (const Throughput &t : std::as_const(results)) {
        const double target = t.dialect == u"SQLite"_s ? 50000 : 20000;
        allMet &= check(out, t.dialect + u" rows/s end to end"_s, grouped(t.endToEnd), u">= "_s + grouped(target), t.endToEnd >= target);
        check(out, t.dialect + u" rows/s raw ceiling"_s, grouped(t.ceiling), QString(), true);
        allMet &= check(out, t.dialect + u" end to end / ceiling"_s, QString::number(t.endToEnd / t.ceiling, 'f', 2), u">= 0.60"_s,
                        t.endToEnd / t.ceiling >= 0.6);
    }
    if (latency) {
        allMet &= check(out, u"events/s during the latency run"_s, grouped(latency->eventsPerSecond), u">= 2,000"_s,
                        latency->eventsPerSecond >= 2000);
        check(out, u"event-to-FleetState p50 (ms)"_s, QString::number(latency->p50, 'f', 1), QString(), true);
        allMet &= check(out, u"event-to-FleetState p99 (ms)"_s, QString::number(latency->p99, 'f', 1), u"< 20"_s, latency->p99 < 20);
        check(out, u"event-to-FleetState max (ms)"_s, QString::number(latency->max, 'f', 1), QString(), true);
    }
    if (memory) {
        allMet &= check(out, u"resident memory, %1 hosts (MB)"_s.arg(o.memoryHosts), QString::number(double(*memory) / 1e6, 'f', 1),
                        u"< 150"_s, *memory < 150'000'000);
    }
    out.flush();
    return allMet ? 0 : 1;
}

} // namespace boo::bench
