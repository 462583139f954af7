#include "core/remote/llamabenchstore.h"

#include "core/store/database.h"

#include <QJsonDocument>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

// Qt binds a null QString as NULL; the text columns are NOT NULL with '' for "none".
QString text(const QString &value)
{
    return value.isEmpty() ? u""_s : value;
}

QJsonArray problemsJson(const QList<LlamaBenchProblem> &problems)
{
    QJsonArray array;
    for (const LlamaBenchProblem &p : problems)
        array.append(QJsonObject{{u"line"_s, p.line}, {u"message"_s, p.message}});
    return array;
}

QJsonObject recordJson(const LlamaBenchRecord &r)
{
    return {{u"test"_s, r.testName()},
            {u"model_type"_s, r.modelType},
            {u"model_filename"_s, r.modelFilename},
            {u"build_commit"_s, r.buildCommit},
            {u"build_number"_s, r.buildNumber},
            {u"backends"_s, r.backends},
            {u"gpu_info"_s, r.gpuInfo},
            {u"n_gpu_layers"_s, r.nGpuLayers},
            {u"n_prompt"_s, r.nPrompt},
            {u"n_gen"_s, r.nGen},
            {u"n_depth"_s, r.nDepth},
            {u"avg_ts"_s, r.avgTs},
            {u"stddev_ts"_s, r.stddevTs}};
}

// The stored line is read back with the parser, so a stored result has every field a fresh one has.
LlamaBenchRecord recordFrom(const QString &raw)
{
    const LlamaBenchOutput parsed = LlamaBenchParser::parse(raw.toUtf8());
    return parsed.records.isEmpty() ? LlamaBenchRecord{} : parsed.records.constFirst();
}

} // namespace

QJsonObject LlamaBenchRun::toJson() const
{
    QJsonArray tests;
    for (const LlamaBenchRecord &r : records)
        tests.append(recordJson(r));
    QJsonObject o{{u"provider"_s, providerId},  {u"model"_s, model},
                  {u"model_path"_s, modelPath}, {u"command"_s, command},
                  {u"started_at"_s, startedAt}, {u"finished_at"_s, finishedAt},
                  {u"outcome"_s, outcome},      {u"forced"_s, forced},
                  {u"message"_s, message},      {u"problems"_s, problemsJson(problems)},
                  {u"results"_s, tests}};
    if (id)
        o.insert(u"id"_s, id);
    return o;
}

Result<qint64> LlamaBenchStore::save(Database &db, const LlamaBenchRun &run)
{
    qint64 runId = 0;
    auto saved = db.inTransaction([&]() -> Result<void> {
        auto q = db.exec(u"INSERT INTO bench_device_runs (provider_id, model, model_path, command, started_at, finished_at, outcome, "
                         u"forced, message, problems) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"_s,
                         {run.providerId, text(run.model), text(run.modelPath), text(run.command), run.startedAt, run.finishedAt,
                          run.outcome, run.forced ? 1 : 0, text(run.message),
                          QString::fromUtf8(QJsonDocument(problemsJson(run.problems)).toJson(QJsonDocument::Compact))});
        if (!q)
            return q.error();
        if (!q->next())
            return makeError(u"db.statement"_s, u"saving a llama-bench run returned no id"_s);
        runId = q->value(0).toLongLong();
        for (const LlamaBenchRecord &r : run.records) {
            auto row = db.exec(u"INSERT INTO bench_device_results (run_id, provider_id, model, model_type, model_filename, build_commit, "
                               u"build_number, backends, gpu_info, n_gpu_layers, n_prompt, n_gen, n_depth, avg_ts, stddev_ts, raw, ts) "
                               u"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s,
                               {runId, run.providerId, text(run.model), text(r.modelType), text(r.modelFilename), text(r.buildCommit),
                                r.buildNumber, text(r.backends), text(r.gpuInfo), r.nGpuLayers, r.nPrompt, r.nGen, r.nDepth, r.avgTs,
                                r.stddevTs, QString::fromUtf8(QJsonDocument(r.raw).toJson(QJsonDocument::Compact)), run.finishedAt});
            if (!row)
                return row.error();
        }
        return {};
    });
    if (!saved)
        return saved.error();
    return runId;
}

Result<LlamaBenchRun> LlamaBenchStore::load(Database &db, qint64 runId)
{
    auto q = db.exec(u"SELECT provider_id, model, model_path, command, started_at, finished_at, outcome, forced, message, problems "
                     u"FROM bench_device_runs WHERE id = ?"_s,
                     {runId});
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(u"bench.unknown_run"_s, u"no llama-bench run %1"_s.arg(runId));
    LlamaBenchRun run;
    run.id = runId;
    run.providerId = q->value(0).toString();
    run.model = q->value(1).toString();
    run.modelPath = q->value(2).toString();
    run.command = q->value(3).toString();
    run.startedAt = q->value(4).toLongLong();
    run.finishedAt = q->value(5).toLongLong();
    run.outcome = q->value(6).toString();
    run.forced = q->value(7).toInt() != 0;
    run.message = q->value(8).toString();
    for (const QJsonValue &p : QJsonDocument::fromJson(q->value(9).toString().toUtf8()).array())
        run.problems << LlamaBenchProblem{p[u"line"_s].toInt(), p[u"message"_s].toString()};
    auto rows = db.exec(u"SELECT raw FROM bench_device_results WHERE run_id = ? ORDER BY id"_s, {runId});
    if (!rows)
        return rows.error();
    while (rows->next())
        run.records << recordFrom(rows->value(0).toString());
    return run;
}

Result<QList<LlamaBenchStoredResult>> LlamaBenchStore::results(Database &db, const QString &providerId, const QString &model, int limit)
{
    auto q = db.exec(u"SELECT run_id, provider_id, model, ts, raw FROM bench_device_results "
                     u"WHERE (? = '' OR provider_id = ?) AND (? = '' OR model = ?) ORDER BY ts DESC, id DESC LIMIT ?"_s,
                     {text(providerId), text(providerId), text(model), text(model), limit});
    if (!q)
        return q.error();
    QList<LlamaBenchStoredResult> list;
    while (q->next()) {
        LlamaBenchStoredResult r;
        r.runId = q->value(0).toLongLong();
        r.providerId = q->value(1).toString();
        r.model = q->value(2).toString();
        r.ts = q->value(3).toLongLong();
        r.record = recordFrom(q->value(4).toString());
        list << r;
    }
    return list;
}

} // namespace boo
