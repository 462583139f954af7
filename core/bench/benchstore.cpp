#include "core/bench/benchstore.h"

#include "core/common/jsonreader.h"
#include "core/store/database.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

constexpr JsonErrorCodes kStoredCodes{"bench.stored", "bench.stored", "bench.stored"};

QString compact(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

// An empty QString may be a null one, which Qt binds as SQL NULL: NOT NULL text columns get ''.
QString text(const QString &value)
{
    return value.isNull() ? u""_s : value;
}

QVariant nullable(const std::optional<double> &value)
{
    return value ? QVariant(*value) : QVariant(QMetaType(QMetaType::Double));
}

QVariant nullableInt(const std::optional<int> &value)
{
    return value ? QVariant(*value) : QVariant(QMetaType(QMetaType::Int));
}

// The suite as stored with the run: what was measured, not how it was written.
QJsonObject suiteJson(const BenchSuite &suite)
{
    QJsonArray targets;
    for (const BenchTarget &t : suite.targets)
        targets << t.text;
    QJsonArray loads;
    for (int c : suite.concurrency)
        loads << c;
    for (double r : suite.rates)
        loads << r;
    QJsonArray prompts;
    for (int p : suite.promptTokens)
        prompts << p;
    QJsonObject slo;
    if (suite.slo.ttftMs)
        slo.insert(u"ttft_ms"_s, *suite.slo.ttftMs);
    if (suite.slo.tpotMs)
        slo.insert(u"tpot_ms"_s, *suite.slo.tpotMs);
    if (suite.slo.e2eMs)
        slo.insert(u"e2e_ms"_s, *suite.slo.e2eMs);
    return QJsonObject{{u"name"_s, suite.name},
                       {u"targets"_s, targets},
                       {enumNameString(kBenchLoadModeNames, suite.mode), loads},
                       {u"prompt_tokens"_s, prompts},
                       {u"max_tokens"_s, suite.maxTokens},
                       {u"repetitions"_s, suite.repetitions},
                       {u"warmup"_s, suite.warmup},
                       {u"requests"_s, suite.requests},
                       {u"cold_start"_s, suite.coldStart},
                       {u"slo"_s, slo},
                       {u"seed"_s, qint64(suite.seed)},
                       {u"rerun_polluted"_s, suite.rerunPolluted},
                       {u"timeout_ms"_s, suite.timeoutMs}};
}

BenchSuite suiteFromJson(JsonReader &r)
{
    BenchSuite suite;
    suite.name = r.string(u"name"_s, JsonReader::Required);
    for (const QString &text : r.stringList(u"targets"_s)) {
        const qsizetype slash = text.indexOf(u'/');
        suite.targets << (slash > 0 ? BenchTarget{text, text.left(slash), text.mid(slash + 1)} : BenchTarget{text, QString(), text});
    }
    if (r.has(u"rate"_s)) {
        suite.mode = BenchLoadMode::Rate;
        for (const QJsonValue &v : r.array(u"rate"_s))
            suite.rates << v.toDouble();
    } else {
        for (qint64 c : r.integerList(u"concurrency"_s))
            suite.concurrency << int(c);
    }
    suite.promptTokens.clear();
    for (qint64 p : r.integerList(u"prompt_tokens"_s))
        suite.promptTokens << int(p);
    suite.maxTokens = int(r.integer(u"max_tokens"_s));
    suite.repetitions = int(r.integer(u"repetitions"_s));
    suite.warmup = int(r.integer(u"warmup"_s));
    suite.requests = int(r.integer(u"requests"_s));
    suite.coldStart = r.boolean(u"cold_start"_s);
    JsonReader slo = r.child(u"slo"_s, r.object(u"slo"_s));
    suite.slo.ttftMs = slo.optionalNumber(u"ttft_ms"_s);
    suite.slo.tpotMs = slo.optionalNumber(u"tpot_ms"_s);
    suite.slo.e2eMs = slo.optionalNumber(u"e2e_ms"_s);
    if (slo.failed())
        r.adopt(slo.error());
    suite.seed = quint32(r.integer(u"seed"_s));
    suite.rerunPolluted = int(r.integer(u"rerun_polluted"_s));
    suite.timeoutMs = int(r.integer(u"timeout_ms"_s));
    return suite;
}

BenchDistribution distributionFrom(JsonReader &r, const QString &key)
{
    JsonReader d = r.child(key, r.object(key, JsonReader::Required));
    BenchDistribution out;
    out.count = int(d.integer(u"count"_s));
    out.p50 = d.number(u"p50"_s);
    out.p90 = d.number(u"p90"_s);
    out.p99 = d.number(u"p99"_s);
    out.mean = d.number(u"mean"_s);
    out.stddev = d.number(u"stddev"_s);
    if (d.failed())
        r.adopt(d.error());
    return out;
}

// A cell back from its stored JSON (BenchCell::toJson), strictly: a stored figure that does not
// read is an error, never a zero.
Result<BenchCell> cellFromJson(const QJsonObject &json, const BenchSuite &suite, const QString &context)
{
    JsonReader r(json, context, kStoredCodes);
    BenchCell cell;
    const QString target = r.string(u"target"_s, JsonReader::Required);
    for (const BenchTarget &t : suite.targets) {
        if (t.text == target)
            cell.target = t;
    }
    if (cell.target.text.isEmpty())
        cell.target = BenchTarget{target, QString(), target};
    cell.mode = suite.mode;
    if (suite.mode == BenchLoadMode::Concurrency)
        cell.concurrency = int(r.integer(u"concurrency"_s, JsonReader::Required));
    else
        cell.rate = r.number(u"rate"_s, JsonReader::Required);
    cell.promptTokens = int(r.integer(u"prompt_tokens"_s, JsonReader::Required));
    cell.requests = int(r.integer(u"requests"_s, JsonReader::Required));
    cell.errors = int(r.integer(u"errors"_s, JsonReader::Required));
    const QJsonObject kinds = r.object(u"errors_by_kind"_s);
    for (auto it = kinds.begin(); it != kinds.end(); ++it)
        cell.errorsByKind.insert(it.key(), it.value().toInt());
    cell.ttftMs = distributionFrom(r, u"ttft_ms"_s);
    cell.tpotMs = distributionFrom(r, u"tpot_ms"_s);
    cell.itlMs = distributionFrom(r, u"itl_ms"_s);
    cell.e2eMs = distributionFrom(r, u"e2e_ms"_s);
    cell.reqPerS = r.number(u"req_per_s"_s, JsonReader::Required);
    cell.outputTokPerS = r.number(u"output_tok_per_s"_s, JsonReader::Required);
    cell.totalTokPerS = r.number(u"total_tok_per_s"_s);
    cell.goodputReqPerS = r.number(u"goodput_req_per_s"_s, JsonReader::Required);
    cell.hostPromptPerSecond = r.optionalNumber(u"host_prompt_per_second"_s);
    cell.hostPredictedPerSecond = r.optionalNumber(u"host_predicted_per_second"_s);
    if (const auto foreign = r.optionalInteger(u"foreign_requests"_s))
        cell.foreignRequests = int(*foreign);
    cell.reruns = int(r.integer(u"reruns"_s));
    cell.flags = r.stringList(u"flags"_s);
    for (const QJsonObject &rep : r.objectList(u"repetitions"_s)) {
        JsonReader p = r.child(u"repetitions"_s, rep);
        BenchRepetition out;
        out.ttftP50Ms = p.number(u"ttft_p50_ms"_s);
        out.tpotP50Ms = p.number(u"tpot_p50_ms"_s);
        out.e2eP50Ms = p.number(u"e2e_p50_ms"_s);
        out.reqPerS = p.number(u"req_per_s"_s);
        out.outputTokPerS = p.number(u"output_tok_per_s"_s);
        out.requests = int(p.integer(u"requests"_s));
        out.errors = int(p.integer(u"errors"_s));
        out.durationS = p.number(u"duration_s"_s);
        if (p.failed())
            r.adopt(p.error());
        cell.repetitions << out;
    }
    if (r.failed())
        return r.error();
    return cell;
}

Result<void> insertSamples(Database &db, qint64 cellId, const QList<BenchSample> &samples)
{
    for (const BenchSample &s : samples) {
        auto inserted = db.exec(
            u"INSERT INTO bench_samples (cell_id, repetition, idx, started_at, host, status, error_kind, error, ttft_ms, "
            u"tpot_ms, e2e_ms, output_tokens, prompt_tokens, host_prompt_per_second, host_predicted_per_second) "
            u"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s,
            {cellId, s.repetition, s.index, s.startedAtMs, s.host.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : s.host, s.status,
             benchErrorKindName(s.error), s.errorMessage.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : s.errorMessage,
             nullable(s.ttftMs), nullable(s.tpotMs()), s.e2eMs, s.outputTokens, nullableInt(s.promptTokens),
             nullable(s.hostPromptPerSecond), nullable(s.hostPredictedPerSecond)});
        if (!inserted)
            return inserted.error();
    }
    return {};
}

} // namespace

