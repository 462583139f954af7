#pragma once

#include "core/fleet/hoststate.h"

#include <QJsonObject>
#include <QList>

namespace boo {

class FleetState;

// The fleet at a glance — the first questions an operator asks, answered from FleetState alone
// so that the desktop (local or attached) and `GET /api/fleet` (`summary`) say the same: VRAM
// used of total, requests and tokens per second now (RequestRate: the last 60 s), models loaded,
// hosts up, down and needing attention, suspected gaps and standing alerts.
struct FleetSummary
{
    // What counts as an alert standing now; the desktop passes its Settings → Alerts values.
    struct Thresholds
    {
        double vramPercent = 95;
        double temperatureC = 85;
    };

    int hosts = 0;
    int hostsUp = 0; // connected
    int hostsReconnecting = 0;
    int hostsDown = 0;
    int hostsNeedingAttention = 0; // HostState::needsAttention(): not connected, or a suspected gap
    int gapsSuspected = 0;
    // Conditions an alert is raised for, standing now: hosts down, GPUs at or over a threshold.
    int alerts = 0;
    int gpus = 0;
    qint64 vramUsedMb = 0;
    qint64 vramTotalMb = 0;
    int modelsLoaded = 0; // starting or ready, on hosts that are up
    qint64 inflight = 0;
    RateReading rate; // the hosts' readings summed
    // Requests per minute of the whole fleet for HostState::kRateMinutes minutes, oldest first.
    QList<int> requestsPerMinute;

    double vramPercent() const { return vramTotalMb > 0 ? 100.0 * double(vramUsedMb) / double(vramTotalMb) : 0; }

    static FleetSummary of(const QList<HostState> &hosts, qint64 nowMs, const Thresholds &thresholds);
    static FleetSummary of(const QList<HostState> &hosts, qint64 nowMs) { return of(hosts, nowMs, Thresholds{}); }
    static FleetSummary of(const FleetState &fleet, qint64 nowMs, const Thresholds &thresholds);
    static FleetSummary of(const FleetState &fleet, qint64 nowMs) { return of(fleet, nowMs, Thresholds{}); }

    QJsonObject toJson() const;
    friend bool operator==(const FleetSummary &, const FleetSummary &) = default;
};

} // namespace boo
