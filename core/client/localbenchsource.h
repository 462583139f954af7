#pragma once

#include "core/client/benchsource.h"

#include <QPointer>

namespace boo {

class FleetRuntime;

// Bench runs in the desktop's own process: BenchJobs over the runtime's registry, hosts, access
// gate and leases (a busy host asks the operator), stored in the runtime's database.
class LocalBenchSource final : public BenchSource
{
    Q_OBJECT

public:
    explicit LocalBenchSource(FleetRuntime *runtime, QObject *parent = nullptr);
    ~LocalBenchSource() override;
    Q_DISABLE_COPY_MOVE(LocalBenchSource)

    void start(const QByteArray &suiteYaml, bool force, QObject *context, Callback<BenchJob> done) override;
    void cancel(const QString &jobId, QObject *context, Callback<BenchJob> done) override;
    void runs(QObject *context, Callback<QList<BenchRunSummary>> done) override;
    void run(qint64 runId, QObject *context, Callback<BenchRunResult> done) override;
    void setBaseline(qint64 runId, QObject *context, Callback<bool> done) override;

private:
    QPointer<FleetRuntime> m_runtime;
    BenchJobs *m_jobs;
};

} // namespace boo
