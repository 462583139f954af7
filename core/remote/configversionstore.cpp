#include "core/remote/configversionstore.h"

#include "core/store/database.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

// At most `limit` versions a WHERE clause selects, newest first; the content only when asked
// (it can be large).
Result<QList<ConfigVersion>> selectVersions(Database &db, const QString &where, QVariantList params, int limit, bool withContent)
{
    const QString columns = u"id, provider_id, config_path, ts, sha256, author, reason, host_backup_path"_s;
    params << limit;
    auto q = db.exec(u"SELECT %1%2 FROM config_versions WHERE %3 ORDER BY id DESC LIMIT ?"_s.arg(
                         columns, withContent ? u", content"_s : QString(), where),
                     params);
    if (!q)
        return q.error();
    QList<ConfigVersion> list;
    while (q->next()) {
        ConfigVersion v;
        v.id = q->value(0).toLongLong();
        v.providerId = q->value(1).toString();
        v.configPath = q->value(2).toString();
        v.ts = q->value(3).toLongLong();
        v.sha256 = q->value(4).toString();
        v.author = q->value(5).toString();
        v.reason = q->value(6).toString();
        v.hostBackupPath = q->value(7).toString();
        if (withContent)
            v.content = q->value(8).toString().toUtf8();
        list << v;
    }
    return list;
}

// Qt binds a null QString as NULL; the text columns are NOT NULL with '' for "none".
QString text(const QString &value)
{
    return value.isEmpty() ? u""_s : value;
}

} // namespace

QJsonObject ConfigVersion::toJson(bool withContent) const
{
    QJsonObject o{{u"id"_s, id},         {u"provider"_s, providerId}, {u"path"_s, configPath}, {u"ts"_s, ts},
                  {u"sha256"_s, sha256}, {u"author"_s, author},       {u"reason"_s, reason},   {u"host_backup"_s, hostBackupPath}};
    if (withContent) {
        o.insert(u"content"_s, QString::fromUtf8(content));
        o.insert(u"bytes"_s, content.size());
    }
    return o;
}

QJsonObject ConfigApplyRecord::toJson() const
{
    return {{u"id"_s, id},
            {u"provider"_s, providerId},
            {u"kind"_s, kind},
            {u"started_at"_s, startedAt},
            {u"finished_at"_s, finishedAt},
            {u"author"_s, author},
            {u"reason"_s, reason},
            {u"outcome"_s, outcome},
            {u"old_sha256"_s, oldSha256},
            {u"new_sha256"_s, newSha256},
            {u"backup_id"_s, backupId ? QJsonValue(*backupId) : QJsonValue()},
            {u"message"_s, message},
            {u"steps"_s, steps}};
}

Result<qint64> ConfigVersionStore::saveVersion(Database &db, const ConfigVersion &version)
{
    // The content goes in as text: llama-swap reads its config as UTF-8 YAML.
    auto q = db.exec(u"INSERT INTO config_versions (provider_id, config_path, ts, sha256, content, author, reason, host_backup_path) "
                     u"VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"_s,
                     {version.providerId, version.configPath, version.ts, version.sha256, text(QString::fromUtf8(version.content)),
                      text(version.author), text(version.reason), text(version.hostBackupPath)});
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(u"db.statement"_s, u"saving a config version returned no id"_s);
    return q->value(0).toLongLong();
}

Result<QList<ConfigVersion>> ConfigVersionStore::versions(Database &db, const QString &providerId, int limit)
{
    return selectVersions(db, u"provider_id = ?"_s, {providerId}, limit, false);
}

Result<std::optional<ConfigVersion>> ConfigVersionStore::version(Database &db, const QString &providerId, qint64 id)
{
    auto found = selectVersions(db, u"provider_id = ? AND id = ?"_s, {providerId, id}, 1, true);
    if (!found)
        return found.error();
    if (found->isEmpty())
        return std::optional<ConfigVersion>();
    return std::optional<ConfigVersion>(found->constFirst());
}

Result<qint64> ConfigVersionStore::recordApply(Database &db, const ConfigApplyRecord &r)
{
    const QString steps = QString::fromUtf8(QJsonDocument(r.steps).toJson(QJsonDocument::Compact));
    auto q = db.exec(u"INSERT INTO config_applies (provider_id, kind, started_at, finished_at, author, reason, outcome, old_sha256, "
                     u"new_sha256, backup_id, message, steps) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"_s,
                     {r.providerId, r.kind, r.startedAt, r.finishedAt, text(r.author), text(r.reason), r.outcome, text(r.oldSha256),
                      text(r.newSha256), r.backupId ? QVariant(*r.backupId) : QVariant(QMetaType::fromType<qint64>()), text(r.message),
                      steps});
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(u"db.statement"_s, u"recording a config apply returned no id"_s);
    return q->value(0).toLongLong();
}

Result<QList<ConfigApplyRecord>> ConfigVersionStore::applies(Database &db, const QString &providerId, int limit)
{
    auto q = db.exec(u"SELECT id, provider_id, kind, started_at, finished_at, author, reason, outcome, old_sha256, new_sha256, "
                     u"backup_id, message, steps FROM config_applies WHERE provider_id = ? ORDER BY id DESC LIMIT ?"_s,
                     {providerId, limit});
    if (!q)
        return q.error();
    QList<ConfigApplyRecord> list;
    while (q->next()) {
        ConfigApplyRecord r;
        r.id = q->value(0).toLongLong();
        r.providerId = q->value(1).toString();
        r.kind = q->value(2).toString();
        r.startedAt = q->value(3).toLongLong();
        r.finishedAt = q->value(4).toLongLong();
        r.author = q->value(5).toString();
        r.reason = q->value(6).toString();
        r.outcome = q->value(7).toString();
        r.oldSha256 = q->value(8).toString();
        r.newSha256 = q->value(9).toString();
        if (!q->value(10).isNull())
            r.backupId = q->value(10).toLongLong();
        r.message = q->value(11).toString();
        r.steps = QJsonDocument::fromJson(q->value(12).toString().toUtf8()).array();
        list << r;
    }
    return list;
}

} // namespace boo
