#pragma once

namespace boo {

// `boocontrol config …`: commands about llama-swap config files that print and exit, without a
// display: `config validate FILE.yaml [--json]` (offline), and the commands that change a
// host's file over SSH (app/confighostcommand.h): diff, apply, backups, rollback, trust.
bool isConfigCommand(int argc, char **argv);
// Exit codes of validate: 0 the file is valid (warnings allowed), 1 it is not, 2 it cannot be
// read or the command line is wrong; the host commands' are in app/confighostcommand.h.
int runConfigCommand(int argc, char **argv);

} // namespace boo
