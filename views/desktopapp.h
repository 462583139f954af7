#pragma once

#include "core/runtime/fleetruntime.h"

#include <QString>

class QApplication;

namespace boo {

struct DesktopOptions
{
    RuntimeOptions runtime;        // the in-process fleet (ignored when attaching)
    bool databaseExplicit = false; // --db given: it wins over the database chosen in Settings
    bool demo = false;             // runtime.fixedProviders is the simulated fleet
    QString attachUrl;             // --attach: follow this server instead of running the ingest
    QString token;                 // the server's bearer token (--token-file / BOO_TOKEN)
};

// The desktop cockpit: picks the backend (the ingest in this process, or a server to attach
// to), opens the main window and runs until the window is closed or the process is told to
// stop. app/main.cpp hands it the parsed command line and nothing else.
class DesktopApp final
{
public:
    // Returns the exit code: 0, 1 when the history database cannot be opened.
    static int run(QApplication &app, DesktopOptions options);
};

} // namespace boo
