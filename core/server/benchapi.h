#pragma once

namespace boo {

class BenchJobs;
class ControlServer;

// Benchmark runs (docs/bench.md, docs/server.md), for the desktop attached to a --serve and for
// scripts:
//   GET /api/bench/runs[?suite=NAME&limit=N]   {"runs": [summary, ...], "live": [job, ...]}, newest first
//   GET /api/bench/runs/{id}                   a stored run as `boocontrol bench show RUN --as-json`
//                                              (+ "state": "finished"); a live run ("live-3") as its job
// With installRuns() also:
//   POST /api/bench/runs                       start a run (body: the suite as YAML, or JSON
//                                              {"suite": YAML text or object, "force": bool}); 202 {"run": job}
//   DELETE /api/bench/runs/{id}                cancel a live run
// Progress goes out on the WebSocket as `bench_progress` messages. Errors in the control API's
// shape (apireply.h); 503 without a database for stored runs.
class BenchApi final
{
public:
    static void install(ControlServer *server);
    static void installRuns(ControlServer *server, BenchJobs *jobs);
};

} // namespace boo
