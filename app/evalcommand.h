#pragma once

namespace boo {

// `boocontrol eval …`: quality evals (docs/evals.md). Today `eval --check-suite SUITE.yaml
// [--json FILE] [--concurrency N]`: every code task's reference runs with its tests in the
// bubblewrap sandbox, which proves the suite before any model is scored with it. Prints and
// exits: no display, database or network.
bool isEvalCommand(int argc, char **argv);
// Exit codes: 0 every reference passed, 1 one did not, 2 bad command line or suite file,
// 3 the sandbox cannot run here (bubblewrap or python3 missing or forbidden).
int runEvalCommand(int argc, char **argv);

} // namespace boo
