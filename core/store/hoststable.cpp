#include "core/store/hoststable.h"

#include "core/store/database.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

QString tagsToJson(const QStringList &tags)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(tags)).toJson(QJsonDocument::Compact));
}

QStringList tagsFromJson(const QString &text)
{
    QStringList tags;
    const QJsonArray array = QJsonDocument::fromJson(text.toUtf8()).array();
    for (const auto &value : array)
        tags << value.toString();
    return tags;
}

std::optional<qint64> optionalInt(const QVariant &value)
{
    if (value.isNull())
        return std::nullopt;
    return value.toLongLong();
}

} // namespace

Result<void> HostsTable::upsertConfigured(Database &db, const QList<HostRecord> &hosts, qint64 nowMs)
{
    return db.inTransaction([&]() -> Result<void> {
        for (const HostRecord &host : hosts) {
            auto r
                = db.exec(uR"(INSERT INTO control_hosts (provider_id, name, kind, base_url, enabled, tags, created_at, updated_at)
                                 VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                                 ON CONFLICT (provider_id) DO UPDATE SET name = excluded.name, kind = excluded.kind,
                                     base_url = excluded.base_url, enabled = excluded.enabled, tags = excluded.tags,
                                     updated_at = excluded.updated_at)"_s,
                          {host.providerId, host.name, host.kind, host.baseUrl, host.enabled ? 1 : 0, tagsToJson(host.tags), nowMs, nowMs});
            if (!r)
                return r.error();
        }
        return {};
    });
}

Result<QList<HostRecord>> HostsTable::all(Database &db)
{
    auto query = db.exec(u"SELECT provider_id, name, kind, base_url, enabled, tags, created_at, updated_at, "
                         u"last_seen_at, version, gap_suspected, gap_suspected_at FROM control_hosts ORDER BY provider_id"_s);
    if (!query)
        return query.error();
    QList<HostRecord> hosts;
    while (query->next()) {
        HostRecord host;
        host.providerId = query->value(0).toString();
        host.name = query->value(1).toString();
        host.kind = query->value(2).toString();
        host.baseUrl = query->value(3).toString();
        host.enabled = query->value(4).toInt() != 0;
        host.tags = tagsFromJson(query->value(5).toString());
        host.createdAt = query->value(6).toLongLong();
        host.updatedAt = query->value(7).toLongLong();
        host.lastSeenAt = optionalInt(query->value(8));
        host.version = query->value(9).toString();
        host.gapSuspected = query->value(10).toInt() != 0;
        host.gapSuspectedAt = optionalInt(query->value(11));
        hosts << host;
    }
    return hosts;
}

} // namespace boo
