#include "core/evals/evalrunner.h"

#include "core/actions/accessgate.h"
#include "core/actions/leasebook.h"
#include "core/bench/benchexchange.h"
#include "core/evals/codescoring.h"
#include "core/http/upstreamconnection.h"

#include <QDateTime>
#include <QPointer>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// The host's own decode speed when it sent `timings`, else the client's: tokens after the first
// over the time after the first.
std::optional<double> tokensPerSecond(const BenchSample &sample)
{
    if (sample.hostPredictedPerSecond)
        return sample.hostPredictedPerSecond;
    if (const auto tpot = sample.tpotMs(); tpot && *tpot > 0)
        return 1000.0 / *tpot;
    return std::nullopt;
}

} // namespace

// One request in flight: its connection (kept for the next request when reusable) and exchange.
struct EvalRunner::Slot
{
    QPointer<UpstreamConnection> connection;
    BenchExchange exchange;
};

EvalRunner::EvalRunner(EvalSuite suite, QList<EvalTargetRoute> routes, AccessGate *gate, LeaseBook *leases, Database *db,
                       CodeSandbox sandbox, EvalRunOptions options, QObject *parent)
    : QObject(parent)
    , m_suite(std::move(suite))
    , m_routes(std::move(routes))
    , m_gate(gate)
    , m_leases(leases)
    , m_db(db)
    , m_sandbox(std::move(sandbox))
    , m_options(options)
{
    m_options.concurrency = qMax(1, m_options.concurrency);
    if (m_options.leaseTtlMs <= 0)
        m_options.leaseTtlMs = LeaseBook::kDefaultTtlMs;
    // Renewed at a third of the TTL: two missed beats still leave the lease in force.
    m_heartbeat.setInterval(int(qMax<qint64>(1000, m_options.leaseTtlMs / 3)));
    connect(&m_heartbeat, &QTimer::timeout, this, &EvalRunner::heartbeatLeases);
}

EvalRunner::~EvalRunner()
{
    releaseLeases();
}

void EvalRunner::start()
{
    m_startedAtMs = nowMs();
    if (m_suite.kind != EvalKind::Code) {
        m_outcome.errors << u"suite %1: only code suites can be run today (chat suites need a judge, not built yet)"_s.arg(m_suite.name);
        finish({});
        return;
    }
    if (m_routes.isEmpty()) {
        m_outcome.errors << u"no targets"_s;
        finish({});
        return;
    }
    if (!acquireLeases()) {
        finish({});
        return;
    }
    if (auto saved = EvalStore::saveSuite(*m_db, m_suite, m_startedAtMs); !saved) {
        m_outcome.errors << saved.error().message;
        finish({});
        return;
    }
    QStringList targets;
    for (const EvalTargetRoute &route : std::as_const(m_routes))
        targets << route.target;
    auto run = EvalStore::createRun(*m_db, m_suite.name, m_suite.version, targets, 1, m_startedAtMs);
    if (!run) {
        m_outcome.errors << run.error().message;
        finish({});
        return;
    }
    m_outcome.runId = *run;
    for (qsizetype r = 0; r < m_routes.size(); ++r) {
        for (qsizetype t = 0; t < m_suite.tasks.size(); ++t)
            m_queue << Job{r, t};
    }
    m_total = int(m_queue.size());
    if (m_queue.isEmpty()) {
        scoreAndStore();
        return;
    }
    for (int i = 0; i < m_options.concurrency && i < m_total; ++i)
        m_slots.push_back(std::make_unique<Slot>());
    pump();
}

bool EvalRunner::acquireLeases()
{
    for (const EvalTargetRoute &route : std::as_const(m_routes)) {
        if (route.providerId.isEmpty())
            continue; // through a gateway: it routes, and it keeps clear of leased hosts itself
        HostAccessRequest request;
        request.providerId = route.providerId;
        request.model = route.model;
        request.holder = u"eval:"_s + m_suite.name;
        request.purpose = u"eval"_s;
        request.ttlMs = m_options.leaseTtlMs;
        request.whenBusy = m_options.force ? HostAccessRequest::WhenBusy::Force : HostAccessRequest::WhenBusy::Refuse;
        auto decision = m_gate ? m_gate->acquireHostAccess(request) : Result<HostAccessDecision>(HostAccessDecision{});
        if (!decision) {
            m_outcome.errors << u"%1: host access: %2"_s.arg(route.target, decision.error().message);
        } else if (!decision->granted() || !decision->lease) {
            m_outcome.errors << u"%1: host %2 refused the eval (%3): %4"_s.arg(
                route.target, route.providerId, enumName(HostAccessDecision::kOutcomeNames, decision->outcome).toString(),
                decision->reason.isEmpty() ? u"no host access gate"_s : decision->reason);
        } else {
            m_leaseIds << decision->lease->id;
        }
    }
    if (m_outcome.errors.isEmpty()) {
        if (!m_leaseIds.isEmpty())
            m_heartbeat.start();
        return true;
    }
    releaseLeases(); // nothing was sent: whoever else waits for those hosts gets them back now
    return false;
}