Result<qint64> BenchStore::save(Database &db, const BenchRunResult &run, const QString &suiteSource)
{
    qint64 runId = 0;
    auto stored = db.inTransaction([&]() -> Result<void> {
        if (!suiteSource.isEmpty()) {
            auto suite = db.exec(u"INSERT INTO bench_suites (name, source, updated_at) VALUES (?, ?, ?) "
                                 u"ON CONFLICT (name) DO UPDATE SET source = excluded.source, updated_at = excluded.updated_at"_s,
                                 {run.suite.name, suiteSource, run.finishedAtMs});
            if (!suite)
                return suite.error();
        }
        const QJsonObject json = run.toJson();
        auto inserted
            = db.exec(u"INSERT INTO bench_runs (suite_name, suite, started_at, finished_at, via, hosts, cold_start, formulas) "
                      u"VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"_s,
                      {run.suite.name, compact(suiteJson(run.suite)), run.startedAtMs, run.finishedAtMs, text(run.via),
                       compact(json.value(u"hosts"_s).toObject()),
                       compact(QJsonObject{{u"ms"_s, json.value(u"cold_start_ms"_s)}, {u"errors"_s, json.value(u"cold_start_errors"_s)}}),
                       compact(BenchCell::formulas())});
        if (!inserted)
            return inserted.error();
        if (!inserted->next())
            return makeError(u"db.statement"_s, u"storing a bench run returned no id"_s);
        runId = inserted->value(0).toLongLong();
        for (qsizetype position = 0; position < run.cells.size(); ++position) {
            const BenchCell &c = run.cells[position];
            const bool any = c.ttftMs.count > 0;
            auto cell = db.exec(
                u"INSERT INTO bench_cells (run_id, position, target, mode, concurrency, rate, prompt_tokens, requests, errors, "
                u"ttft_p50_ms, ttft_p99_ms, tpot_p50_ms, e2e_p50_ms, req_per_s, output_tok_per_s, goodput_req_per_s, "
                u"foreign_requests, flags, metrics) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"_s,
                {runId, int(position), c.target.text, enumNameString(kBenchLoadModeNames, c.mode),
                 c.mode == BenchLoadMode::Concurrency ? QVariant(c.concurrency) : QVariant(QMetaType(QMetaType::Int)),
                 c.mode == BenchLoadMode::Rate ? QVariant(c.rate) : QVariant(QMetaType(QMetaType::Double)), c.promptTokens, c.requests,
                 c.errors, nullable(any ? std::optional(c.ttftMs.p50) : std::nullopt),
                 nullable(any ? std::optional(c.ttftMs.p99) : std::nullopt),
                 nullable(c.tpotMs.count > 0 ? std::optional(c.tpotMs.p50) : std::nullopt),
                 nullable(c.e2eMs.count > 0 ? std::optional(c.e2eMs.p50) : std::nullopt), c.reqPerS, c.outputTokPerS, c.goodputReqPerS,
                 nullableInt(c.foreignRequests), text(c.flags.join(u',')), compact(c.toJson())});
            if (!cell)
                return cell.error();
            if (!cell->next())
                return makeError(u"db.statement"_s, u"storing a bench cell returned no id"_s);
            if (auto samples = insertSamples(db, cell->value(0).toLongLong(), c.samples); !samples)
                return samples;
        }
        return {};
    });
    if (!stored)
        return stored.error();
    return runId;
}

