#include "core/bench/benchrunner.h"

#include "core/bench/benchload.h"
#include "core/bench/hostactivityprobe.h"
#include "core/common/logging.h"
#include "core/protocol/hardwareinfo.h"
#include "core/protocol/versioninfo.h"

#include <QDateTime>
#include <QTimer>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

// Activity rows appear when the host has finished a response, a moment after the client saw
// its end: wait this long for the bench's own rows before counting.
constexpr int kRowWaitAttempts = 30;
constexpr int kRowWaitStepMs = 100;

} // namespace

int BenchRunner::CellState::ownRequests() const
{
    // Every request that reached the host leaves a row there, failed ones too; one refused at
    // connect never arrived.
    int own = 0;
    const auto count = [&own](const QList<BenchSample> &samples) {
        for (const BenchSample &s : samples)
            own += s.error == BenchErrorKind::Connect ? 0 : 1;
    };
    count(unmeasured);
    for (const QList<BenchSample> &samples : repetitions)
        count(samples);
    return own;
}

BenchRunner::BenchRunner(BenchSuite suite, QMap<QString, BenchTargetRoute> routes, QObject *parent)
    : QObject(parent)
    , m_suite(std::move(suite))
    , m_routes(std::move(routes))
{
    m_result.suite = m_suite;
}

BenchRunner::~BenchRunner() = default;

int BenchRunner::plannedRequests() const
{
    int perTarget = 0;
    for (int load = 0; load < m_suite.loadCount(); ++load)
        perTarget += int(m_suite.promptTokens.size()) * (m_suite.warmup + m_suite.repetitions * m_suite.requestsFor(load));
    int total = perTarget * int(m_suite.targets.size());
    if (m_suite.coldStart) {
        for (const BenchTarget &target : m_suite.targets)
            total += m_routes.value(target.text).host ? 1 : 0;
    }
    return total;
}

void BenchRunner::start()
{
    m_result.startedAtMs = QDateTime::currentMSecsSinceEpoch();
    QSet<QString> hostsSeen;
    for (const BenchTarget &target : m_suite.targets) {
        const BenchTargetRoute &route = m_routes[target.text];
        m_result.via = route.endpoint.viaGateway ? route.endpoint.upstream.providerId : u"direct"_s;
        if (route.host && !hostsSeen.contains(route.endpoint.providerId)) {
            hostsSeen.insert(route.endpoint.providerId);
            m_steps.push_back([this, id = route.endpoint.providerId, host = *route.host] { fetchHostInfo(id, host); });
        }
    }
    for (const BenchTarget &target : m_suite.targets) {
        if (m_suite.coldStart)
            m_steps.push_back([this, target] { coldStart(target); });
        for (int prompt : m_suite.promptTokens) {
            for (int load = 0; load < m_suite.loadCount(); ++load)
                m_steps.push_back([this, plan = CellPlan{target, load, prompt}] { startCell(plan, 0); });
        }
    }
    QMetaObject::invokeMethod(this, &BenchRunner::next, Qt::QueuedConnection);
}

void BenchRunner::cancel()
{
    if (m_finished)
        return;
    m_cancelled = true;
    m_steps.clear();
    if (m_load) {
        m_load->disconnect(this);
        m_load->deleteLater();
    }
    qCInfo(lcBench).noquote() << "run of" << m_suite.name << "cancelled after" << m_result.cells.size() << "cells";
    m_finished = true;
    m_result.finishedAtMs = QDateTime::currentMSecsSinceEpoch();
    Q_EMIT finished();
}

void BenchRunner::next()
{
    // Callbacks of requests sent before cancel() still arrive: they end here.
    if (m_finished)
        return;
    if (m_steps.empty()) {
        m_finished = true;
        m_result.finishedAtMs = QDateTime::currentMSecsSinceEpoch();
        Q_EMIT finished();
        return;
    }
    auto step = std::move(m_steps.front());
    m_steps.pop_front();
    step();
}

