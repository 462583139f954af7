#pragma once

#include "core/common/result.h"
#include "core/remote/llamabenchparser.h"

#include <QJsonArray>
#include <QJsonObject>

namespace boo {

class Database;

// One llama-bench run on a host over SSH and the tests it printed (docs/bench.md, "device
// numbers"). Stored beside the serving benchmarks: these are the device's numbers without
// llama-swap, HTTP or batching in the way.
struct LlamaBenchRun
{
    qint64 id = 0;
    QString providerId;
    QString model; // the llama-swap model id the plan came from; empty when the operator named a file
    QString modelPath;
    QString command; // as run on the host
    qint64 startedAt = 0;
    qint64 finishedAt = 0;
    QString outcome; // kLlamaBenchOutcomeNames
    bool forced = false;
    QString message;
    QList<LlamaBenchProblem> problems;
    QList<LlamaBenchRecord> records;

    QJsonObject toJson() const;
};

// A stored test with the run it belongs to, newest first in lists.
struct LlamaBenchStoredResult
{
    qint64 runId = 0;
    QString providerId;
    QString model;
    qint64 ts = 0;
    LlamaBenchRecord record;
};

class LlamaBenchStore final
{
public:
    // Run and tests in one transaction; returns the run's id.
    static Result<qint64> save(Database &db, const LlamaBenchRun &run);
    static Result<LlamaBenchRun> load(Database &db, qint64 runId);
    // Stored tests, newest first; an empty providerId or model means any.
    static Result<QList<LlamaBenchStoredResult>> results(Database &db, const QString &providerId, const QString &model, int limit);
};

} // namespace boo
