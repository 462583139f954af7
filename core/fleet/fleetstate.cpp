#include "core/fleet/fleetstate.h"

#include "core/fleet/modelstatusmerge.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

void countIntoRate(HostState &view, qint64 tsMs)
{
    const qint64 minute = tsMs / 60'000;
    if (view.requestsPerMinute.size() != HostState::kRateMinutes) {
        view.requestsPerMinute = QList<int>(HostState::kRateMinutes, 0);
        view.rateMinute = minute;
    }
    if (minute > view.rateMinute) {
        const qint64 shift = std::min<qint64>(minute - view.rateMinute, HostState::kRateMinutes);
        view.requestsPerMinute.remove(0, shift);
        view.requestsPerMinute.append(QList<int>(shift, 0));
        view.rateMinute = minute;
    }
    const qint64 index = HostState::kRateMinutes - 1 - (view.rateMinute - minute);
    if (index >= 0)
        ++view.requestsPerMinute[index];
}

} // namespace

FleetState::FleetState(QObject *parent)
    : QObject(parent)
{
}

// ---------------------------------------------------------------------------------------- reading

QStringList FleetState::hostIds() const
{
    return m_hosts.keys();
}

std::optional<HostState> FleetState::host(const QString &id) const
{
    const auto it = m_hosts.constFind(id);
    if (it == m_hosts.cend())
        return std::nullopt;
    return it->state;
}

QList<LogLine> FleetState::logTail(const QString &id, const QString &source) const
{
    const auto it = m_hosts.constFind(id);
    if (it == m_hosts.cend())
        return {};
    return it->logs.value(source).lines();
}

QList<ActivityEntry> FleetState::recentActivity(const QString &id) const
{
    const auto it = m_hosts.constFind(id);
    return it == m_hosts.cend() ? QList<ActivityEntry>() : it->recent;
}

FleetState::Snapshot FleetState::snapshot() const
{
    Snapshot snapshot;
    for (const Host &host : m_hosts) {
        HostSnapshot hs{host.state, {}, host.recent};
        for (auto it = host.logs.cbegin(); it != host.logs.cend(); ++it)
            hs.logs.insert(it.key(), it.value().lines());
        snapshot.hosts << hs;
    }
    return snapshot;
}

// ------------------------------------------------------------------------------------ publishing

FleetState::Host *FleetState::find(const QString &id)
{
    const auto it = m_hosts.find(id);
    return it == m_hosts.end() ? nullptr : &*it;
}

void FleetState::publishHost(Host &host)
{
    ++host.state.seq;
    host.lastSeenPublishedMs = host.state.lastSeenMs.value_or(0);
    Q_EMIT changed(FleetDelta{host.state.id, host.state.seq, HostChanged{host.state}});
}

void FleetState::publish(Host &host, FleetChange change)
{
    FleetDelta delta{host.state.id, host.state.seq + 1, std::move(change)};
    applyTo(host, delta);
    Q_EMIT changed(delta);
}

void FleetState::announceFact(const QString &hostId, FleetChange fact)
{
    const Host *host = find(hostId);
    Q_EMIT changed(FleetDelta{hostId, host ? host->state.seq : 0, std::move(fact)});
}

namespace {

void countActivity(HostState &v, QList<ActivityEntry> &recent, const QList<ActivityEntry> &rows, int keep)
{
    for (const ActivityEntry &e : rows) {
        ++v.requestsSeen;
        v.inputTokensSeen += e.inputTokens.value_or(0);
        v.outputTokensSeen += e.outputTokens.value_or(0);
        countIntoRate(v, e.timestampMs);
        v.recentRate.count(e.timestampMs, e.inputTokens.value_or(0), e.outputTokens.value_or(0));
        for (HostedModel &m : v.models) {
            if (m.id == e.model)
                m.lastUsedMs = std::max(m.lastUsedMs.value_or(0), e.timestampMs);
        }
    }
    if (rows.isEmpty())
        return;
    // Rows arrive in id order; after a host restart the ids start again from 1.
    v.lastActivityId = rows.constLast().id;
    recent.append(rows);
    if (recent.size() > keep)
        recent.remove(0, recent.size() - keep);
}

void mergeGpuSamples(HostState &v, const QList<GpuSample> &samples)
{
    for (const GpuSample &sample : samples) {
        auto it = std::find_if(v.gpus.begin(), v.gpus.end(), [&](const GpuSample &g) { return g.id == sample.id; });
        if (it == v.gpus.end())
            v.gpus.append(sample);
        else if (sample.timestampMs >= it->timestampMs)
            *it = sample;
    }
    std::sort(v.gpus.begin(), v.gpus.end(), [](const GpuSample &a, const GpuSample &b) { return a.id < b.id; });
}

} // namespace

