#pragma once

#include "core/common/result.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace boo {

class Database;

// One version of a host's llama-swap config that an apply replaced: the backup kept in the
// database (config_versions), beside the copy next to the file on the host, so it can be
// restored even when the host's copy is gone.
struct ConfigVersion
{
    qint64 id = 0;
    QString providerId;
    QString configPath;
    qint64 ts = 0; // UTC ms
    QString sha256;
    QByteArray content;
    QString author;
    QString reason;
    QString hostBackupPath; // the copy on the host; empty if none was made

    // {"id","provider","path","ts","sha256","bytes","author","reason","host_backup"} (+ "content")
    QJsonObject toJson(bool withContent = false) const;
};

// One apply, restore or rollback of a host's config, with every step's outcome (config_applies).
struct ConfigApplyRecord
{
    qint64 id = 0;
    QString providerId;
    QString kind; // "apply" | "restore"
    qint64 startedAt = 0;
    qint64 finishedAt = 0;
    QString author;
    QString reason;
    QString outcome;
    QString oldSha256;
    QString newSha256;
    std::optional<qint64> backupId;
    QString message;
    QJsonArray steps;

    QJsonObject toJson() const;
};

// The rows of migration 11.
class ConfigVersionStore final
{
public:
    // Returns the new version's id.
    static Result<qint64> saveVersion(Database &db, const ConfigVersion &version);
    // Newest first, without content.
    static Result<QList<ConfigVersion>> versions(Database &db, const QString &providerId, int limit = 50);
    static Result<std::optional<ConfigVersion>> version(Database &db, const QString &providerId, qint64 id);
    // Returns the record's id.
    static Result<qint64> recordApply(Database &db, const ConfigApplyRecord &record);
    // Newest first.
    static Result<QList<ConfigApplyRecord>> applies(Database &db, const QString &providerId, int limit = 50);
};

} // namespace boo
