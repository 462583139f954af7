#pragma once

#include <QString>
#include <QStringList>

namespace boo {

// What `boocontrol config apply|diff|backups|rollback|trust HOST …` was given.
struct ConfigHostOptions
{
    QString command;    // apply | diff | backups | rollback | trust
    QStringList args;   // after the command: HOST [FILE | BACKUP_ID]
    QString db;         // empty = the user's history database
    QString providers;  // empty = the default registry
    QString knownHosts; // empty = BooControl's own file in the data directory
    QString reason;
    bool yes = false;
    bool json = false;
};

// The commands that reach a host over SSH (docs/remote.md). Exit codes:
// 0 done (applied, unchanged, listed, trusted), 1 the file is invalid, 2 command line or local
// files wrong, 3 refused (the host is held, or its file changed since the preview), 4 failed
// before the write (the host's file is unchanged), 5 rolled back (not applied; the old file is
// back and the host healthy), 6 the rollback failed too (look at the host).
int runConfigHostCommand(const ConfigHostOptions &options);

} // namespace boo
