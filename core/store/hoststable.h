#pragma once

#include "core/common/result.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace boo {

class Database;

// What the history database remembers about a host (table control_hosts).
struct HostRecord
{
    QString providerId;
    QString name;
    QString kind;
    QString baseUrl;
    bool enabled = true;
    QStringList tags;
    qint64 createdAt = 0;
    qint64 updatedAt = 0;
    std::optional<qint64> lastSeenAt;
    QString version;
    bool gapSuspected = false;
    std::optional<qint64> gapSuspectedAt;
};

// control_hosts access. Hosts are upserted, never deleted: a provider removed from the registry
// keeps its history and its row.
class HostsTable final
{
public:
    // Insert new providers, refresh name/kind/url/enabled/tags of known ones; keeps liveness
    // fields (last_seen_at, version, gap_suspected) untouched.
    static Result<void> upsertConfigured(Database &db, const QList<HostRecord> &hosts, qint64 nowMs);
    static Result<QList<HostRecord>> all(Database &db);
};

} // namespace boo
