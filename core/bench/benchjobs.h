#pragma once

#include "core/actions/accessgate.h"
#include "core/common/result.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <optional>

namespace boo {

class BenchHostAccess;
class BenchRunner;
class Database;
class HostAccess;
class LeaseBook;
class ProviderRegistry;

// A benchmark run started inside a running program (the `--serve` API, the desktop's Bench tab):
// where it is and what became of it. Live runs have ids of their own ("live-3"): the stored run's
// id is known only once it is stored (`run_id`).
struct BenchJob
{
    enum class State { Running, Finished, Failed, Cancelled };
    static constexpr EnumName<State> kStateNames[]
        = {{State::Running, u"running"}, {State::Finished, u"finished"}, {State::Failed, u"failed"}, {State::Cancelled, u"cancelled"}};

    QString id;
    QString suite;
    State state = State::Running;
    QStringList hosts; // leased for the run
    bool forced = false;
    qint64 startedAtMs = 0;
    qint64 finishedAtMs = 0;
    int endedRequests = 0; // samples taken (warmup and cold starts included)
    int plannedRequests = 0;
    QString cell; // the cell being measured
    int cellsDone = 0;
    int cellsTotal = 0;
    std::optional<double> etaSeconds;
    QString error;
    qint64 runId = 0;    // the stored run, once finished
    QJsonObject result;  // the run as `bench show --as-json`, once finished
    int regressions = 0; // against the suite's baseline, once finished

    // {"id","suite","state","hosts","forced","started_at","finished_at","samples","planned",
    //  "cell","cells_done","cells_total","eta_s","error","run_id","regressions"} (+ "run" with `withResult`)
    QJsonObject toJson(bool withResult = false) const;
};

// Starts and keeps benchmark runs in the process: the suite is parsed, every target must be a
// watched host's model, the hosts go through the AccessGate (BenchHostAccess: a lease each,
// heartbeated), the run is stored with its comparison against the suite's baseline when it
// finishes. One run at a time per host: a second run that needs a host a run of this process
// holds is refused ("bench.running"), as is one the gate refuses (another holder's lease, live
// traffic without force). Progress is announced throttled (jobChanged) for the WebSocket feed.
class BenchJobs final : public QObject
{
    Q_OBJECT

public:
    static constexpr int kProgressIntervalMs = 250;
    static constexpr int kKeepFinished = 20;

    BenchJobs(Database *database, ProviderRegistry *registry, HostAccess *hosts, AccessGate *gate, LeaseBook *leases,
              QObject *parent = nullptr);
    ~BenchJobs() override;
    Q_DISABLE_COPY_MOVE(BenchJobs)

    // `suiteText`: the suite as YAML (JSON is YAML too). Errors: bench.suite (400), bench.target
    // (400), bench.running (409), bench.leased / bench.busy / bench.needs_confirmation /
    // bench.unavailable (409: the gate's refusal), or the database's.
    Result<BenchJob> start(const QByteArray &suiteText, HostAccessRequest::WhenBusy whenBusy);
    // Fails with bench.unknown_job, or bench.not_running for a run that has ended.
    Result<BenchJob> cancel(const QString &jobId);
    std::optional<BenchJob> job(const QString &id) const;
    // Running first, then the recent finished ones, newest first.
    QList<BenchJob> jobs() const;

Q_SIGNALS:
    // Throttled while a run measures; at once when a cell ends and when the run ends.
    void jobChanged(const boo::BenchJob &job);

private:
    struct Live;
    Live *find(const QString &id) const;
    void finish(Live *live, BenchJob::State state, const QString &error);
    void announce(Live *live, bool now);

    Database *m_database;
    QPointer<ProviderRegistry> m_registry;
    QPointer<HostAccess> m_hosts;
    QPointer<AccessGate> m_gate;
    QPointer<LeaseBook> m_leases;
    QList<Live *> m_live;
    QList<BenchJob> m_ended;
    int m_nextId = 1;
};

} // namespace boo
