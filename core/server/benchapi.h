#pragma once

namespace boo {

class ControlServer;

// Stored benchmark runs (docs/bench.md), read-only, for the desktop attached to a --serve and for
// scripts:
//   GET /api/bench/runs[?suite=NAME&limit=N]   {"runs": [summary, ...]}, newest first
//   GET /api/bench/runs/{id}                   the run as `boocontrol bench show RUN --as-json`
// Errors in the control API's shape (apireply.h); 503 without a database.
class BenchApi final
{
public:
    static void install(ControlServer *server);
};

} // namespace boo
