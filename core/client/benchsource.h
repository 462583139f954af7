#pragma once

#include "core/bench/benchjobs.h"
#include "core/bench/benchrun.h"
#include "core/bench/benchstore.h"
#include "core/common/result.h"

#include <QObject>

#include <functional>

namespace boo {

// What the desktop's Bench tab starts and reads: runs started in this process (LocalBenchSource:
// BenchJobs over the runtime's gate and leases) or, attached, on the server. Callbacks run on
// `context`'s thread, and not at all when `context` is gone.
class BenchSource : public QObject
{
    Q_OBJECT

public:
    template <typename T>
    using Callback = std::function<void(Result<T>)>;

    using QObject::QObject;
    Q_DISABLE_COPY_MOVE(BenchSource)

    // `suiteYaml`: the suite file's text. Without `force` a busy host answers
    // "bench.needs_confirmation" (the operator is asked, then the run is started again with force).
    virtual void start(const QByteArray &suiteYaml, bool force, QObject *context, Callback<BenchJob> done) = 0;
    virtual void cancel(const QString &jobId, QObject *context, Callback<BenchJob> done) = 0;
    virtual void runs(QObject *context, Callback<QList<BenchRunSummary>> done) = 0;
    virtual void run(qint64 runId, QObject *context, Callback<BenchRunResult> done) = 0;
    virtual void setBaseline(qint64 runId, QObject *context, Callback<bool> done) = 0;

Q_SIGNALS:
    // A run started here progressed, or ended (then with run_id and the result).
    void jobChanged(const boo::BenchJob &job);
};

} // namespace boo
