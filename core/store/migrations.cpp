#include "core/store/migrations.h"

#include "core/store/database.h"
#include "core/store/historyrows.h"

#include <QDateTime>
#include <QSqlQuery>
#include <QSqlRecord>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

// Every advisory-lock user in this program agrees on this key: "boo" + 1.
constexpr qint64 kMigrationLockKey = 0x626f6f01;

QStringList initialSchema(const Database &db)
{
    const QString real = db.realType();
    const QString id = db.identityColumn();

    QStringList perfRollupColumns;
    for (const QString &metric : perfMetricColumns())
        perfRollupColumns << u"%1_min %2, %1_avg %2, %1_max %2"_s.arg(metric, real);
    QStringList perfSampleColumns;
    for (const QString &metric : perfMetricColumns())
        perfSampleColumns << u"%1 %2"_s.arg(metric, real);

    return {
        // One row per provider ever configured; rows are updated, never deleted, so that
        // history stays attached to a host that was removed from the registry.
        uR"(CREATE TABLE IF NOT EXISTS control_hosts (
            provider_id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            base_url TEXT NOT NULL,
            enabled INTEGER NOT NULL DEFAULT 1,
            tags TEXT NOT NULL DEFAULT '[]',
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            last_seen_at BIGINT,
            version TEXT,
            gap_suspected INTEGER NOT NULL DEFAULT 0,
            gap_suspected_at BIGINT))"_s,

        // The host's activity id restarts at 1 when llama-swap restarts with an in-memory store,
        // so the natural key includes the finish time: rows of two runs never collide.
        uR"(CREATE TABLE IF NOT EXISTS control_requests (
            id %1,
            provider_id TEXT NOT NULL,
            swap_entry_id BIGINT NOT NULL,
            ts BIGINT NOT NULL,
            model TEXT NOT NULL,
            req_path TEXT NOT NULL,
            resp_content_type TEXT NOT NULL DEFAULT '',
            resp_status_code INTEGER NOT NULL,
            cache_tokens BIGINT,
            draft_tokens BIGINT,
            draft_acc_tokens BIGINT,
            input_tokens BIGINT,
            output_tokens BIGINT,
            prompt_per_second %2,
            tokens_per_second %2,
            duration_ms BIGINT NOT NULL,
            has_capture INTEGER NOT NULL DEFAULT 0,
            error_msg TEXT,
            metadata TEXT,
            source TEXT,
            ingested_at BIGINT NOT NULL,
            UNIQUE (provider_id, swap_entry_id, ts)))"_s.arg(id, real),
        u"CREATE INDEX IF NOT EXISTS control_requests_ts ON control_requests (ts, id)"_s,
        u"CREATE INDEX IF NOT EXISTS control_requests_host_ts ON control_requests (provider_id, ts, id)"_s,
        u"CREATE INDEX IF NOT EXISTS control_requests_model_ts ON control_requests (model, ts)"_s,

        u"CREATE TABLE IF NOT EXISTS control_perf_samples (provider_id TEXT NOT NULL, gpu INTEGER NOT NULL, "
        u"ts BIGINT NOT NULL, name TEXT, uuid TEXT, %1, UNIQUE (provider_id, gpu, ts))"_s.arg(perfSampleColumns.join(u", "_s)),
        u"CREATE INDEX IF NOT EXISTS control_perf_samples_ts ON control_perf_samples (ts)"_s,

        u"CREATE TABLE IF NOT EXISTS control_perf_rollup_5m (provider_id TEXT NOT NULL, gpu INTEGER NOT NULL, "
        u"bucket BIGINT NOT NULL, samples BIGINT NOT NULL, %1, UNIQUE (provider_id, gpu, bucket))"_s.arg(perfRollupColumns.join(u", "_s)),

        uR"(CREATE TABLE IF NOT EXISTS control_model_events (
            id %1,
            provider_id TEXT NOT NULL,
            model TEXT NOT NULL,
            state TEXT NOT NULL,
            previous_state TEXT,
            ts BIGINT NOT NULL,
            UNIQUE (provider_id, model, state, ts)))"_s.arg(id),
        u"CREATE INDEX IF NOT EXISTS control_model_events_host_ts ON control_model_events (provider_id, ts)"_s,
    };
}

