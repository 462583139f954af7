#include "core/bench/benchjobs.h"

#include "core/actions/hostaccess.h"
#include "core/actions/leasebook.h"
#include "core/bench/benchhostaccess.h"
#include "core/bench/benchregression.h"
#include "core/bench/benchrunner.h"
#include "core/bench/benchstore.h"
#include "core/bench/benchsuiteparser.h"
#include "core/common/logging.h"
#include "core/providers/providerregistry.h"

#include <QDateTime>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace boo {

QJsonObject BenchJob::toJson(bool withResult) const
{
    QJsonObject o{{u"id"_s, id},
                  {u"suite"_s, suite},
                  {u"state"_s, enumNameString(kStateNames, state)},
                  {u"hosts"_s, QJsonArray::fromStringList(hosts)},
                  {u"forced"_s, forced},
                  {u"started_at"_s, startedAtMs},
                  {u"finished_at"_s, finishedAtMs ? QJsonValue(finishedAtMs) : QJsonValue()},
                  {u"samples"_s, endedRequests},
                  {u"planned"_s, plannedRequests},
                  {u"cell"_s, cell},
                  {u"cells_done"_s, cellsDone},
                  {u"cells_total"_s, cellsTotal},
                  {u"eta_s"_s, etaSeconds ? QJsonValue(*etaSeconds) : QJsonValue()},
                  {u"error"_s, error.isEmpty() ? QJsonValue() : QJsonValue(error)},
                  {u"run_id"_s, runId ? QJsonValue(runId) : QJsonValue()},
                  {u"regressions"_s, regressions}};
    if (withResult && !result.isEmpty())
        o.insert(u"run"_s, result);
    return o;
}

struct BenchJobs::Live
{
    BenchJob job;
    QByteArray source;
    BenchRunner *runner = nullptr;
    BenchHostAccess *access = nullptr;
    QElapsedTimer clock;
    QTimer throttle;
    bool pending = false;
};

BenchJobs::BenchJobs(Database *database, ProviderRegistry *registry, HostAccess *hosts, AccessGate *gate, LeaseBook *leases,
                     QObject *parent)
    : QObject(parent)
    , m_database(database)
    , m_registry(registry)
    , m_hosts(hosts)
    , m_gate(gate)
    , m_leases(leases)
{
}

BenchJobs::~BenchJobs()
{
    for (Live *live : std::as_const(m_live)) {
        live->runner->disconnect(this);
        delete live->runner;
        delete live->access; // releases the leases
        delete live;
    }
}

BenchJobs::Live *BenchJobs::find(const QString &id) const
{
    for (Live *live : m_live) {
        if (live->job.id == id)
            return live;
    }
    return nullptr;
}

std::optional<BenchJob> BenchJobs::job(const QString &id) const
{
    if (const Live *live = find(id))
        return live->job;
    for (const BenchJob &job : m_ended) {
        if (job.id == id)
            return job;
    }
    return std::nullopt;
}

QList<BenchJob> BenchJobs::jobs() const
{
    QList<BenchJob> all;
    for (auto it = m_live.crbegin(); it != m_live.crend(); ++it)
        all << (*it)->job;
    return all + m_ended;
}

