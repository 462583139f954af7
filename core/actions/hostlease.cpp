#include "core/actions/hostlease.h"

#include "core/store/database.h"

using namespace Qt::StringLiterals;

namespace boo {

Result<QList<HostLease>> HostLease::active(Database &db, qint64 nowMs)
{
    auto q = db.exec(u"SELECT id, provider_id, model, holder, reason, granted_at, expires_at FROM control_host_leases "
                     u"WHERE released_at IS NULL AND expires_at > ? ORDER BY id"_s,
                     {nowMs});
    if (!q)
        return q.error();
    QList<HostLease> leases;
    while (q->next()) {
        HostLease l;
        l.id = q->value(0).toLongLong();
        l.providerId = q->value(1).toString();
        l.model = q->value(2).toString();
        l.holder = q->value(3).toString();
        l.reason = q->value(4).toString();
        l.grantedAt = q->value(5).toLongLong();
        l.expiresAt = q->value(6).toLongLong();
        leases << l;
    }
    return leases;
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

Result<void> HostLease::release(Database &db, qint64 id, qint64 nowMs)
{
    auto q = db.exec(u"UPDATE control_host_leases SET released_at = ? WHERE id = ? AND released_at IS NULL"_s, {nowMs, id});
    if (!q)
        return q.error();
    return {};
}

} // namespace boo
