#pragma once

#include "core/bench/benchrun.h"
#include "core/common/result.h"

#include <QList>
#include <QString>

#include <optional>

namespace boo {

class Database;

// One line of `boocontrol bench list`.
struct BenchRunSummary
{
    qint64 id = 0;
    QString suite;
    qint64 startedAtMs = 0;
    qint64 finishedAtMs = 0;
    int cells = 0;
    int requests = 0;
    int errors = 0;
    bool baseline = false;
    std::optional<qint64> comparedWith;
    int regressions = 0;
    QString via;
};

// Benchmark runs in the history database (tables of migration 6): a run with its cells and raw
// samples is written in one transaction, so a run is either all there or not at all.
class BenchStore final
{
public:
    // Stores the run (result.id is ignored) and returns its id. `suiteSource` is the suite file's
    // text, kept in bench_suites under the suite's name (the latest one wins).
    static Result<qint64> save(Database &db, const BenchRunResult &run, const QString &suiteSource);
    // Newest first; `suite` empty: every suite.
    static Result<QList<BenchRunSummary>> list(Database &db, const QString &suite = {}, int limit = 50);
    // The run with its cells (figures, flags, repetitions; not the raw samples).
    static Result<BenchRunResult> load(Database &db, qint64 id);
    static Result<QList<BenchSample>> samples(Database &db, qint64 runId, int cellPosition);
    static Result<void> setBaseline(Database &db, qint64 runId, bool baseline);
    // What a new run of `suite` is compared with: the newest run marked as baseline, else the
    // newest run before `beforeRunId` (0: any). Nullopt when there is none.
    static Result<std::optional<qint64>> baselineFor(Database &db, const QString &suite, qint64 beforeRunId = 0);
    // Writes the cells' flags and figures again (after BenchRegression::compare flagged them).
    static Result<void> updateCells(Database &db, const BenchRunResult &run);
    static Result<void> recordComparison(Database &db, qint64 runId, qint64 baselineRunId, int regressions);
    // Retention: raw samples of runs older than `cutoffMs` are deleted (cells and runs stay, and so
    // do baselines' samples). Returns the rows deleted.
    static Result<qint64> pruneSamples(Database &db, qint64 cutoffMs);
};

} // namespace boo