Result<QList<BenchRunSummary>> BenchStore::list(Database &db, const QString &suite, int limit)
{
    QString sql = u"SELECT r.id, r.suite_name, r.started_at, r.finished_at, r.baseline, r.compared_with, r.regressions, r.via, "
                  u"(SELECT COUNT(*) FROM bench_cells c WHERE c.run_id = r.id), "
                  u"(SELECT COALESCE(SUM(c.requests), 0) FROM bench_cells c WHERE c.run_id = r.id), "
                  u"(SELECT COALESCE(SUM(c.errors), 0) FROM bench_cells c WHERE c.run_id = r.id) FROM bench_runs r"_s;
    QVariantList binds;
    if (!suite.isEmpty()) {
        sql += u" WHERE r.suite_name = ?"_s;
        binds << suite;
    }
    sql += u" ORDER BY r.id DESC LIMIT ?"_s;
    binds << limit;
    auto query = db.exec(sql, binds);
    if (!query)
        return query.error();
    QList<BenchRunSummary> runs;
    while (query->next()) {
        BenchRunSummary s;
        s.id = query->value(0).toLongLong();
        s.suite = query->value(1).toString();
        s.startedAtMs = query->value(2).toLongLong();
        s.finishedAtMs = query->value(3).toLongLong();
        s.baseline = query->value(4).toInt() != 0;
        if (!query->value(5).isNull())
            s.comparedWith = query->value(5).toLongLong();
        s.regressions = query->value(6).toInt();
        s.via = query->value(7).toString();
        s.cells = query->value(8).toInt();
        s.requests = query->value(9).toInt();
        s.errors = query->value(10).toInt();
        runs << s;
    }
    return runs;
}

