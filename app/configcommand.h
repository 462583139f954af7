#pragma once

namespace boo {

// `boocontrol config …`: commands about llama-swap config files that print and exit, without a
// display, a database or the network. Today: `config validate FILE.yaml [--json]`.
bool isConfigCommand(int argc, char **argv);
// Exit codes: 0 the file is valid (warnings allowed), 1 it is not, 2 it cannot be read or the
// command line is wrong.
int runConfigCommand(int argc, char **argv);

} // namespace boo
