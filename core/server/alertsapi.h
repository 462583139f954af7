#pragma once

namespace boo {

class AlertDelivery;
class HttpServer;

// The alerts of `boocontrol --serve` (docs/alerts.md):
//   GET  /api/alerts        the sinks (URLs redacted, tokens never shown) with their counters,
//                           the recent alerts newest first, each with its delivery per sink
//                           and every attempt; the retry policy
//   POST /api/alerts/test   a `test` alert to every sink (202 with the alert and its pending
//                           deliveries; poll GET /api/alerts for the outcome); 409 without sinks
class AlertsApi final
{
public:
    static void install(HttpServer *http, AlertDelivery *delivery);
};

} // namespace boo
