#pragma once

namespace boo {

class AlertMonitor;
class ConfigJobs;

// Alerts of kind config_rollback for `boocontrol --serve`: a config change started through the
// API (POST /api/hosts/{id}/config/apply or …/restore) that did not leave the host healthy and
// was rolled back is raised on the alert monitor, once per change; one whose rollback failed too
// is raised as critical, since then a person must look at the host.
class ConfigRollbackAlerts final
{
public:
    static void install(ConfigJobs *jobs, AlertMonitor *monitor);
};

} // namespace boo
