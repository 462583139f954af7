#pragma once

namespace boo {

class AlertMonitor;
class ConsumerKeyRing;

// Alerts of kind key_limited for `boocontrol --serve`: a consumer key refused by its limits
// again and again (the ring's KeyLimitWatch decides when, at most once per key per cooldown) is
// raised on the alert monitor, so it reaches the webhook sinks like any other alert.
class KeyLimitAlerts final
{
public:
    static void install(ConsumerKeyRing *ring, AlertMonitor *monitor);
};

} // namespace boo