void FleetState::applyTo(Host &host, const FleetDelta &delta)
{
    if (const auto *replaced = delta.as<HostChanged>()) {
        host.state = replaced->host;
    } else if (const auto *activity = delta.as<RequestsFinished>()) {
        countActivity(host.state, host.recent, activity->rows, kRecentActivity);
    } else if (const auto *perf = delta.as<GpuSampled>()) {
        mergeGpuSamples(host.state, perf->samples);
    } else if (const auto *log = delta.as<LogAppended>()) {
        auto it = host.logs.find(log->source);
        if (it == host.logs.end())
            it = host.logs.insert(log->source, LogTail());
        if (log->replace)
            it->clear();
        it->append(log->lines);
    }
    // HostRemoved is handled by the owner (the host goes away entirely); a job changes no state.
    host.state.seq = delta.seq;
}

void FleetState::recountModelInflight(HostState &state)
{
    for (HostedModel &m : state.models)
        m.inflight = 0;
    for (const InFlightRequest &r : std::as_const(state.inflight)) {
        for (HostedModel &m : state.models) {
            if (m.id == r.model)
                ++m.inflight;
        }
    }
}

// -------------------------------------------------------------------------------- ingest changes

void FleetState::addHost(const QString &id, const QString &name, const QString &baseUrl)
{
    if (m_hosts.contains(id))
        return;
    Host host;
    host.state.id = id;
    host.state.name = name;
    host.state.baseUrl = baseUrl;
    Host &added = *m_hosts.insert(id, host);
    publishHost(added);
    Q_EMIT hostAdded(id);
}

void FleetState::removeHost(const QString &id)
{
    Host *host = find(id);
    if (!host)
        return;
    const FleetDelta delta{id, host->state.seq + 1, HostRemoved{}};
    m_hosts.remove(id);
    Q_EMIT changed(delta);
    Q_EMIT hostRemoved(id);
}

void FleetState::setLiveness(const QString &id, Liveness liveness, qint64 nowMs, const QString &error)
{
    Host *host = find(id);
    if (!host)
        return;
    const Liveness before = host->state.liveness;
    const bool errorChanged = !error.isEmpty() && error != host->state.lastError;
    if (before == liveness && !errorChanged)
        return;
    if (liveness == Liveness::Connected) {
        host->state.lastSeenMs = nowMs;
        host->state.lastError.clear();
    } else if (!error.isEmpty()) {
        host->state.lastError = error;
    }
    host->state.liveness = liveness;
    publishHost(*host);
    if (before != liveness)
        announce(id, LivenessChanged{before, liveness, nowMs, error});
}

void FleetState::markSeen(const QString &id, qint64 nowMs)
{
    Host *host = find(id);
    if (!host)
        return;
    host->state.lastSeenMs = nowMs;
    if (nowMs - host->lastSeenPublishedMs >= kLastSeenPublishMs)
        publishHost(*host);
}

void FleetState::setVersion(const QString &id, const QString &version, const QString &generation)
{
    Host *host = find(id);
    if (!host || (host->state.version == version && host->state.generation == generation))
        return;
    host->state.version = version;
    host->state.generation = generation;
    publishHost(*host);
}

void FleetState::setGapSuspected(const QString &id, bool suspected, qint64 nowMs)
{
    Host *host = find(id);
    if (!host || host->state.gapSuspected == suspected)
        return;
    host->state.gapSuspected = suspected;
    if (suspected)
        host->state.gapSuspectedMs = nowMs;
    publishHost(*host);
}

bool FleetState::acknowledgeGap(const QString &id, qint64 nowMs, const QString &by)
{
    Host *host = find(id);
    if (!host)
        return false;
    if (!host->state.gapSuspected)
        return true;
    host->state.gapSuspected = false;
    publishHost(*host);
    announce(id, HostIncident{u"gap_acknowledged"_s, by.isEmpty() ? u"acknowledged"_s : u"acknowledged from "_s + by, nowMs});
    return true;
}

void FleetState::setActiveProfile(const QString &id, const std::optional<QString> &profile)
{
    Host *host = find(id);
    if (!host || host->state.activeProfile == profile)
        return;
    host->state.activeProfile = profile;
    publishHost(*host);
}

void FleetState::setGlobalConcurrencyLimit(const QString &id, std::optional<qint64> limit)
{
    Host *host = find(id);
    if (!host || host->state.globalConcurrencyLimit == limit)
        return;
    host->state.globalConcurrencyLimit = limit;
    publishHost(*host);
}