HostActivityProbe *BenchRunner::probeFor(const QString &providerId)
{
    const BenchTargetRoute *route = nullptr;
    for (const BenchTargetRoute &r : std::as_const(m_routes)) {
        if (r.endpoint.providerId == providerId && r.host)
            route = &r;
    }
    if (!route)
        return nullptr;
    HostActivityProbe *&probe = m_probes[providerId];
    if (!probe)
        probe = new HostActivityProbe(*route->host, &m_nam, this);
    return probe;
}

void BenchRunner::fetchHostInfo(const QString &providerId, const HostEndpoint &host)
{
    m_result.hosts[providerId].providerId = providerId;
    host.send(&m_nam, "GET", u"/api/version"_s, {}, 5000, this, [this, providerId, host](Result<HostResponse> version) {
        if (version && version->status == 200) {
            if (const auto info = VersionInfo::fromJson(version->body))
                m_result.hosts[providerId].version = info->version;
        }
        host.send(&m_nam, "GET", u"/api/hardware"_s, {}, 5000, this, [this, providerId](Result<HostResponse> hardware) {
            if (hardware && hardware->status == 200) {
                if (const auto info = HardwareInfo::fromJson(hardware->body)) {
                    for (const HardwareInfo::Accelerator &a : info->accelerators)
                        m_result.hosts[providerId].gpus << a.model;
                }
            }
            next();
        });
    });
}

// Unload the model, then one request: the time to unload + load + first token, as a user who
// finds the model cold would wait for it (without the unload, when it was not loaded).
void BenchRunner::coldStart(const BenchTarget &target)
{
    const BenchTargetRoute &route = m_routes[target.text];
    if (!route.host) {
        m_result.coldStartErrors.insert(target.text, u"needs the host's address (a direct target with a known provider)"_s);
        return next();
    }
    const qint64 unloadStart = QDateTime::currentMSecsSinceEpoch();
    const QString path = u"/api/models/unload/"_s + QString::fromUtf8(QUrl::toPercentEncoding(target.model, "/"));
    route.host->send(&m_nam, "POST", path, {}, 60000, this, [this, target, unloadStart](Result<HostResponse> unloaded) {
        if (!unloaded || unloaded->status >= 400) {
            m_result.coldStartErrors.insert(target.text,
                                            unloaded ? u"unload answered %1"_s.arg(unloaded->status) : unloaded.error().message);
            return next();
        }
        const double unloadMs = double(QDateTime::currentMSecsSinceEpoch() - unloadStart);
        BenchLoadPlan plan = loadPlan(-1, 1);
        plan.mode = BenchLoadMode::Concurrency;
        plan.clients = 1;
        auto *load = new BenchLoad(m_routes[target.text].endpoint, plan, this);
        m_load = load;
        connect(load, &BenchLoad::finished, this, [this, load, target, unloadMs] {
            load->deleteLater();
            const BenchSample sample = load->samples().value(0);
            if (sample.ok() && sample.ttftMs)
                m_result.coldStartMs.insert(target.text, unloadMs + *sample.ttftMs);
            else
                m_result.coldStartErrors.insert(target.text, benchErrorKindName(sample.error) + u": "_s + sample.errorMessage);
            m_progressLabel = u"cold start "_s + target.text;
            requestEnded();
            next();
        });
        load->start();
    });
}

BenchLoadPlan BenchRunner::loadPlan(int repetition, int requests) const
{
    BenchLoadPlan plan;
    plan.mode = m_suite.mode;
    if (m_suite.mode == BenchLoadMode::Concurrency)
        plan.clients = m_suite.concurrency.value(m_cell.plan.loadIndex, 1);
    else
        plan.rate = m_suite.rates.value(m_cell.plan.loadIndex, 1.0);
    plan.requests = requests;
    plan.repetition = repetition;
    plan.firstIndex = m_nextPromptIndex;
    plan.promptTokens = m_cell.plan.promptTokens;
    plan.maxTokens = m_suite.maxTokens;
    plan.seed = m_suite.seed;
    plan.timeoutMs = m_suite.timeoutMs;
    return plan;
}