QStringList hostEvents(const Database &db)
{
    return {
        u"CREATE TABLE IF NOT EXISTS control_host_events (id %1, provider_id TEXT NOT NULL, ts BIGINT NOT NULL, "
        u"kind TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '', UNIQUE (provider_id, ts, kind, detail))"_s.arg(db.identityColumn()),
        u"CREATE INDEX IF NOT EXISTS control_host_events_host_ts ON control_host_events (provider_id, ts)"_s,
    };
}

// The four built-in virtual models, as rows the user may edit (docs/gateway.md, "Policies").
QString builtInPolicy(int position, const QString &name, const QString &description, const QString &candidates, const QString &strategy)
{
    const QString rule
        = u"{\"models\":[\"%1\"],\"sources\":[],\"min_prompt_tokens\":null,\"max_prompt_tokens\":null,\"tools\":\"any\"}"_s.arg(name);
    return u"INSERT INTO route_policies (name, position, description, rule, candidates, strategy, enabled, builtin, updated_at) "
           u"VALUES ('%1', %2, '%3', '%4', '%5', '%6', 1, 1, 0) ON CONFLICT (name) DO NOTHING"_s.arg(name)
               .arg(position)
               .arg(description, rule, candidates, strategy);
}

QStringList gateway(const Database &db)
{
    const QString id = db.identityColumn();
    const QString real = db.realType();
    return {
        u"CREATE TABLE IF NOT EXISTS route_policies (name TEXT PRIMARY KEY, position INTEGER NOT NULL, "
        u"description TEXT NOT NULL DEFAULT '', rule TEXT NOT NULL, candidates TEXT NOT NULL, strategy TEXT NOT NULL, "
        u"enabled INTEGER NOT NULL DEFAULT 1, builtin INTEGER NOT NULL DEFAULT 0, updated_at BIGINT NOT NULL)"_s,
        builtInPolicy(0, u"auto"_s,
                      u"The best healthy host for any chat or completion model: a loaded idle model first, then "
                      u"free capacity, then a cold start"_s,
                      u"[\"*/*\"]"_s, u"ranked"_s),
        builtInPolicy(1, u"auto:code"_s,
                      u"Coding models first (providers tagged code, names with coder, devstral or code), "
                      u"then any model"_s,
                      u"[\"tag:code/*\",\"*/*coder*\",\"*/*devstral*\",\"*/*code*\",\"*/*\"]"_s, u"ordered"_s),
        builtInPolicy(2, u"auto:fast"_s, u"Whatever answers soonest: loaded models first, the fastest recent decode speed first"_s,
                      u"[\"tag:fast/*\",\"*/*\"]"_s, u"fastest"_s),
        builtInPolicy(3, u"auto:cheap"_s, u"Local hosts before any cloud provider, models already loaded before cold starts"_s,
                      u"[\"*/*\"]"_s, u"cheapest"_s),

        u"CREATE TABLE IF NOT EXISTS gateway_dispatch_log (id %1, dispatch_id TEXT NOT NULL UNIQUE, ts BIGINT NOT NULL, "
        u"source TEXT NOT NULL, requested_model TEXT NOT NULL, policy TEXT, endpoint TEXT NOT NULL, stream INTEGER NOT NULL, "
        u"candidates TEXT NOT NULL, attempts_detail TEXT NOT NULL, attempts INTEGER NOT NULL, chosen_provider TEXT, "
        u"chosen_model TEXT, status INTEGER NOT NULL, ttft_ms %2, total_ms %2 NOT NULL, overhead_ms %2 NOT NULL, error TEXT)"_s.arg(id,
                                                                                                                                    real),
        u"CREATE INDEX IF NOT EXISTS gateway_dispatch_log_ts ON gateway_dispatch_log (ts, id)"_s,
        u"CREATE INDEX IF NOT EXISTS gateway_dispatch_log_source_ts ON gateway_dispatch_log (source, ts)"_s,

        // Leases are granted by benchmarks (and operators); the gateway only reads them.
        u"CREATE TABLE IF NOT EXISTS control_host_leases (id %1, provider_id TEXT NOT NULL, model TEXT, holder TEXT NOT NULL, "
        u"reason TEXT NOT NULL DEFAULT '', granted_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, released_at BIGINT)"_s.arg(id),
        u"CREATE INDEX IF NOT EXISTS control_host_leases_host ON control_host_leases (provider_id, expires_at)"_s,

        // Per-source totals of attributed requests.
        u"CREATE INDEX IF NOT EXISTS control_requests_source_ts ON control_requests (source, ts)"_s,
    };
}