Result<BenchRunResult> BenchStore::load(Database &db, qint64 id)
{
    auto query = db.exec(u"SELECT suite, started_at, finished_at, via, hosts, cold_start FROM bench_runs WHERE id = ?"_s, {id});
    if (!query)
        return query.error();
    if (!query->next())
        return makeError(u"bench.unknown_run"_s, u"there is no bench run %1"_s.arg(id));
    const QString context = u"bench run %1"_s.arg(id);
    auto suiteObject = JsonReader::parseObject(query->value(0).toString().toUtf8(), context, kStoredCodes);
    if (!suiteObject)
        return suiteObject.error();
    JsonReader suiteReader(*suiteObject, context + u" suite"_s, kStoredCodes);
    BenchRunResult run;
    run.id = id;
    run.suite = suiteFromJson(suiteReader);
    if (suiteReader.failed())
        return suiteReader.error();
    run.startedAtMs = query->value(1).toLongLong();
    run.finishedAtMs = query->value(2).toLongLong();
    run.via = query->value(3).toString();
    auto hosts = JsonReader::parseObject(query->value(4).toString().toUtf8(), context, kStoredCodes);
    if (!hosts)
        return hosts.error();
    for (auto it = hosts->begin(); it != hosts->end(); ++it) {
        JsonReader h(it.value().toObject(), context + u" host "_s + it.key(), kStoredCodes);
        BenchHostInfo info{it.key(), h.string(u"version"_s), h.stringList(u"gpus"_s)};
        if (h.failed())
            return h.error();
        run.hosts.insert(it.key(), info);
    }
    auto cold = JsonReader::parseObject(query->value(5).toString().toUtf8(), context, kStoredCodes);
    if (!cold)
        return cold.error();
    const QJsonObject ms = cold->value(u"ms"_s).toObject();
    for (auto it = ms.begin(); it != ms.end(); ++it)
        run.coldStartMs.insert(it.key(), it.value().toDouble());
    const QJsonObject errors = cold->value(u"errors"_s).toObject();
    for (auto it = errors.begin(); it != errors.end(); ++it)
        run.coldStartErrors.insert(it.key(), it.value().toString());

    auto cells = db.exec(u"SELECT position, metrics FROM bench_cells WHERE run_id = ? ORDER BY position"_s, {id});
    if (!cells)
        return cells.error();
    while (cells->next()) {
        const QString cellContext = u"%1 cell %2"_s.arg(context).arg(cells->value(0).toInt());
        auto json = JsonReader::parseObject(cells->value(1).toString().toUtf8(), cellContext, kStoredCodes);
        if (!json)
            return json.error();
        auto cell = cellFromJson(*json, run.suite, cellContext);
        if (!cell)
            return cell.error();
        run.cells << *cell;
    }
    return run;
}

