#pragma once

#include <QtGlobal>

namespace boo {

class AccessGate;
class HttpServer;
class LeaseBook;

// Host leases over the control API (docs/server.md, "Leases"), so scripts and attached
// cockpits hold hosts the way a local benchmark does:
//   GET    /api/leases                  {"leases": [in force], "recent": [last 24 h], "decisions": [...]}
//   POST   /api/leases                  {"provider", "model"?, "holder"?, "purpose"?, "ttl_s"?, "force"?}
//                                       through the access gate: 201 with the lease, 409 when the
//                                       host is in use or held by someone else (the decision says which)
//   POST   /api/leases/{id}/heartbeat   {"ttl_s"?}: moves the lease's end; 404 when it ended
//   DELETE /api/leases/{id}             releases it; 404 when it was not in force
class LeasesApi final
{
public:
    static constexpr qint64 kMaxBodyBytes = 4096;
    static constexpr qint64 kRecentWindowMs = 24 * 3600 * 1000;

    static void install(HttpServer *http, AccessGate *gate, LeaseBook *leases);
};

} // namespace boo