// A nullable column without a default: neither dialect rewrites the table. SQLite has no
// ADD COLUMN IF NOT EXISTS, so a step that must be safe to run twice asks for the columns first.
QStringList requestCaller(const Database &db)
{
    if (db.dialect() == SqlDialect::Postgres)
        return {u"ALTER TABLE control_requests ADD COLUMN IF NOT EXISTS caller TEXT"_s};
    if (db.connection().record(u"control_requests"_s).contains(u"caller"_s))
        return {};
    return {u"ALTER TABLE control_requests ADD COLUMN caller TEXT"_s};
}

// Serving benchmarks (core/bench, docs/bench.md). A cell keeps its headline figures as columns
// (for history charts and regression queries) and everything, formulas included, as JSON.
QStringList bench(const Database &db)
{
    const QString id = db.identityColumn();
    const QString real = db.realType();
    return {
        u"CREATE TABLE IF NOT EXISTS bench_suites (name TEXT PRIMARY KEY, source TEXT NOT NULL, updated_at BIGINT NOT NULL)"_s,
        u"CREATE TABLE IF NOT EXISTS bench_runs (id %1, suite_name TEXT NOT NULL, suite TEXT NOT NULL, started_at BIGINT NOT NULL, "
        u"finished_at BIGINT NOT NULL, via TEXT NOT NULL, hosts TEXT NOT NULL, cold_start TEXT NOT NULL, formulas TEXT NOT NULL, "
        u"baseline INTEGER NOT NULL DEFAULT 0, compared_with BIGINT, regressions INTEGER NOT NULL DEFAULT 0)"_s.arg(id),
        u"CREATE INDEX IF NOT EXISTS bench_runs_suite ON bench_runs (suite_name, started_at)"_s,
        u"CREATE TABLE IF NOT EXISTS bench_cells (id %1, run_id BIGINT NOT NULL REFERENCES bench_runs (id) ON DELETE CASCADE, "
        u"position INTEGER NOT NULL, target TEXT NOT NULL, mode TEXT NOT NULL, concurrency INTEGER, rate %2, "
        u"prompt_tokens INTEGER NOT NULL, requests INTEGER NOT NULL, errors INTEGER NOT NULL, ttft_p50_ms %2, ttft_p99_ms %2, "
        u"tpot_p50_ms %2, e2e_p50_ms %2, req_per_s %2 NOT NULL, output_tok_per_s %2 NOT NULL, goodput_req_per_s %2 NOT NULL, "
        u"foreign_requests INTEGER, flags TEXT NOT NULL, metrics TEXT NOT NULL, UNIQUE (run_id, position))"_s.arg(id, real),
        u"CREATE INDEX IF NOT EXISTS bench_cells_target ON bench_cells (target, prompt_tokens)"_s,
        u"CREATE TABLE IF NOT EXISTS bench_samples (cell_id BIGINT NOT NULL REFERENCES bench_cells (id) ON DELETE CASCADE, "
        u"repetition INTEGER NOT NULL, idx INTEGER NOT NULL, started_at BIGINT NOT NULL, host TEXT, status INTEGER NOT NULL, "
        u"error_kind TEXT NOT NULL, error TEXT, ttft_ms %1, tpot_ms %1, e2e_ms %1 NOT NULL, output_tokens INTEGER NOT NULL, "
        u"prompt_tokens INTEGER, host_prompt_per_second %1, host_predicted_per_second %1, UNIQUE (cell_id, repetition, idx))"_s.arg(real),
        u"CREATE INDEX IF NOT EXISTS bench_samples_started ON bench_samples (started_at)"_s,
    };
}

