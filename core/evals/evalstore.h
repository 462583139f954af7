#pragma once

#include "core/common/result.h"
#include "core/evals/evalsuite.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace boo {

class Database;

// One answer of one target to one task, as stored in eval_results.
struct EvalResult
{
    QString taskId;
    QString target;
    int sample = 0; // 0..k-1 when a task is sampled k times
    QString host;   // the host that answered, when known
    QString answer;
    QString verdict; // code tasks: a sandbox verdict name; chat tasks: "scored" or "error"
    std::optional<double> score;
    QString detail;
    QString judge; // chat tasks: the judge's id and version
    std::optional<double> ttftMs;
    std::optional<double> tokensPerSecond;
    std::optional<double> elapsedMs;
    qint64 createdAtMs = 0;
};

// A target's quality in one run: pass@1 is the mean over tasks of c/n (c of n samples passed);
// pass@k uses the unbiased estimator of Chen et al. (2021), with k = the run's samples.
struct EvalTargetScore
{
    QString target;
    int tasks = 0;
    int answers = 0;
    int passed = 0;
    double passAt1 = 0;
    double passAtK = 0;
    int k = 1;
};

// 1 - C(n-c, k) / C(n, k): the chance that at least one of k answers drawn from the n sampled
// (c of them correct) is correct. 0 <= c <= n, 1 <= k <= n.
double passAtK(int n, int c, int k);

// Eval suites, runs and results in the history database (tables of migration 9).
// Error codes: "evals.stored" (bad stored data), "evals.suite_version" (a version reused with
// other tasks), and the database's own.
class EvalStore final
{
public:
    // Stores `suite` under (name, version). Storing the same content again is a no-op; a stored
    // version with other content is refused: editing a suite makes a new version, and the scores
    // of the old one stay with the tasks that produced them.
    static Result<void> saveSuite(Database &db, const EvalSuite &suite, qint64 nowMs);
    static Result<EvalSuite> loadSuite(Database &db, const QString &name, int version);
    // Versions of a suite, oldest first (empty when it was never stored).
    static Result<QList<int>> versions(Database &db, const QString &name);

    // A run of a stored suite version; returns its id.
    static Result<qint64> createRun(Database &db, const QString &suite, int version, const QStringList &targets, int samples,
                                    qint64 startedAtMs);
    // Idempotent per (run, task, target, sample): a result written twice is kept once.
    static Result<void> addResult(Database &db, qint64 runId, const EvalResult &result);
    static Result<void> finishRun(Database &db, qint64 runId, const QString &status, qint64 finishedAtMs);
    static Result<QList<EvalResult>> results(Database &db, qint64 runId);
    // Per target, in the order of the run's targets; a code verdict "passed" counts as correct.
    static Result<QList<EvalTargetScore>> scores(Database &db, qint64 runId);
};

} // namespace boo