Result<QList<BenchSample>> BenchStore::samples(Database &db, qint64 runId, int cellPosition)
{
    auto query = db.exec(u"SELECT s.repetition, s.idx, s.started_at, s.host, s.status, s.error_kind, s.error, s.ttft_ms, s.e2e_ms, "
                         u"s.output_tokens, s.prompt_tokens, s.host_prompt_per_second, s.host_predicted_per_second FROM bench_samples s "
                         u"JOIN bench_cells c ON c.id = s.cell_id WHERE c.run_id = ? AND c.position = ? ORDER BY s.repetition, s.idx"_s,
                         {runId, cellPosition});
    if (!query)
        return query.error();
    QList<BenchSample> out;
    const auto optionalDouble = [&](int column) -> std::optional<double> {
        return query->value(column).isNull() ? std::nullopt : std::optional(query->value(column).toDouble());
    };
    while (query->next()) {
        BenchSample s;
        s.repetition = query->value(0).toInt();
        s.index = query->value(1).toInt();
        s.startedAtMs = query->value(2).toLongLong();
        s.host = query->value(3).toString();
        s.status = query->value(4).toInt();
        const auto kind = enumFromName(kBenchErrorKindNames, query->value(5).toString());
        if (!kind)
            return makeError(u"bench.stored"_s, u"bench run %1: unknown error kind \"%2\""_s.arg(runId).arg(query->value(5).toString()));
        s.error = *kind;
        s.errorMessage = query->value(6).toString();
        s.ttftMs = optionalDouble(7);
        s.e2eMs = query->value(8).toDouble();
        s.outputTokens = query->value(9).toInt();
        s.outputTokensFromUsage = true;
        if (!query->value(10).isNull())
            s.promptTokens = query->value(10).toInt();
        s.hostPromptPerSecond = optionalDouble(11);
        s.hostPredictedPerSecond = optionalDouble(12);
        out << s;
    }
    return out;
}

Result<void> BenchStore::setBaseline(Database &db, qint64 runId, bool baseline)
{
    auto updated = db.exec(u"UPDATE bench_runs SET baseline = ? WHERE id = ?"_s, {baseline ? 1 : 0, runId});
    if (!updated)
        return updated.error();
    if (updated->numRowsAffected() == 0)
        return makeError(u"bench.unknown_run"_s, u"there is no bench run %1"_s.arg(runId));
    return {};
}

Result<std::optional<qint64>> BenchStore::baselineFor(Database &db, const QString &suite, qint64 beforeRunId)
{
    const qint64 before = beforeRunId > 0 ? beforeRunId : std::numeric_limits<qint64>::max();
    for (const QString &where : {u"baseline = 1 AND id <> ?"_s, u"id < ?"_s}) {
        auto query
            = db.exec(u"SELECT id FROM bench_runs WHERE suite_name = ? AND %1 ORDER BY id DESC LIMIT 1"_s.arg(where), {suite, before});
        if (!query)
            return query.error();
        if (query->next())
            return std::optional<qint64>(query->value(0).toLongLong());
    }
    return std::optional<qint64>();
}

Result<void> BenchStore::updateCells(Database &db, const BenchRunResult &run)
{
    return db.inTransaction([&]() -> Result<void> {
        for (qsizetype i = 0; i < run.cells.size(); ++i) {
            auto updated = db.exec(u"UPDATE bench_cells SET flags = ?, metrics = ? WHERE run_id = ? AND position = ?"_s,
                                   {text(run.cells[i].flags.join(u',')), compact(run.cells[i].toJson()), run.id, int(i)});
            if (!updated)
                return updated.error();
        }
        return {};
    });
}

Result<void> BenchStore::recordComparison(Database &db, qint64 runId, qint64 baselineRunId, int regressions)
{
    auto updated = db.exec(u"UPDATE bench_runs SET compared_with = ?, regressions = ? WHERE id = ?"_s, {baselineRunId, regressions, runId});
    if (!updated)
        return updated.error();
    return {};
}

Result<qint64> BenchStore::pruneSamples(Database &db, qint64 cutoffMs)
{
    auto deleted
        = db.exec(u"DELETE FROM bench_samples WHERE cell_id IN (SELECT c.id FROM bench_cells c JOIN bench_runs r ON r.id = c.run_id "
                  u"WHERE r.finished_at < ? AND r.baseline = 0)"_s,
                  {cutoffMs});
    if (!deleted)
        return deleted.error();
    return qint64(deleted->numRowsAffected());
}

} // namespace boo
