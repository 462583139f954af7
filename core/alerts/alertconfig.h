#pragma once

#include "core/alerts/alert.h"
#include "core/alerts/alertsinkconfig.h"
#include "core/common/result.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>

namespace boo {

// How a delivery that failed is tried again: attempt n+1 waits firstDelayMs × 2^(n-1), at most
// maxDelayMs (a receiver's Retry-After may ask for more, up to maxDelayMs), with jitter; after
// `attempts` tries the delivery is given up and shown as failed.
struct AlertRetryPolicy
{
    int attempts = 5;
    int firstDelayMs = 2000;
    int maxDelayMs = 60'000;
    int timeoutMs = 10'000; // per attempt, whole exchange: a hung receiver is cut off
};

// The alerts file of `boocontrol --serve --alerts FILE` (docs/alerts.md): where alerts go, how
// they are retried, and the thresholds of the rules.
struct AlertConfig
{
    QList<AlertSinkConfig> sinks;
    AlertRetryPolicy retry;
    AlertThresholds rules;

    // Reads the environment for `env:NAME` tokens; tests pass their own.
    using Environment = std::function<std::optional<QString>(const QString &name)>;
    static Environment processEnvironment();

    // Strict: unknown fields, wrong types, unknown kinds or sink types, a missing URL or an
    // unset environment variable are errors naming the file and the field, e.g.
    //   alerts.json: sink 2 ("phone"): field "min_severity" is "loud", must be one of info, warning or critical
    static Result<AlertConfig> load(const QString &path, const Environment &environment = processEnvironment());
    static Result<AlertConfig> parse(const QByteArray &json, const QString &origin, const Environment &environment = processEnvironment());
};

} // namespace boo
