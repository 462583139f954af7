#pragma once

namespace boo {

class ControlServer;
class Gateway;

// The control API of the gateway, for the desktop's Routing tab and for scripts:
//   GET  /api/routing/policies          {"policies": [...]}
//   PUT  /api/routing/policies          replace the whole set (order = rule order)
//   POST /api/routing/test              rank a policy (stored or sent along) against the fleet now
//   GET  /api/gateway/log               the dispatch log, newest first, with filters
//   GET  /api/gateway/sources           totals per X-Boo-Source
// Errors in the control API's shape (apireply.h), like the rest of /api.
class RoutingApi final
{
public:
    static void install(Gateway *gateway, ControlServer *server);
};

} // namespace boo
