#pragma once

#include "core/bench/benchendpoint.h"
#include "core/evals/codesandbox.h"
#include "core/evals/codescoring.h"
#include "core/evals/evalstore.h"
#include "core/evals/evalsuite.h"

#include <QList>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <memory>

namespace boo {

class AccessGate;
class Database;
class LeaseBook;

// How the runner reaches one target: the request code of the benchmarks (BenchEndpoint), and
// the host and model a lease is asked for (empty providerId: through a gateway, whose own
// routing decides the host; no lease then).
struct EvalTargetRoute
{
    QString target; // as written: provider/model or a virtual model
    BenchEndpoint endpoint;
    QString providerId;
    QString model;
};

struct EvalRunOptions
{
    int concurrency = 4;     // requests in flight together, and sandbox runs together
    int maxTokens = 2048;    // an answer's limit; the model stops earlier when it is done
    int timeoutMs = 120'000; // no answer head or next chunk for this long: the answer is an error
    qint64 leaseTtlMs = 0;   // 0: LeaseBook's default
    bool force = false;      // run on hosts serving live traffic (recorded as forced); never over a lease
};

// What a run came to: its id (0 when it never started), the scores per target, and every
// error (a refused host, a failed request, the database) as one sentence each.
struct EvalRunOutcome
{
    qint64 runId = 0;
    QList<EvalTargetScore> scores;
    QStringList errors;
    bool ok() const { return errors.isEmpty(); }
};

// Runs a code suite against targets: asks the access gate for a lease on every target's host
// first (any refusal refuses the whole run before a request goes out), stores the suite version
// and a run, sends every task's prompt to every target `concurrency` at a time (streaming, so
// TTFT and the host's `timings` are measured as benchmarks measure them), scores the answers in
// the sandbox, stores one result per answer and releases the leases. A request that fails is a
// result with verdict "error" and a run error.
class EvalRunner final : public QObject
{
    Q_OBJECT

public:
    EvalRunner(EvalSuite suite, QList<EvalTargetRoute> routes, AccessGate *gate, LeaseBook *leases, Database *db, CodeSandbox sandbox,
               EvalRunOptions options = {}, QObject *parent = nullptr);
    ~EvalRunner() override;
    Q_DISABLE_COPY_MOVE(EvalRunner)

    void start();
    const EvalRunOutcome &outcome() const { return m_outcome; }

Q_SIGNALS:
    void answered(int done, int total);
    void finished();

private:
    struct Slot;
    struct Job
    {
        qsizetype routeIndex = 0;
        qsizetype taskIndex = 0;
    };

    bool acquireLeases();
    void releaseLeases();
    void heartbeatLeases();
    void pump();
    void send(Slot &slot, const Job &job);
    void scoreAndStore();
    void finish(const QString &status);

    EvalSuite m_suite;
    QList<EvalTargetRoute> m_routes;
    AccessGate *m_gate;
    LeaseBook *m_leases;
    Database *m_db;
    CodeSandbox m_sandbox;
    EvalRunOptions m_options;
    QList<qint64> m_leaseIds;
    QTimer m_heartbeat; // renews the leases while the run lasts
    QList<Job> m_queue;
    std::vector<std::unique_ptr<Slot>> m_slots;
    QList<CodeAnswer> m_answers;
    QList<EvalResult> m_failed; // requests that brought no answer
    int m_total = 0;
    int m_done = 0;
    bool m_scored = false;
    qint64 m_startedAtMs = 0;
    EvalRunOutcome m_outcome;
};

} // namespace boo
