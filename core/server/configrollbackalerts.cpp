#include "core/server/configrollbackalerts.h"

#include "core/alerts/alertmonitor.h"
#include "core/remote/configjobs.h"

#include <QPointer>

using namespace Qt::StringLiterals;

namespace boo {

void ConfigRollbackAlerts::install(ConfigJobs *jobs, AlertMonitor *monitor)
{
    // jobChanged announces every step; only the end of a job can be a rollback, and it ends once.
    QObject::connect(jobs, &ConfigJobs::jobChanged, monitor, [monitor = QPointer(monitor)](const ConfigJob &job) {
        if (!monitor || job.state != ConfigJob::State::Finished || !job.result)
            return;
        const ApplyOutcome outcome = job.result->outcome;
        if (outcome != ApplyOutcome::RolledBack && outcome != ApplyOutcome::RollbackFailed)
            return;
        Alert alert;
        alert.kind = Alert::Kind::ConfigRollback;
        alert.hostId = job.host;
        alert.detail = u"%1 %2: %3"_s.arg(job.kind, job.id, job.result->message); // "apply config-3: …"
        if (outcome == ApplyOutcome::RollbackFailed)
            alert.severityOverride = AlertSeverity::Critical;
        monitor->raise(alert);
    });
}

} // namespace boo
