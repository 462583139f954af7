#include "core/server/benchregressionalerts.h"

#include "core/alerts/alertmonitor.h"
#include "core/bench/benchjobs.h"

#include <QPointer>
#include <QSet>

#include <memory>

using namespace Qt::StringLiterals;

namespace boo {

void BenchRegressionAlerts::install(BenchJobs *jobs, AlertMonitor *monitor)
{
    // jobChanged repeats a finished job's last state (a late progress tick, a re-announce):
    // remember which runs were raised so each is raised once.
    auto raised = std::make_shared<QSet<QString>>();
    QObject::connect(jobs, &BenchJobs::jobChanged, monitor, [monitor = QPointer(monitor), raised](const BenchJob &job) {
        if (!monitor || job.state != BenchJob::State::Finished || job.regressions <= 0 || raised->contains(job.id))
            return;
        raised->insert(job.id);
        Alert alert;
        alert.kind = Alert::Kind::BenchRegression;
        alert.subject = job.suite;
        alert.value = job.regressions;
        alert.detail = u"run %1 on %2: %3 cell(s) slower than the suite's baseline"_s.arg(
            QString::number(job.runId), job.hosts.join(u", "_s), QString::number(job.regressions));
        monitor->raise(alert);
    });
}

} // namespace boo
