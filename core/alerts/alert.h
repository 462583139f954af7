#pragma once

#include "core/common/enumnames.h"

#include <QJsonObject>
#include <QMetaType>
#include <QString>

#include <optional>

namespace boo {

// How loudly an alert should reach a person: sinks filter on it (min_severity) and map it to
// their own priority scales (ntfy 1-5, Gotify 0-10).
enum class AlertSeverity { Info, Warning, Critical };
inline constexpr EnumName<AlertSeverity> kAlertSeverityNames[] = {
    {AlertSeverity::Info, u"info"},
    {AlertSeverity::Warning, u"warning"},
    {AlertSeverity::Critical, u"critical"},
};

// Something about the fleet the operator should notice even when no cockpit is open. Raised by
// AlertMonitor's rules (from FleetState deltas) or by other modules through AlertMonitor::raise().
struct Alert
{
    // The wire name of each kind (kAlertKindNames) is what sinks, /api/alerts and the alerts
    // file (`kinds`) use; a new kind is one row there plus its default severity and title.
    enum class Kind {
        HostDown,
        HostBack,
        VramHigh,
        TemperatureHigh,
        GapSuspected,    // the host's activity may have missed rows (docs/ingest.md)
        ErrorRate,       // 5xx/499 share of a host's or a policy's requests over a window
        FailoverStorm,   // many gateway dispatches needed another host within a window
        KeyLimited,      // a consumer key hit one of its limits
        BenchRegression, // a benchmark run is slower than its baseline
        ConfigRollback,  // a host's llama-swap config was rolled back
        Test,            // POST /api/alerts/test: proves the sinks reach someone
    };

    // The first fields in this order: code builds alerts as Alert{kind, host, name, gpu, ...}.
    Kind kind = Kind::HostDown;
    QString hostId;
    QString hostName;
    int gpu = -1;     // VramHigh, TemperatureHigh
    double value = 0; // VRAM percent, degrees Celsius, error percent, failovers in the window
    double threshold = 0;
    qint64 atMs = 0;
    // What the alert is about when it is not (only) a host: "policy:auto", a key's name, a
    // benchmark suite. Part of the dedup key.
    QString subject;
    // Free text for alerts raised by other modules (and extra detail for rules' alerts).
    QString detail;
    // Unset: the kind's default (defaultSeverity()).
    std::optional<AlertSeverity> severityOverride;

    static AlertSeverity defaultSeverity(Kind kind);
    AlertSeverity severity() const { return severityOverride.value_or(defaultSeverity(kind)); }
    // A short English headline ("Host down"), for push titles: it travels in HTTP headers
    // (ntfy's Title), which take Latin-1 at most.
    QString title() const;
    // For the tray, the status bar, the action history and push bodies, in the program's
    // language ("gpu-box: GPU 1 at 88 °C (threshold 85 °C)").
    QString describe() const;
    // Alerts with the same key are "the same problem again": sinks de-duplicate and cool down
    // per key ("temperature_high/gpu-box/gpu1", "error_rate/policy:auto").
    QString dedupKey() const;
    // {"kind","severity","title","message","dedup_key","host","host_name","subject","at",...}
    QJsonObject toJson() const;
};

inline constexpr EnumName<Alert::Kind> kAlertKindNames[] = {
    {Alert::Kind::HostDown, u"host_down"},
    {Alert::Kind::HostBack, u"host_back"},
    {Alert::Kind::VramHigh, u"vram_high"},
    {Alert::Kind::TemperatureHigh, u"temperature_high"},
    {Alert::Kind::GapSuspected, u"gap_suspected"},
    {Alert::Kind::ErrorRate, u"error_rate"},
    {Alert::Kind::FailoverStorm, u"failover_storm"},
    {Alert::Kind::KeyLimited, u"key_limited"},
    {Alert::Kind::BenchRegression, u"bench_regression"},
    {Alert::Kind::ConfigRollback, u"config_rollback"},
    {Alert::Kind::Test, u"test"},
};

// When a rule fires. The error-rate and failover-storm rules count over a sliding window and
// re-arm once the value fell to half its threshold (or the window emptied).
struct AlertThresholds
{
    double vramPercent = 95; // used / total
    double temperatureC = 85;
    // An alert re-arms only after the value fell this far below its threshold, so a value that
    // hovers around it does not alert on every sample.
    double hysteresis = 5;

    qint64 errorRateWindowMs = 5 * 60 * 1000;
    // Fewer requests than this in the window say nothing: one failure of two is not a 50 % rate.
    int errorRateMinRequests = 20;
    double errorRatePercent = 20; // 5xx and 499 answers among all answers

    qint64 failoverWindowMs = 5 * 60 * 1000;
    int failoverCount = 10; // dispatches that needed more than one host
};

} // namespace boo

Q_DECLARE_METATYPE(boo::Alert)
