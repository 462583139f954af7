#include "core/server/keylimitalerts.h"

#include "core/alerts/alertmonitor.h"
#include "core/gateway/consumerkeyring.h"

#include <QPointer>

namespace boo {

void KeyLimitAlerts::install(ConsumerKeyRing *ring, AlertMonitor *monitor)
{
    QObject::connect(ring, &ConsumerKeyRing::limitedRepeatedly, monitor, [monitor = QPointer(monitor)](const KeyLimitBurst &burst) {
        if (!monitor)
            return;
        Alert alert;
        alert.kind = Alert::Kind::KeyLimited;
        alert.subject = burst.keyName; // the dedup key: one alert stream per key
        alert.value = burst.refusals;
        alert.detail = burst.detail;
        monitor->raise(alert);
    });
}

} // namespace boo