// Consumer keys of the gateway (docs/keys.md): only a hash of each key is kept. Usage is kept
// per key and minute, upserted by the running server, so budgets survive a restart.
QStringList consumerKeys(const Database &db)
{
    QStringList statements{
        u"CREATE TABLE IF NOT EXISTS consumer_keys (name TEXT PRIMARY KEY, source TEXT NOT NULL, key_hash TEXT NOT NULL UNIQUE, "
        u"key_prefix TEXT NOT NULL, allowed_models TEXT NOT NULL DEFAULT '[]', allow_sub_source INTEGER NOT NULL DEFAULT 0, "
        u"rpm BIGINT, tpm BIGINT, tokens_per_day BIGINT, expires_at BIGINT, disabled INTEGER NOT NULL DEFAULT 0, "
        u"revoked_at BIGINT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, last_used_at BIGINT)"_s,
        u"CREATE TABLE IF NOT EXISTS consumer_key_usage (key_name TEXT NOT NULL, minute BIGINT NOT NULL, "
        u"requests BIGINT NOT NULL DEFAULT 0, limited BIGINT NOT NULL DEFAULT 0, input_tokens BIGINT NOT NULL DEFAULT 0, "
        u"output_tokens BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (key_name, minute))"_s,
        u"CREATE INDEX IF NOT EXISTS consumer_key_usage_minute ON consumer_key_usage (minute)"_s,
    };
    // Which key a dispatch came with (null for the server token and open loopback).
    if (db.dialect() == SqlDialect::Postgres)
        statements << u"ALTER TABLE gateway_dispatch_log ADD COLUMN IF NOT EXISTS consumer_key TEXT"_s;
    else if (!db.connection().record(u"gateway_dispatch_log"_s).contains(u"consumer_key"_s))
        statements << u"ALTER TABLE gateway_dispatch_log ADD COLUMN consumer_key TEXT"_s;
    return statements;
}

// Every answer the access gate gave (granted, busy, leased, ...): who asked for which host, why.
QStringList accessDecisions(const Database &db)
{
    return {
        u"CREATE TABLE IF NOT EXISTS control_access_decisions (id %1, ts BIGINT NOT NULL, provider_id TEXT NOT NULL, "
        u"holder TEXT NOT NULL, purpose TEXT NOT NULL DEFAULT '', outcome TEXT NOT NULL, forced INTEGER NOT NULL DEFAULT 0, "
        u"reason TEXT NOT NULL DEFAULT '')"_s.arg(db.identityColumn()),
        u"CREATE INDEX IF NOT EXISTS control_access_decisions_host_ts ON control_access_decisions (provider_id, ts)"_s,
    };
}

// Favorites and hidden models of the pickers: the operator's view, never the registry's or the
// host's (a hidden model still runs and still routes).
QStringList modelPreferences(const Database &)
{
    return {uR"(CREATE TABLE IF NOT EXISTS model_preferences (
            provider TEXT NOT NULL,
            model TEXT NOT NULL,
            favorite INTEGER NOT NULL DEFAULT 0,
            hidden INTEGER NOT NULL DEFAULT 0,
            updated_at BIGINT NOT NULL,
            PRIMARY KEY (provider, model)))"_s};
}

// Quality evals (core/evals, docs/evals.md). A suite is kept per version, as it was run (its
// canonical JSON), so scores stay tied to the tasks that produced them; a result is one answer of
// one target to one task (sample > 0 when a task is sampled k times for pass@k).
QStringList evals(const Database &db)
{
    const QString id = db.identityColumn();
    const QString real = db.realType();
    return {
        u"CREATE TABLE IF NOT EXISTS eval_suites (name TEXT NOT NULL, version INTEGER NOT NULL, kind TEXT NOT NULL, "
        u"content TEXT NOT NULL, content_hash TEXT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (name, version))"_s,
        u"CREATE TABLE IF NOT EXISTS eval_runs (id %1, suite_name TEXT NOT NULL, suite_version INTEGER NOT NULL, "
        u"targets TEXT NOT NULL, samples INTEGER NOT NULL DEFAULT 1, status TEXT NOT NULL, started_at BIGINT NOT NULL, "
        u"finished_at BIGINT, FOREIGN KEY (suite_name, suite_version) REFERENCES eval_suites (name, version))"_s.arg(id),
        u"CREATE INDEX IF NOT EXISTS eval_runs_suite ON eval_runs (suite_name, suite_version, started_at)"_s,
        u"CREATE TABLE IF NOT EXISTS eval_results (run_id BIGINT NOT NULL REFERENCES eval_runs (id) ON DELETE CASCADE, "
        u"task_id TEXT NOT NULL, target TEXT NOT NULL, sample INTEGER NOT NULL, host TEXT, answer TEXT NOT NULL, "
        u"verdict TEXT NOT NULL, score %2, detail TEXT NOT NULL, judge TEXT, ttft_ms %2, tokens_per_s %2, elapsed_ms %2, "
        u"created_at BIGINT NOT NULL, UNIQUE (run_id, task_id, target, sample))"_s.arg(real),
        u"CREATE INDEX IF NOT EXISTS eval_results_target ON eval_results (target, created_at)"_s,
    };
}

