#pragma once

class QCoreApplication;

namespace boo {

// SIGINT / SIGTERM (Ctrl+C, `systemctl stop`) end the event loop instead of the process, so that
// the history writer can store or spill what it holds. A second signal ends the process at once.
// No effect on platforms without POSIX signals.
void quitOnTerminationSignals(QCoreApplication *app);

} // namespace boo
