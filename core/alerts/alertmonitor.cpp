#include "core/alerts/alertmonitor.h"

#include "core/fleet/fleetstate.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace boo {

AlertMonitor::AlertMonitor(FleetState *fleet, QObject *parent)
    : QObject(parent)
    , m_fleet(fleet)
{
    connect(fleet, &FleetState::changed, this, &AlertMonitor::onChanged);
    connect(fleet, &FleetState::reset, this, &AlertMonitor::seed);
    seed();
}

void AlertMonitor::seed()
{
    // What a (re)joined snapshot shows is the starting point, not news.
    m_liveness.clear();
    for (const QString &id : m_fleet->hostIds())
        m_liveness.insert(id, m_fleet->host(id)->liveness);
}

void AlertMonitor::onChanged(const FleetDelta &delta)
{
    if (delta.is<HostRemoved>()) {
        m_liveness.remove(delta.hostId);
        return;
    }
    if (const auto *perf = delta.as<GpuSampled>()) {
        const auto host = m_fleet->host(delta.hostId);
        checkGpus(delta.hostId, host ? host->name : QString(), perf->samples);
        return;
    }
    const auto *changed = delta.as<HostChanged>();
    if (!changed)
        return;
    const Liveness now = changed->host.liveness;
    const auto it = m_liveness.constFind(delta.hostId);
    const std::optional<Liveness> before = it == m_liveness.cend() ? std::nullopt : std::optional<Liveness>(*it);
    m_liveness.insert(delta.hostId, now);
    if (!before || *before == now)
        return;
    Alert a;
    a.hostId = delta.hostId;
    a.hostName = changed->host.name;
    a.atMs = QDateTime::currentMSecsSinceEpoch();
    if (now == Liveness::Down) {
        a.kind = Alert::Kind::HostDown;
        Q_EMIT alert(a);
    } else if (*before == Liveness::Down && now == Liveness::Connected) {
        a.kind = Alert::Kind::HostBack;
        Q_EMIT alert(a);
    }
}

void AlertMonitor::checkGpus(const QString &hostId, const QString &hostName, const QList<GpuSample> &samples)
{
    auto check = [&](const GpuSample &s, Alert::Kind kind, double value, double threshold) {
        const QString key = u"%1/%2/%3"_s.arg(hostId).arg(s.id).arg(int(kind));
        if (value >= threshold) {
            if (m_firing.contains(key))
                return;
            m_firing.insert(key);
            Q_EMIT alert(Alert{kind, hostId, hostName, s.id, value, threshold, QDateTime::currentMSecsSinceEpoch()});
        } else if (value < threshold - m_thresholds.hysteresis) {
            m_firing.remove(key);
        }
    };
    for (const GpuSample &s : samples) {
        if (s.memTotalMb > 0)
            check(s, Alert::Kind::VramHigh, 100.0 * double(s.memUsedMb) / double(s.memTotalMb), m_thresholds.vramPercent);
        // Unified-memory machines report no temperature (0): nothing to judge.
        if (s.tempC > 0)
            check(s, Alert::Kind::TemperatureHigh, double(s.tempC), m_thresholds.temperatureC);
    }
}

} // namespace boo