// Remote config editing (docs/remote.md): every version of a host's llama-swap config that an
// apply replaced (the backup, so it can be restored even when the host's copy is gone), and
// every apply with the outcome of each of its steps.
QStringList configVersions(const Database &db)
{
    return {
        u"CREATE TABLE IF NOT EXISTS config_versions (id %1, provider_id TEXT NOT NULL, config_path TEXT NOT NULL, "
        u"ts BIGINT NOT NULL, sha256 TEXT NOT NULL, content TEXT NOT NULL, author TEXT NOT NULL DEFAULT '', "
        u"reason TEXT NOT NULL DEFAULT '', host_backup_path TEXT NOT NULL DEFAULT '')"_s.arg(db.identityColumn()),
        u"CREATE INDEX IF NOT EXISTS config_versions_host_ts ON config_versions (provider_id, ts)"_s,
        u"CREATE TABLE IF NOT EXISTS config_applies (id %1, provider_id TEXT NOT NULL, kind TEXT NOT NULL, "
        u"started_at BIGINT NOT NULL, finished_at BIGINT, author TEXT NOT NULL DEFAULT '', reason TEXT NOT NULL DEFAULT '', "
        u"outcome TEXT NOT NULL, old_sha256 TEXT NOT NULL DEFAULT '', new_sha256 TEXT NOT NULL DEFAULT '', "
        u"backup_id BIGINT, message TEXT NOT NULL DEFAULT '', steps TEXT NOT NULL DEFAULT '[]')"_s.arg(db.identityColumn()),
        u"CREATE INDEX IF NOT EXISTS config_applies_host_started ON config_applies (provider_id, started_at)"_s,
    };
}

// llama-bench over SSH (docs/bench.md, "device numbers"): one row per run on a host, one per test
// it printed, with the whole JSON line kept (llama-bench adds fields between builds).
QStringList deviceBench(const Database &db)
{
    const QString id = db.identityColumn();
    const QString real = db.realType();
    return {
        u"CREATE TABLE IF NOT EXISTS bench_device_runs (id %1, provider_id TEXT NOT NULL, model TEXT NOT NULL DEFAULT '', "
        u"model_path TEXT NOT NULL DEFAULT '', command TEXT NOT NULL DEFAULT '', started_at BIGINT NOT NULL, "
        u"finished_at BIGINT NOT NULL, outcome TEXT NOT NULL, forced INTEGER NOT NULL DEFAULT 0, "
        u"message TEXT NOT NULL DEFAULT '', problems TEXT NOT NULL DEFAULT '[]')"_s.arg(id),
        u"CREATE INDEX IF NOT EXISTS bench_device_runs_host ON bench_device_runs (provider_id, started_at)"_s,
        u"CREATE TABLE IF NOT EXISTS bench_device_results (id %1, "
        u"run_id BIGINT NOT NULL REFERENCES bench_device_runs (id) ON DELETE CASCADE, provider_id TEXT NOT NULL, "
        u"model TEXT NOT NULL DEFAULT '', model_type TEXT NOT NULL DEFAULT '', model_filename TEXT NOT NULL DEFAULT '', "
        u"build_commit TEXT NOT NULL DEFAULT '', build_number BIGINT NOT NULL DEFAULT 0, backends TEXT NOT NULL DEFAULT '', "
        u"gpu_info TEXT NOT NULL DEFAULT '', n_gpu_layers INTEGER NOT NULL DEFAULT 0, n_prompt INTEGER NOT NULL, "
        u"n_gen INTEGER NOT NULL, n_depth INTEGER NOT NULL DEFAULT 0, avg_ts %2 NOT NULL, stddev_ts %2 NOT NULL, "
        u"raw TEXT NOT NULL, ts BIGINT NOT NULL)"_s.arg(id, real),
        u"CREATE INDEX IF NOT EXISTS bench_device_results_model ON bench_device_results (provider_id, model, ts)"_s,
    };
}

