#pragma once

namespace boo {

class FleetState;
class HttpServer;

// POST /api/hosts/{host}/gap/acknowledge: the operator has seen that rows of the host's history
// may be missing. The flag goes from FleetState (and, through the HistoryRecorder, from
// control_hosts, so it stays gone after a restart); the host event `gap_acknowledged` records
// who did it. A later loss sets the flag again. Idempotent; 404 for a host nobody watches.
class GapAcknowledgement final
{
public:
    static void install(HttpServer *http, FleetState *fleet);
};

} // namespace boo
