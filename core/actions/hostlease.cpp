#include "core/actions/hostlease.h"

#include "core/store/database.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

const QString kColumns = u"id, provider_id, model, holder, reason, granted_at, expires_at, released_at"_s;

QList<HostLease> readLeases(QSqlQuery &q)
{
    QList<HostLease> leases;
    while (q.next()) {
        HostLease l;
        l.id = q.value(0).toLongLong();
        l.providerId = q.value(1).toString();
        l.model = q.value(2).toString();
        l.holder = q.value(3).toString();
        l.reason = q.value(4).toString();
        l.grantedAt = q.value(5).toLongLong();
        l.expiresAt = q.value(6).toLongLong();
        if (!q.value(7).isNull())
            l.releasedAt = q.value(7).toLongLong();
        leases << l;
    }
    return leases;
}

QString utcTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(u"HH:mm:ss 'UTC'"_s);
}

} // namespace

QString HostLease::describe() const
{
    QString what = holder;
    if (!reason.isEmpty())
        what += u" (%1)"_s.arg(reason);
    if (!model.isEmpty())
        what += u" on %1"_s.arg(model);
    return u"%1 until %2"_s.arg(what, utcTime(expiresAt));
}

QJsonObject HostLease::toJson(qint64 nowMs) const
{
    QJsonObject o{{u"id"_s, id},
                  {u"provider"_s, providerId},
                  {u"holder"_s, holder},
                  {u"purpose"_s, reason},
                  {u"granted_at"_s, grantedAt},
                  {u"expires_at"_s, expiresAt},
                  {u"active"_s, isActive(nowMs)}};
    o.insert(u"model"_s, model.isEmpty() ? QJsonValue() : QJsonValue(model));
    o.insert(u"released_at"_s, releasedAt ? QJsonValue(*releasedAt) : QJsonValue());
    return o;
}

Result<QList<HostLease>> HostLease::active(Database &db, qint64 nowMs)
{
    auto q
        = db.exec(u"SELECT %1 FROM control_host_leases WHERE released_at IS NULL AND expires_at > ? ORDER BY id"_s.arg(kColumns), {nowMs});
    if (!q)
        return q.error();
    return readLeases(*q);
}

Result<QList<HostLease>> HostLease::grantedSince(Database &db, qint64 sinceMs, int limit)
{
    auto q
        = db.exec(u"SELECT %1 FROM control_host_leases WHERE granted_at >= ? ORDER BY id DESC LIMIT ?"_s.arg(kColumns), {sinceMs, limit});
    if (!q)
        return q.error();
    return readLeases(*q);
}

Result<QList<HostLease>> HostLease::inForceSince(Database &db, const QString &providerId, qint64 sinceMs, int limit)
{
    auto q = db.exec(u"SELECT %1 FROM control_host_leases WHERE provider_id = ? AND COALESCE(released_at, expires_at) >= ? "
                     u"ORDER BY id DESC LIMIT ?"_s.arg(kColumns),
                     {providerId, sinceMs, limit});
    if (!q)
        return q.error();
    return readLeases(*q);
}

Result<bool> HostLease::extend(Database &db, qint64 id, qint64 expiresAt, qint64 nowMs)
{
    auto q = db.exec(u"UPDATE control_host_leases SET expires_at = ? WHERE id = ? AND released_at IS NULL AND expires_at > ?"_s,
                     {expiresAt, id, nowMs});
    if (!q)
        return q.error();
    return q->numRowsAffected() > 0;
}

Result<qint64> HostLease::grant(Database &db, const HostLease &lease)
{
    auto q = db.exec(u"INSERT INTO control_host_leases (provider_id, model, holder, reason, granted_at, expires_at) "
                     u"VALUES (?, ?, ?, ?, ?, ?) RETURNING id"_s,
                     {lease.providerId, lease.model.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(lease.model),
                      lease.holder, lease.reason.isEmpty() ? u""_s : lease.reason, lease.grantedAt, lease.expiresAt});
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(u"db.statement"_s, u"granting a lease returned no id"_s);
    return q->value(0).toLongLong();
}

Result<bool> HostLease::release(Database &db, qint64 id, qint64 nowMs)
{
    auto q = db.exec(u"UPDATE control_host_leases SET released_at = ? WHERE id = ? AND released_at IS NULL AND expires_at > ?"_s,
                     {nowMs, id, nowMs});
    if (!q)
        return q.error();
    return q->numRowsAffected() > 0;
}

} // namespace boo
