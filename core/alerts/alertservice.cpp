#include "core/alerts/alertservice.h"

#include "core/alerts/alertdelivery.h"
#include "core/alerts/alertmonitor.h"

namespace boo {

AlertService::AlertService(FleetState *fleet, const AlertConfig &config, QObject *parent)
    : QObject(parent)
    , m_monitor(new AlertMonitor(fleet, this))
    , m_delivery(new AlertDelivery(config, this))
{
    m_monitor->setThresholds(config.rules);
    connect(m_monitor, &AlertMonitor::alert, m_delivery, [this](const Alert &alert) { m_delivery->deliver(alert); });
}

} // namespace boo
