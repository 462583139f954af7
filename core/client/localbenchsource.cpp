#include "core/client/localbenchsource.h"

#include "core/runtime/fleetruntime.h"

#include <QTimer>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

// Answers on the next turn of the event loop, as a remote source would, and only while
// `context` lives.
template <typename T>
void answer(QObject *context, std::function<void(Result<T>)> done, Result<T> result)
{
    QTimer::singleShot(0, context, [done = std::move(done), result = std::move(result)] { done(result); });
}

} // namespace

LocalBenchSource::LocalBenchSource(FleetRuntime *runtime, QObject *parent)
    : BenchSource(parent)
    , m_runtime(runtime)
    , m_jobs(new BenchJobs(runtime->database(), runtime->registry(), runtime->access(), runtime->accessGate(), runtime->leases(), this))
{
    connect(m_jobs, &BenchJobs::jobChanged, this, &BenchSource::jobChanged);
}

LocalBenchSource::~LocalBenchSource() = default;

void LocalBenchSource::start(const QByteArray &suiteYaml, bool force, QObject *context, Callback<BenchJob> done)
{
    answer(context, std::move(done),
           m_jobs->start(suiteYaml, force ? HostAccessRequest::WhenBusy::Force : HostAccessRequest::WhenBusy::Ask));
}

void LocalBenchSource::cancel(const QString &jobId, QObject *context, Callback<BenchJob> done)
{
    answer(context, std::move(done), m_jobs->cancel(jobId));
}

// The bench tables are small per run and read on demand: on this thread, like the store calls
// of the actions.
void LocalBenchSource::runs(QObject *context, Callback<QList<BenchRunSummary>> done)
{
    if (!m_runtime || !m_runtime->database())
        return answer<QList<BenchRunSummary>>(context, std::move(done), makeError(u"bench.no_database"_s, u"no history database"_s));
    answer(context, std::move(done), BenchStore::list(*m_runtime->database(), QString(), 200));
}

void LocalBenchSource::run(qint64 runId, QObject *context, Callback<BenchRunResult> done)
{
    if (!m_runtime || !m_runtime->database())
        return answer<BenchRunResult>(context, std::move(done), makeError(u"bench.no_database"_s, u"no history database"_s));
    answer(context, std::move(done), BenchStore::load(*m_runtime->database(), runId));
}

void LocalBenchSource::setBaseline(qint64 runId, QObject *context, Callback<bool> done)
{
    if (!m_runtime || !m_runtime->database())
        return answer<bool>(context, std::move(done), makeError(u"bench.no_database"_s, u"no history database"_s));
    auto marked = BenchStore::setBaseline(*m_runtime->database(), runId, true);
    answer<bool>(context, std::move(done), marked ? Result<bool>(true) : Result<bool>(marked.error()));
}

} // namespace boo
