#pragma once

namespace boo {

// `boocontrol bench ...`: run a benchmark suite, list and show stored runs, mark baselines
// (docs/bench.md). A program of its own inside boocontrol: it makes its QCoreApplication, never
// a GUI, and returns the process exit code.
int runBenchCommand(int argc, char **argv);

} // namespace boo