Result<void> ensureVersionTable(Database &db)
{
    auto created = db.exec(u"CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
                           u"name TEXT NOT NULL, applied_at BIGINT NOT NULL)"_s);
    if (!created)
        return created.error();
    return {};
}

Result<void> applyStep(Database &db, const Migrations::Step &step)
{
    return db.inTransaction([&]() -> Result<void> {
        // Two processes starting together must not both apply a step: Postgres serialises on an
        // advisory lock, SQLite on its single writer lock (taken by the first write below).
        if (db.dialect() == SqlDialect::Postgres) {
            if (auto locked = db.exec(u"SELECT pg_advisory_xact_lock(?)"_s, {kMigrationLockKey}); !locked)
                return locked.error();
        }
        // Asked per step, not as "highest applied": steps are merged from branches that number
        // them apart (a database may have 6 before 5 arrives), and each stands on its own.
        auto applied = db.exec(u"SELECT COUNT(*) FROM schema_version WHERE version = ?"_s, {step.version});
        if (!applied)
            return applied.error();
        if (applied->next() && applied->value(0).toInt() > 0)
            return {};
        for (const QString &sql : step.statements(db)) {
            if (auto r = db.exec(sql); !r)
                return makeError(r.error().code, u"migration %1 (%2) failed: %3"_s.arg(step.version).arg(step.name, r.error().message));
        }
        auto recorded = db.exec(u"INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)"_s,
                                {step.version, step.name, QDateTime::currentMSecsSinceEpoch()});
        if (!recorded)
            return recorded.error();
        return {};
    });
}

} // namespace

const QList<Migrations::Step> &Migrations::steps()
{
    static const QList<Step> all{
        {1, u"history: hosts, requests, perf samples and rollups, model events"_s, &initialSchema},
        {2, u"host events: liveness transitions, restarts, suspected gaps"_s, &hostEvents},
        {3, u"gateway: route policies (with the four built-ins), dispatch log, host leases"_s, &gateway},
        {4, u"requests: the host's caller tag (llama-swap v251+ activity `src`)"_s, &requestCaller},
        {5, u"consumer keys: keys, their usage per minute, the key of each dispatch"_s, &consumerKeys},
        {6, u"bench: suites, runs, cells and raw samples of serving benchmarks"_s, &bench},
        {7, u"host access: the access gate's decisions"_s, &accessDecisions},
        {8, u"pickers: favorite and hidden models"_s, &modelPreferences},
        {9, u"evals: versioned suites, runs and per-answer results"_s, &evals},
        {11, u"remote config: versions replaced by an apply, and each apply's steps"_s, &configVersions},
        {12, u"bench: llama-bench runs over SSH and their per-test device numbers"_s, &deviceBench},
    };
    return all;
}

int Migrations::latestVersion()
{
    return steps().isEmpty() ? 0 : steps().constLast().version;
}

Result<int> Migrations::currentVersion(Database &db)
{
    auto query = db.exec(u"SELECT COALESCE(MAX(version), 0) FROM schema_version"_s);
    if (!query)
        return query.error();
    return query->next() ? query->value(0).toInt() : 0;
}

Result<int> Migrations::migrate(Database &db)
{
    if (auto ready = ensureVersionTable(db); !ready)
        return ready.error();
    for (const Step &step : steps()) {
        if (auto applied = applyStep(db, step); !applied) {
            // Another process may have applied the step between our check and our write.
            auto recorded = db.exec(u"SELECT COUNT(*) FROM schema_version WHERE version = ?"_s, {step.version});
            if (!recorded || !recorded->next() || recorded->value(0).toInt() == 0)
                return applied.error();
        }
    }
    auto version = currentVersion(db);
    if (version && *version > latestVersion())
        return makeError(u"db.schema"_s,
                         u"%1 has schema version %2, newer than this program knows (%3): upgrade BooControl"_s.arg(db.url().displayString())
                             .arg(*version)
                             .arg(latestVersion()));
    return version;
}

} // namespace boo
