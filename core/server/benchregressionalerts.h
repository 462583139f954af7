#pragma once

namespace boo {

class AlertMonitor;
class BenchJobs;

// Alerts of kind bench_regression for `boocontrol --serve`: a benchmark run started in the
// process (POST /api/bench/runs) that finishes slower than its suite's baseline is raised on the
// alert monitor, once per run, so it reaches the webhook sinks like any other alert. The subject
// is the suite: a suite that keeps regressing is one alert stream, cooled down by the sinks.
class BenchRegressionAlerts final
{
public:
    static void install(BenchJobs *jobs, AlertMonitor *monitor);
};

} // namespace boo