void FleetState::applyModelStatus(const QString &id, const QList<ModelStatus> &models, qint64 nowMs)
{
    Host *host = find(id);
    if (!host)
        return;
    HostState &v = host->state;
    const ModelStatusMerge merged = ModelStatusMerge::merge(v, models, nowMs);
    if (merged.models == v.models && merged.lastSwap == v.lastSwap)
        return;
    v.models = merged.models;
    v.lastSwap = merged.lastSwap;
    recountModelInflight(v);
    publishHost(*host);
    for (const ModelStatusMerge::Transition &t : merged.transitions)
        announce(id, ModelStateChanged{t.model, t.from, t.to, nowMs});
}

void FleetState::setModelTtls(const QString &id, const QHash<QString, qint64> &ttlSeconds)
{
    Host *host = find(id);
    if (!host)
        return;
    bool changedAny = false;
    for (HostedModel &m : host->state.models) {
        const auto it = ttlSeconds.constFind(m.id);
        if (it != ttlSeconds.cend() && m.ttlSeconds != *it) {
            m.ttlSeconds = *it;
            changedAny = true;
        }
    }
    if (changedAny)
        publishHost(*host);
}

void FleetState::applyInFlight(const QString &id, const InFlightUpdate &update)
{
    Host *host = find(id);
    if (!host)
        return;
    HostState &v = host->state;
    switch (update.operation) {
    case InFlightUpdate::Operation::Snapshot: v.inflight = update.requests; break;
    case InFlightUpdate::Operation::Upsert: {
        if (!update.request)
            return;
        auto it = std::find_if(v.inflight.begin(), v.inflight.end(), [&](const InFlightRequest &r) { return r.id == update.request->id; });
        if (it == v.inflight.end())
            v.inflight.append(*update.request);
        else
            *it = *update.request;
        break;
    }
    case InFlightUpdate::Operation::Remove: v.inflight.removeIf([&](const InFlightRequest &r) { return r.id == update.removedId; }); break;
    case InFlightUpdate::Operation::Count: v.inflight.clear(); break;
    }
    v.inflightCount = update.operation == InFlightUpdate::Operation::Count ? update.total : v.inflight.size();
    recountModelInflight(v);
    publishHost(*host);
}

void FleetState::addActivity(const QString &id, const QList<ActivityEntry> &entries)
{
    Host *host = find(id);
    if (!host || entries.isEmpty())
        return;
    publish(*host, RequestsFinished{entries});
}

void FleetState::addGpuSamples(const QString &id, const QList<GpuSample> &samples)
{
    Host *host = find(id);
    if (!host || samples.isEmpty())
        return;
    publish(*host, GpuSampled{samples});
}

void FleetState::appendLog(const QString &id, const QString &source, const QList<LogLine> &lines, bool replace)
{
    Host *host = find(id);
    if (!host || (lines.isEmpty() && !replace))
        return;
    publish(*host, LogAppended{source, lines, replace});
}

void FleetState::publishJob(const QString &id, const QJsonObject &job)
{
    Host *host = find(id);
    if (!host)
        return;
    publish(*host, JobUpdated{job});
}

// ---------------------------------------------------------------------------------- attached mode

void FleetState::loadSnapshot(const Snapshot &snapshot)
{
    m_hosts.clear();
    for (const HostSnapshot &hs : snapshot.hosts) {
        Host host;
        host.state = hs.state;
        host.recent = hs.recentActivity;
        for (auto it = hs.logs.cbegin(); it != hs.logs.cend(); ++it)
            host.logs[it.key()].append(it.value());
        m_hosts.insert(hs.state.id, host);
    }
    Q_EMIT reset();
}

bool FleetState::apply(const FleetDelta &delta)
{
    if (!delta.isStateChange())
        return false;
    Host *host = find(delta.hostId);
    if (delta.is<HostRemoved>()) {
        if (!host || delta.seq <= host->state.seq)
            return false;
        m_hosts.remove(delta.hostId);
        Q_EMIT changed(delta);
        Q_EMIT hostRemoved(delta.hostId);
        return true;
    }
    if (!host) {
        const auto *first = delta.as<HostChanged>();
        if (!first)
            return false;
        Host added;
        added.state = first->host;
        m_hosts.insert(delta.hostId, added);
        Q_EMIT changed(delta);
        Q_EMIT hostAdded(delta.hostId);
        return true;
    }
    if (delta.seq <= host->state.seq)
        return false;
    applyTo(*host, delta);
    Q_EMIT changed(delta);
    return true;
}

} // namespace boo
