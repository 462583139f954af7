#pragma once

#include "core/alerts/alert.h"
#include "core/fleet/fleetdelta.h"
#include "core/fleet/liveness.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>

namespace boo {

class FleetState;

// Watches a FleetState for what deserves an alert: a host going down, a down host coming back,
// a GPU over its VRAM or temperature threshold. It reads deltas only (not FleetState's
// in-process signals), so it works the same on a cockpit attached to a server.
class AlertMonitor final : public QObject
{
    Q_OBJECT

public:
    explicit AlertMonitor(FleetState *fleet, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(AlertMonitor)

    void setThresholds(const AlertThresholds &thresholds) { m_thresholds = thresholds; }
    const AlertThresholds &thresholds() const { return m_thresholds; }

Q_SIGNALS:
    void alert(const boo::Alert &alert);

private:
    void seed();
    void onChanged(const FleetDelta &delta);
    void checkGpus(const QString &hostId, const QString &hostName, const QList<GpuSample> &samples);

    QPointer<FleetState> m_fleet;
    AlertThresholds m_thresholds;
    QHash<QString, Liveness> m_liveness;
    QSet<QString> m_firing; // "host/gpu/kind" of alerts that have not re-armed yet
};

} // namespace boo
