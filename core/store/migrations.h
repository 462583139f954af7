#pragma once

#include "core/common/result.h"

#include <QList>
#include <QStringList>

namespace boo {

class Database;

// Numbered schema migrations, recorded in `schema_version`.
//
// Each migration runs in one transaction (both dialects have transactional DDL), so a failure
// leaves the previous version intact. Re-running is a no-op: applied versions are skipped and
// every statement is also written to tolerate an existing object.
class Migrations final
{
public:
    struct Step
    {
        int version;
        QString name;
        QStringList (*statements)(const Database &db);
    };

    static const QList<Step> &steps();
    static int latestVersion();

    // The highest applied version, 0 for an empty database.
    static Result<int> currentVersion(Database &db);
    // Applies every pending step; returns the version the database is at afterwards.
    static Result<int> migrate(Database &db);
};

} // namespace boo
