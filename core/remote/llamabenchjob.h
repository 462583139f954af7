#pragma once

#include "core/common/enumnames.h"
#include "core/remote/confighost.h"
#include "core/remote/llamabenchplan.h"
#include "core/remote/llamabenchstore.h"

#include <QObject>
#include <QPointer>

#include <memory>

namespace boo {

class AccessGate;
class Database;
class LeaseBook;
class LeaseKeeper;

struct LlamaBenchOptions
{
    QString model;      // the llama-swap model id: its cmd gives the plan, the lease names it
    QString modelPath;  // the operator's model file on the host: the config is not read
    QString flags;      // the operator's llama-bench flags, as typed: they replace those from cmd
    QString program;    // llama-bench on the host; empty: next to llama-server, else on PATH
    bool force = false; // run over live traffic (recorded as forced); never over another's lease
    QString holder = QStringLiteral("bench:device");
    int timeoutMs = 30 * 60 * 1000; // llama-bench on a big model takes minutes
};

enum class LlamaBenchOutcome {
    Done,    // llama-bench exited 0 and printed at least one test
    Empty,   // it exited 0 and printed no test
    Refused, // the access gate said no (busy, leased, down)
    Failed,  // the plan, SSH, llama-bench or the database failed (tests printed before are kept)
};
inline constexpr EnumName<LlamaBenchOutcome> kLlamaBenchOutcomeNames[] = {
    {LlamaBenchOutcome::Done, u"done"},
    {LlamaBenchOutcome::Empty, u"empty"},
    {LlamaBenchOutcome::Refused, u"refused"},
    {LlamaBenchOutcome::Failed, u"failed"},
};

struct LlamaBenchResult
{
    LlamaBenchOutcome outcome = LlamaBenchOutcome::Failed;
    LlamaBenchPlan plan;
    LlamaBenchRun run;  // run.id is set once stored
    QString stderrTail; // the end of llama-bench's stderr, for a failure's reason
};

// Device-level numbers of one model on one host (issue 14): llama-bench run over SSH with the
// host held through the AccessGate, so no benchmark, eval or config apply runs on it meanwhile
// and live traffic is not disturbed unless forced. Steps: plan (the model's cmd from the host's
// config file, read over SSH, or the operator's file) → access (a lease, heartbeated) → run
// `llama-bench -o jsonl` → parse → store (bench_device_runs/results) → release. One run per object.
class LlamaBenchJob final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LlamaBenchJob)

public:
    // `database` may be null: nothing is stored then. The gate and the book must outlive the job.
    LlamaBenchJob(ConfigHost host, AccessGate *gate, LeaseBook *leases, Database *database, QObject *parent = nullptr);
    ~LlamaBenchJob() override;

    void start(const LlamaBenchOptions &options);
    const LlamaBenchResult &result() const { return m_result; }

Q_SIGNALS:
    void finished(const boo::LlamaBenchResult &result);

private:
    void afterConfigRead(const RemoteConfigResult &read);
    void withPlan(LlamaBenchPlan plan);
    void afterRun(const SshResult &ssh);
    void finish(LlamaBenchOutcome outcome, const QString &message);

    ConfigHost m_host;
    QPointer<AccessGate> m_gate;
    QPointer<LeaseBook> m_leases;
    Database *m_database;
    LlamaBenchOptions m_options;
    std::unique_ptr<RemoteConfigFile> m_file;
    std::unique_ptr<SshRunner> m_runner;
    LeaseKeeper *m_keeper = nullptr;
    LlamaBenchResult m_result;
    bool m_done = false;
};

} // namespace boo

Q_DECLARE_METATYPE(boo::LlamaBenchResult)
