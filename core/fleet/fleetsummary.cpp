#include "core/fleet/fleetsummary.h"

#include "core/fleet/fleetstate.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace boo {

FleetSummary FleetSummary::of(const QList<HostState> &hosts, qint64 nowMs, const Thresholds &thresholds)
{
    FleetSummary s;
    s.requestsPerMinute = QList<int>(HostState::kRateMinutes, 0);
    for (const HostState &h : hosts) {
        ++s.hosts;
        switch (h.liveness) {
        case Liveness::Connected: ++s.hostsUp; break;
        case Liveness::Reconnecting: ++s.hostsReconnecting; break;
        case Liveness::Down:
            ++s.hostsDown;
            ++s.alerts;
            break;
        }
        s.hostsNeedingAttention += h.needsAttention();
        s.gapsSuspected += h.gapSuspected;
        s.inflight += h.inflightCount;
        s.rate += h.rateAt(nowMs);
        const QList<int> perMinute = h.requestRateAt(nowMs);
        for (qsizetype i = 0; i < perMinute.size() && i < s.requestsPerMinute.size(); ++i)
            s.requestsPerMinute[i] += perMinute.at(i);
        // A down host's last known models and GPUs are not the fleet's now: they may be long gone.
        if (h.liveness == Liveness::Down)
            continue;
        for (const HostedModel &m : h.models)
            s.modelsLoaded += m.isLoaded();
        for (const GpuSample &g : h.gpus) {
            ++s.gpus;
            s.vramUsedMb += g.memUsedMb;
            s.vramTotalMb += g.memTotalMb;
            const bool vramHigh = g.memTotalMb > 0 && 100.0 * double(g.memUsedMb) / double(g.memTotalMb) >= thresholds.vramPercent;
            // Unified-memory machines report no temperature (0): nothing to judge, as AlertMonitor.
            const bool hot = g.tempC > 0 && double(g.tempC) >= thresholds.temperatureC;
            s.alerts += int(vramHigh) + int(hot);
        }
    }
    return s;
}

FleetSummary FleetSummary::of(const FleetState &fleet, qint64 nowMs, const Thresholds &thresholds)
{
    QList<HostState> hosts;
    for (const QString &id : fleet.hostIds())
        hosts << *fleet.host(id);
    return of(hosts, nowMs, thresholds);
}

QJsonObject FleetSummary::toJson() const
{
    QJsonArray perMinute;
    for (int n : requestsPerMinute)
        perMinute.append(n);
    return QJsonObject{
        {u"hosts"_s,
         QJsonObject{{u"total"_s, hosts},
                     {u"up"_s, hostsUp},
                     {u"reconnecting"_s, hostsReconnecting},
                     {u"down"_s, hostsDown},
                     {u"needing_attention"_s, hostsNeedingAttention}}},
        {u"gaps_suspected"_s, gapsSuspected},
        {u"alerts"_s, alerts},
        {u"gpus"_s, gpus},
        {u"vram_used_mb"_s, vramUsedMb},
        {u"vram_total_mb"_s, vramTotalMb},
        {u"models_loaded"_s, modelsLoaded},
        {u"inflight"_s, inflight},
        {u"requests_last_minute"_s, rate.requests},
        {u"requests_per_second"_s, rate.requestsPerSecond()},
        {u"output_tokens_per_second"_s, rate.outputTokensPerSecond()},
        {u"input_tokens_last_minute"_s, rate.inputTokens},
        {u"output_tokens_last_minute"_s, rate.outputTokens},
        {u"requests_per_minute"_s, perMinute},
    };
}

} // namespace boo
