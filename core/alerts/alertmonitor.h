#pragma once

#include "core/alerts/alert.h"
#include "core/alerts/windowcounter.h"
#include "core/fleet/fleetdelta.h"
#include "core/fleet/liveness.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <functional>

namespace boo {

class FleetState;

// Watches a FleetState for what deserves an alert: a host going down, a down host coming back,
// a suspected activity gap, a GPU over its VRAM or temperature threshold, a host's or a route
// policy's error rate, a storm of gateway failovers. It reads deltas only (not FleetState's
// in-process signals), so host rules work the same on a cockpit attached to a server; the
// gateway's dispatch facts exist only where the gateway runs (--serve, the local desktop).
//
// Other modules (consumer keys, benchmarks, config rollback) hand their alerts to raise(): every
// alert leaves through the one alert() signal, in the order it was raised.
class AlertMonitor final : public QObject
{
    Q_OBJECT

public:
    using Clock = std::function<qint64()>;

    explicit AlertMonitor(FleetState *fleet, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(AlertMonitor)

    void setThresholds(const AlertThresholds &thresholds);
    const AlertThresholds &thresholds() const { return m_thresholds; }
    // Wall-clock epoch ms; tests drive the windows with their own.
    void setClock(Clock clock) { m_clock = std::move(clock); }

    // An alert from elsewhere: stamped with the time when it has none, then announced.
    void raise(Alert alert);

Q_SIGNALS:
    void alert(const boo::Alert &alert);

private:
    struct HostFlags
    {
        Liveness liveness = Liveness::Reconnecting;
        bool gapSuspected = false;
    };
    // One error-rate window: of a host ("host:h1") or of a policy ("policy:auto").
    struct RateWindow
    {
        WindowCounter counter;
        bool firing = false;
    };

    void seed();
    void onChanged(const FleetDelta &delta);
    void onHostChanged(const QString &hostId, const HostState &host);
    void checkGpus(const QString &hostId, const QString &hostName, const QList<GpuSample> &samples);
    void countRequests(const QString &hostId, const QList<ActivityEntry> &rows);
    void countDispatch(const GatewayDispatchRow &record);
    // Fires or re-arms `window` after new counts; `hostId` or `subject` names what it measures.
    void judgeErrorRate(RateWindow &window, const QString &hostId, const QString &subject);
    void judgeFailovers();
    Alert make(Alert::Kind kind, const QString &hostId) const;
    qint64 now() const { return m_clock(); }

    QPointer<FleetState> m_fleet;
    AlertThresholds m_thresholds;
    Clock m_clock;
    QHash<QString, HostFlags> m_hosts;
    QSet<QString> m_firing; // "host/gpu/kind" of GPU alerts that have not re-armed yet
    QHash<QString, RateWindow> m_errorRates;
    RateWindow m_failovers;
};

} // namespace boo
