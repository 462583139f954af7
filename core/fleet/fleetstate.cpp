#include "core/fleet/fleetstate.h"

#include "core/fleet/modelstatusmerge.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

void countIntoRate(HostView &view, qint64 tsMs)
{
    const qint64 minute = tsMs / 60'000;
    if (view.requestsPerMinute.size() != HostView::kRateMinutes) {
        view.requestsPerMinute = QList<int>(HostView::kRateMinutes, 0);
        view.rateMinute = minute;
    }
    if (minute > view.rateMinute) {
        const qint64 shift = std::min<qint64>(minute - view.rateMinute, HostView::kRateMinutes);
        view.requestsPerMinute.remove(0, shift);
        view.requestsPerMinute.append(QList<int>(shift, 0));
        view.rateMinute = minute;
    }
    const qint64 index = HostView::kRateMinutes - 1 - (view.rateMinute - minute);
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

std::optional<HostView> FleetState::host(const QString &id) const
{
    const auto it = m_hosts.constFind(id);
    if (it == m_hosts.cend())
        return std::nullopt;
    return it->view;
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
        HostSnapshot hs{host.view, {}, host.recent};
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
    ++host.view.seq;
    host.lastSeenPublishedMs = host.view.lastSeenMs.value_or(0);
    FleetDelta delta;
    delta.kind = FleetDelta::Kind::Host;
    delta.hostId = host.view.id;
    delta.seq = host.view.seq;
    delta.host = host.view;
    Q_EMIT changed(delta);
}

void FleetState::publish(Host &host, FleetDelta delta)
{
    delta.hostId = host.view.id;
    delta.seq = host.view.seq + 1;
    applyTo(host, delta);
    Q_EMIT changed(delta);
}

void FleetState::applyTo(Host &host, const FleetDelta &delta)
{
    HostView &v = host.view;
    switch (delta.kind) {
    case FleetDelta::Kind::Host:
        v = delta.host;
        break;
    case FleetDelta::Kind::Removed: // handled by the owner: the host goes away entirely
        break;
    case FleetDelta::Kind::Activity:
        for (const ActivityEntry &e : delta.activity) {
            ++v.requestsSeen;
            v.inputTokensSeen += e.inputTokens.value_or(0);
            v.outputTokensSeen += e.outputTokens.value_or(0);
            countIntoRate(v, e.timestampMs);
            for (ModelView &m : v.models) {
                if (m.id == e.model)
                    m.lastUsedMs = std::max(m.lastUsedMs.value_or(0), e.timestampMs);
            }
        }
        if (!delta.activity.isEmpty()) {
            // Rows arrive in id order; after a host restart the ids start again from 1.
            v.lastActivityId = delta.activity.constLast().id;
            host.recent.append(delta.activity);
            if (host.recent.size() > kRecentActivity)
                host.recent.remove(0, host.recent.size() - kRecentActivity);
        }
        break;
    case FleetDelta::Kind::Perf:
        for (const GpuSample &sample : delta.gpuSamples) {
            auto it = std::find_if(v.gpus.begin(), v.gpus.end(), [&](const GpuSample &g) { return g.id == sample.id; });
            if (it == v.gpus.end())
                v.gpus.append(sample);
            else if (sample.timestampMs >= it->timestampMs)
                *it = sample;
        }
        std::sort(v.gpus.begin(), v.gpus.end(), [](const GpuSample &a, const GpuSample &b) { return a.id < b.id; });
        break;
    case FleetDelta::Kind::Log: {
        auto it = host.logs.find(delta.logSource);
        if (it == host.logs.end())
            it = host.logs.insert(delta.logSource, LogTail());
        if (delta.logReplace)
            it->clear();
        it->append(delta.logLines);
        break;
    }
    case FleetDelta::Kind::Job:
        break;
    }
    v.seq = delta.seq;
}

void FleetState::recountModelInflight(HostView &view)
{
    for (ModelView &m : view.models)
        m.inflight = 0;
    for (const InFlightRequest &r : std::as_const(view.inflight)) {
        for (ModelView &m : view.models) {
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
    host.view.id = id;
    host.view.name = name;
    host.view.baseUrl = baseUrl;
    Host &added = *m_hosts.insert(id, host);
    publishHost(added);
    Q_EMIT hostAdded(id);
}

void FleetState::removeHost(const QString &id)
{
    Host *host = find(id);
    if (!host)
        return;
    FleetDelta delta;
    delta.kind = FleetDelta::Kind::Removed;
    delta.hostId = id;
    delta.seq = host->view.seq + 1;
    m_hosts.remove(id);
    Q_EMIT changed(delta);
    Q_EMIT hostRemoved(id);
}

void FleetState::setLiveness(const QString &id, Liveness liveness, qint64 nowMs, const QString &error)
{
    Host *host = find(id);
    if (!host)
        return;
    const Liveness before = host->view.liveness;
    const bool errorChanged = !error.isEmpty() && error != host->view.lastError;
    if (before == liveness && !errorChanged)
        return;
    if (liveness == Liveness::Connected) {
        host->view.lastSeenMs = nowMs;
        host->view.lastError.clear();
    } else if (!error.isEmpty()) {
        host->view.lastError = error;
    }
    host->view.liveness = liveness;
    publishHost(*host);
    if (before != liveness)
        Q_EMIT livenessChanged(id, before, liveness, nowMs, error);
}

void FleetState::markSeen(const QString &id, qint64 nowMs)
{
    Host *host = find(id);
    if (!host)
        return;
    host->view.lastSeenMs = nowMs;
    if (nowMs - host->lastSeenPublishedMs >= kLastSeenPublishMs)
        publishHost(*host);
}

void FleetState::setVersion(const QString &id, const QString &version, const QString &generation)
{
    Host *host = find(id);
    if (!host || (host->view.version == version && host->view.generation == generation))
        return;
    host->view.version = version;
    host->view.generation = generation;
    publishHost(*host);
}

void FleetState::setGapSuspected(const QString &id, bool suspected, qint64 nowMs)
{
    Host *host = find(id);
    if (!host || host->view.gapSuspected == suspected)
        return;
    host->view.gapSuspected = suspected;
    if (suspected)
        host->view.gapSuspectedMs = nowMs;
    publishHost(*host);
}

void FleetState::setActiveProfile(const QString &id, const std::optional<QString> &profile)
{
    Host *host = find(id);
    if (!host || host->view.activeProfile == profile)
        return;
    host->view.activeProfile = profile;
    publishHost(*host);
}

void FleetState::applyModelStatus(const QString &id, const QList<ModelStatus> &models, qint64 nowMs)
{
    Host *host = find(id);
    if (!host)
        return;
    HostView &v = host->view;
    const ModelStatusMerge merged = ModelStatusMerge::merge(v, models, nowMs);
    if (merged.models == v.models && merged.lastSwap == v.lastSwap)
        return;
    v.models = merged.models;
    v.lastSwap = merged.lastSwap;
    recountModelInflight(v);
    publishHost(*host);
    for (const ModelStatusMerge::Transition &t : merged.transitions)
        Q_EMIT modelStateChanged(id, t.model, t.from, t.to, nowMs);
}

void FleetState::setModelTtls(const QString &id, const QHash<QString, qint64> &ttlSeconds)
{
    Host *host = find(id);
    if (!host)
        return;
    bool changedAny = false;
    for (ModelView &m : host->view.models) {
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
    HostView &v = host->view;
    switch (update.operation) {
    case InFlightUpdate::Operation::Snapshot:
        v.inflight = update.requests;
        break;
    case InFlightUpdate::Operation::Upsert: {
        if (!update.request)
            return;
        auto it = std::find_if(v.inflight.begin(), v.inflight.end(),
                               [&](const InFlightRequest &r) { return r.id == update.request->id; });
        if (it == v.inflight.end())
            v.inflight.append(*update.request);
        else
            *it = *update.request;
        break;
    }
    case InFlightUpdate::Operation::Remove:
        v.inflight.removeIf([&](const InFlightRequest &r) { return r.id == update.removedId; });
        break;
    case InFlightUpdate::Operation::Count:
        v.inflight.clear();
        break;
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
    FleetDelta delta;
    delta.kind = FleetDelta::Kind::Activity;
    delta.activity = entries;
    publish(*host, delta);
}

void FleetState::addGpuSamples(const QString &id, const QList<GpuSample> &samples)
{
    Host *host = find(id);
    if (!host || samples.isEmpty())
        return;
    FleetDelta delta;
    delta.kind = FleetDelta::Kind::Perf;
    delta.gpuSamples = samples;
    publish(*host, delta);
}

void FleetState::appendLog(const QString &id, const QString &source, const QList<LogLine> &lines, bool replace)
{
    Host *host = find(id);
    if (!host || (lines.isEmpty() && !replace))
        return;
    FleetDelta delta;
    delta.kind = FleetDelta::Kind::Log;
    delta.logSource = source;
    delta.logLines = lines;
    delta.logReplace = replace;
    publish(*host, delta);
}

void FleetState::publishJob(const QString &id, const QJsonObject &job)
{
    Host *host = find(id);
    if (!host)
        return;
    FleetDelta delta;
    delta.kind = FleetDelta::Kind::Job;
    delta.job = job;
    publish(*host, delta);
}

// ---------------------------------------------------------------------------------- attached mode

void FleetState::loadSnapshot(const Snapshot &snapshot)
{
    m_hosts.clear();
    for (const HostSnapshot &hs : snapshot.hosts) {
        Host host;
        host.view = hs.view;
        host.recent = hs.recentActivity;
        for (auto it = hs.logs.cbegin(); it != hs.logs.cend(); ++it)
            host.logs[it.key()].append(it.value());
        m_hosts.insert(hs.view.id, host);
    }
    Q_EMIT reset();
}

bool FleetState::apply(const FleetDelta &delta)
{
    Host *host = find(delta.hostId);
    if (delta.kind == FleetDelta::Kind::Removed) {
        if (!host || delta.seq <= host->view.seq)
            return false;
        m_hosts.remove(delta.hostId);
        Q_EMIT changed(delta);
        Q_EMIT hostRemoved(delta.hostId);
        return true;
    }
    if (!host) {
        if (delta.kind != FleetDelta::Kind::Host)
            return false;
        Host added;
        added.view = delta.host;
        m_hosts.insert(delta.hostId, added);
        Q_EMIT changed(delta);
        Q_EMIT hostAdded(delta.hostId);
        return true;
    }
    if (delta.seq <= host->view.seq)
        return false;
    applyTo(*host, delta);
    Q_EMIT changed(delta);
    return true;
}

} // namespace boo