void BenchRunner::startCell(const CellPlan &plan, int reruns)
{
    m_cell = CellState{};
    m_cell.plan = plan;
    m_cell.reruns = reruns;
    m_progressLabel = u"%1 %2 p=%3"_s.arg(plan.target.text, m_suite.loadLabel(plan.loadIndex)).arg(plan.promptTokens);
    if (reruns > 0)
        m_progressLabel += u" (again: foreign traffic)"_s;
    HostActivityProbe *probe = probeFor(m_routes[plan.target.text].endpoint.providerId);
    if (!probe) {
        m_cell.probeError = u"the host of this target is not known (a virtual model, or no provider address)"_s;
        return runLoad(-1);
    }
    probe->latestId([this](Result<qint64> id) {
        if (id)
            m_cell.markId = *id;
        else
            m_cell.probeError = id.error().message;
        runLoad(-1);
    });
}

// repetition -1 is the warmup; then 0 .. repetitions-1.
void BenchRunner::runLoad(int repetition)
{
    if (m_finished)
        return;
    if (repetition == -1 && m_suite.warmup == 0)
        repetition = 0;
    if (repetition >= m_suite.repetitions)
        return endCell();
    const int requests = repetition < 0 ? m_suite.warmup : m_suite.requestsFor(m_cell.plan.loadIndex);
    auto *load = new BenchLoad(m_routes[m_cell.plan.target.text].endpoint, loadPlan(repetition, requests), this);
    m_nextPromptIndex += requests;
    m_load = load;
    connect(load, &BenchLoad::requestEnded, this, &BenchRunner::requestEnded);
    connect(load, &BenchLoad::finished, this, [this, load, repetition] {
        load->deleteLater();
        if (repetition < 0) {
            m_cell.unmeasured = load->samples();
        } else {
            m_cell.repetitions << load->samples();
            m_cell.seconds << load->durationSeconds();
        }
        runLoad(repetition + 1);
    });
    load->start();
}

void BenchRunner::requestEnded()
{
    ++m_endedRequests;
    Q_EMIT progress(m_endedRequests, qMax(m_endedRequests, plannedRequests()), m_progressLabel);
}

void BenchRunner::endCell()
{
    if (m_finished)
        return;
    if (!m_cell.markId)
        return keepCell(std::nullopt);
    countForeign(0);
}

void BenchRunner::countForeign(int attempt)
{
    HostActivityProbe *probe = probeFor(m_routes[m_cell.plan.target.text].endpoint.providerId);
    probe->rowsAfter(*m_cell.markId, [this, attempt](Result<QList<ActivityEntry>> rows) {
        if (!rows) {
            m_cell.probeError = rows.error().message;
            return keepCell(std::nullopt);
        }
        const int own = m_cell.ownRequests();
        if (rows->size() < own && attempt < kRowWaitAttempts) {
            QTimer::singleShot(kRowWaitStepMs, this, [this, attempt] { countForeign(attempt + 1); });
            return;
        }
        keepCell(qMax(0, int(rows->size()) - own));
    });
}

void BenchRunner::keepCell(std::optional<int> foreign)
{
    if (m_finished)
        return;
    if (foreign && *foreign > 0 && m_cell.reruns < m_suite.rerunPolluted) {
        qCInfo(lcBench).noquote() << "cell" << m_cell.plan.target.text << m_suite.loadLabel(m_cell.plan.loadIndex) << "saw" << *foreign
                                  << "foreign requests: running it again";
        const CellPlan plan = m_cell.plan;
        const int reruns = m_cell.reruns + 1;
        m_steps.push_front([this, plan, reruns] { startCell(plan, reruns); });
        return next();
    }
    BenchCell cell = BenchCell::summarise(m_cell.plan.target, m_suite, m_cell.plan.loadIndex, m_cell.plan.promptTokens, m_cell.repetitions,
                                          m_cell.seconds);
    cell.foreignRequests = foreign;
    cell.reruns = m_cell.reruns;
    if (!foreign) {
        qCInfo(lcBench).noquote() << "cell" << m_cell.plan.target.text << m_suite.loadLabel(m_cell.plan.loadIndex)
                                  << "foreign traffic unknown:" << m_cell.probeError;
        cell.flags << kBenchFlagForeignUnknown.toString();
    } else if (*foreign > 0)
        cell.flags << kBenchFlagPolluted.toString();
    m_result.cells << cell;
    Q_EMIT cellFinished(cell);
    next();
}

} // namespace boo