void EvalRunner::heartbeatLeases()
{
    for (const qint64 id : std::as_const(m_leaseIds)) {
        // A failed beat is retried at the next one; the run goes on either way.
        if (m_leases)
            (void)m_leases->heartbeat(id, m_options.leaseTtlMs);
    }
}

void EvalRunner::releaseLeases()
{
    m_heartbeat.stop();
    for (const qint64 id : std::as_const(m_leaseIds)) {
        // A lease that cannot be released runs out at its expiry; nothing else to do here.
        if (m_leases)
            (void)m_leases->release(id);
    }
    m_leaseIds.clear();
}

void EvalRunner::pump()
{
    for (const auto &slot : m_slots) {
        if (m_queue.isEmpty())
            return;
        if (!slot->exchange.isRunning())
            send(*slot, m_queue.takeFirst());
    }
}

void EvalRunner::send(Slot &slot, const Job &job)
{
    const EvalTargetRoute &route = m_routes.at(job.routeIndex);
    if (slot.connection && !slot.connection->isReusable()) {
        slot.connection->deleteLater();
        slot.connection = nullptr;
    }
    if (!slot.connection || slot.connection->origin() != route.endpoint.upstream.origin) {
        if (slot.connection)
            slot.connection->deleteLater();
        slot.connection = new UpstreamConnection(route.endpoint.upstream.origin, this);
    }
    BenchSample sample;
    sample.keepContent = true;
    sample.index = int(job.taskIndex);
    sample.startedAtMs = nowMs();
    sample.host = route.endpoint.providerId;
    UpstreamTimeouts timeouts;
    timeouts.headerMs = m_options.timeoutMs;
    timeouts.idleMs = m_options.timeoutMs;
    const QByteArray request = route.endpoint.chatRequest(m_suite.tasks.at(job.taskIndex).prompt, m_options.maxTokens, false);
    slot.exchange.start(slot.connection, request, timeouts, sample, [this, job, route](BenchSample done) {
        if (done.ok()) {
            CodeAnswer answer;
            answer.taskIndex = job.taskIndex;
            answer.target = route.target;
            answer.host = done.host;
            answer.answer = done.content;
            answer.ttftMs = done.ttftMs;
            answer.tokensPerSecond = tokensPerSecond(done);
            m_answers << answer;
        } else {
            EvalResult failed;
            failed.taskId = m_suite.tasks.at(job.taskIndex).id;
            failed.target = route.target;
            failed.host = done.host;
            failed.verdict = u"error"_s;
            failed.detail = done.errorMessage;
            failed.elapsedMs = done.e2eMs;
            failed.createdAtMs = nowMs();
            m_failed << failed;
            m_outcome.errors << u"%1: task %2: %3"_s.arg(route.target, failed.taskId, done.errorMessage);
        }
        ++m_done;
        Q_EMIT answered(m_done, m_total);
        // Not from inside the connection's own callback: the next request goes out on the next turn.
        QMetaObject::invokeMethod(
            this,
            [this] {
                if (m_done == m_total)
                    scoreAndStore();
                else
                    pump();
            },
            Qt::QueuedConnection);
    });
}

void EvalRunner::scoreAndStore()
{
    if (m_done != m_total || m_scored)
        return;
    m_scored = true;
    QList<EvalResult> results = scoreCodeAnswers(m_suite, m_answers, m_sandbox, m_options.concurrency, nowMs());
    results += m_failed;
    for (const EvalResult &result : std::as_const(results)) {
        if (auto added = EvalStore::addResult(*m_db, m_outcome.runId, result); !added) {
            m_outcome.errors << added.error().message;
            break;
        }
    }
    if (auto scores = EvalStore::scores(*m_db, m_outcome.runId))
        m_outcome.scores = *scores;
    else
        m_outcome.errors << scores.error().message;
    finish(m_outcome.errors.isEmpty() ? u"finished"_s : u"failed"_s);
}

void EvalRunner::finish(const QString &status)
{
    releaseLeases();
    if (m_outcome.runId > 0 && !status.isEmpty()) {
        if (auto done = EvalStore::finishRun(*m_db, m_outcome.runId, status, nowMs()); !done)
            m_outcome.errors << done.error().message;
    }
    QMetaObject::invokeMethod(this, &EvalRunner::finished, Qt::QueuedConnection);
}

} // namespace boo
