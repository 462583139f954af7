#pragma once

#include "core/alerts/alertconfig.h"

#include <QObject>

namespace boo {

class AlertDelivery;
class AlertMonitor;
class FleetState;

// The alerts of one `--serve` process: the rules watching its FleetState, wired to the sinks of
// the alerts file. Modules that raise their own alerts (consumer-key limits, benchmark
// regressions, config rollbacks) hand them to monitor()->raise(); they go out the same way.
class AlertService final : public QObject
{
    Q_OBJECT

public:
    AlertService(FleetState *fleet, const AlertConfig &config, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(AlertService)

    AlertMonitor *monitor() const { return m_monitor; }
    AlertDelivery *delivery() const { return m_delivery; }

private:
    AlertMonitor *m_monitor;
    AlertDelivery *m_delivery;
};

} // namespace boo