Result<BenchJob> BenchJobs::start(const QByteArray &suiteText, HostAccessRequest::WhenBusy whenBusy)
{
    auto suite = BenchSuiteParser::parse(suiteText, u"suite"_s);
    if (!suite)
        return makeError(u"bench.suite"_s, suite.error().message);
    if (!m_registry || !m_hosts)
        return makeError(u"bench.unavailable"_s, u"no fleet to benchmark"_s);

    QMap<QString, BenchTargetRoute> routes;
    for (const BenchTarget &target : suite->targets) {
        if (target.isVirtual())
            return makeError(u"bench.target"_s,
                             u"target %1 is a virtual model: run it through the gateway with "
                             u"`boocontrol bench --server` (a run here measures hosts directly)"_s.arg(target.text));
        const auto provider = m_registry->provider(target.provider);
        const auto host = m_hosts->endpoint(target.provider);
        if (!provider || !host)
            return makeError(u"bench.target"_s, u"target %1: no watched host \"%2\""_s.arg(target.text, target.provider));
        BenchTargetRoute route;
        route.host = *host;
        route.endpoint.providerId = target.provider;
        route.endpoint.source = u"bench:"_s + suite->name;
        route.endpoint.upstream = UpstreamTarget::fromProvider(*provider, host->apiKey());
        route.endpoint.wireModel = target.model;
        routes.insert(target.text, route);
    }
    const QList<BenchHostClaim> claims = BenchHostAccess::claimsFor(*suite, routes);
    for (const BenchHostClaim &claim : claims) {
        for (const Live *live : std::as_const(m_live)) {
            if (live->job.hosts.contains(claim.providerId))
                return makeError(u"bench.running"_s,
                                 u"%1: run %2 (suite %3) is measuring it"_s.arg(claim.providerId, live->job.id, live->job.suite));
        }
    }

    auto *live = new Live;
    live->job.id = u"live-%1"_s.arg(m_nextId);
    live->job.suite = suite->name;
    auto *access = new BenchHostAccess(m_gate, m_leases, this);
    auto granted = access->acquire(claims, u"bench:%1#%2"_s.arg(suite->name, live->job.id), whenBusy);
    if (!granted) {
        delete access;
        delete live;
        return granted.error();
    }
    ++m_nextId;
    live->access = access;
    live->source = suiteText;
    for (const HostAccessDecision &d : std::as_const(*granted)) {
        live->job.hosts << d.lease->providerId;
        live->job.forced = live->job.forced || d.forced;
    }
    live->job.startedAtMs = QDateTime::currentMSecsSinceEpoch();
    live->job.cellsTotal = int(suite->targets.size() * suite->promptTokens.size()) * suite->loadCount();
    live->runner = new BenchRunner(*suite, routes, this);
    live->job.plannedRequests = live->runner->plannedRequests();
    live->throttle.setSingleShot(true);
    live->throttle.setInterval(kProgressIntervalMs);
    live->clock.start();
    m_live << live;

    connect(&live->throttle, &QTimer::timeout, this, [this, live] { announce(live, true); });
    connect(live->runner, &BenchRunner::progress, this, [this, live](int ended, int planned, const QString &cell) {
        live->job.endedRequests = ended;
        live->job.plannedRequests = planned;
        live->job.cell = cell;
        if (ended > 0 && planned >= ended)
            live->job.etaSeconds = double(live->clock.elapsed()) / 1000.0 / ended * (planned - ended);
        announce(live, false);
    });
    connect(live->runner, &BenchRunner::cellFinished, this, [this, live] {
        ++live->job.cellsDone;
        announce(live, true);
    });
    connect(live->runner, &BenchRunner::finished, this, [this, live] {
        if (live->runner->cancelled())
            return; // cancel() or a lost lease has ended the job already
        finish(live, BenchJob::State::Finished, QString());
    });
    connect(access, &BenchHostAccess::lost, this, [this, live](const QString &providerId, const QString &reason) {
        finish(live, BenchJob::State::Failed, u"the lease on %1 ended under the run: %2"_s.arg(providerId, reason));
    });
    qCInfo(lcBench).noquote() << "run" << live->job.id << "of" << suite->name << "started on" << live->job.hosts.join(u", "_s)
                              << (live->job.forced ? "(forced over live traffic)" : "");
    live->runner->start();
    announce(live, true);
    return live->job;
}

Result<BenchJob> BenchJobs::cancel(const QString &jobId)
{
    // A copy: whoever hears jobChanged below may change the string the caller passed.
    const QString id = jobId;
    Live *live = find(id);
    if (!live) {
        if (job(id))
            return makeError(u"bench.not_running"_s, u"run %1 has ended"_s.arg(id));
        return makeError(u"bench.unknown_job"_s, u"no run %1 in this process"_s.arg(id));
    }
    finish(live, BenchJob::State::Cancelled, QString());
    const auto ended = job(id);
    if (!ended)
        return makeError(u"bench.unknown_job"_s, u"run %1 is gone"_s.arg(id));
    return *ended;
}

void BenchJobs::finish(Live *live, BenchJob::State state, const QString &error)
{
    if (!m_live.contains(live))
        return;
    m_live.removeOne(live);
    live->runner->disconnect(this);
    live->access->disconnect(this);
    if (state != BenchJob::State::Finished)
        live->runner->cancel();
    live->access->release();
    BenchJob &job = live->job;
    job.state = state;
    job.error = error;
    job.finishedAtMs = QDateTime::currentMSecsSinceEpoch();
    job.etaSeconds.reset();
    if (state == BenchJob::State::Finished) {
        BenchRunResult run = live->runner->result();
        run.via = u"direct"_s;
        if (m_database) {
            auto stored = BenchStore::save(*m_database, run, QString::fromUtf8(live->source));
            if (!stored) {
                job.state = BenchJob::State::Failed;
                job.error = u"the run could not be stored: "_s + stored.error().message;
            } else {
                run.id = *stored;
                job.runId = run.id;
                // Compared with the suite's baseline as `boocontrol bench run` does.
                if (auto baselineId = BenchStore::baselineFor(*m_database, run.suite.name, run.id); baselineId && *baselineId) {
                    if (auto baseline = BenchStore::load(*m_database, **baselineId)) {
                        job.regressions = int(BenchRegression::compare(run, *baseline).size());
                        (void)BenchStore::recordComparison(*m_database, run.id, **baselineId, job.regressions);
                        (void)BenchStore::updateCells(*m_database, run);
                    }
                }
            }
        }
        job.result = run.toJson();
    }
    qCInfo(lcBench).noquote() << "run" << job.id << "of" << job.suite << enumName(BenchJob::kStateNames, job.state) << job.error;
    live->runner->deleteLater();
    live->access->deleteLater();
    live->throttle.stop();
    m_ended.prepend(job);
    while (m_ended.size() > kKeepFinished)
        m_ended.removeLast();
    Q_EMIT jobChanged(job);
    delete live;
}

void BenchJobs::announce(Live *live, bool now)
{
    if (!now) {
        if (!live->throttle.isActive())
            live->throttle.start();
        return;
    }
    live->throttle.stop();
    Q_EMIT jobChanged(live->job);
}

} // namespace boo
