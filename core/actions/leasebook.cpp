#include "core/actions/leasebook.h"

#include "core/store/database.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

Error gone(qint64 id)
{
    return makeError(u"lease.gone"_s, u"lease %1 is not in force (released, expired or never granted)"_s.arg(id));
}

} // namespace

LeaseBook::LeaseBook(Database *database, QObject *parent)
    : QObject(parent)
    , m_database(database)
{
}

Result<void> LeaseBook::refresh()
{
    if (!m_database)
        return makeError(u"lease.no_database"_s, u"leases need the history database"_s);
    auto leases = HostLease::active(*m_database, nowMs());
    if (!leases)
        return leases.error();
    m_cache = *leases;
    m_age.start();
    return {};
}

Result<QList<HostLease>> LeaseBook::active()
{
    if (!m_age.isValid() || m_age.elapsed() >= kMaxAgeMs) {
        // A database that went away does not free the hosts: the last leases read stay in force
        // (until they expire) rather than none.
        if (auto fresh = refresh(); !fresh && !m_age.isValid())
            return fresh.error();
    }
    const qint64 now = nowMs();
    QList<HostLease> inForce;
    for (const HostLease &lease : std::as_const(m_cache)) {
        if (lease.isActive(now))
            inForce << lease;
    }
    return inForce;
}

Result<std::optional<HostLease>> LeaseBook::heldByOther(const QString &providerId, const QString &holder)
{
    auto leases = active();
    if (!leases)
        return leases.error();
    for (const HostLease &lease : std::as_const(*leases)) {
        if (lease.providerId == providerId && lease.holder != holder)
            return std::optional<HostLease>(lease);
    }
    return std::optional<HostLease>();
}

Result<HostLease> LeaseBook::grant(HostLease lease)
{
    if (!m_database)
        return makeError(u"lease.no_database"_s, u"leases need the history database"_s);
    lease.grantedAt = nowMs();
    if (lease.expiresAt <= lease.grantedAt)
        lease.expiresAt = lease.grantedAt + kDefaultTtlMs;
    auto id = HostLease::grant(*m_database, lease);
    if (!id)
        return id.error();
    lease.id = *id;
    (void)refresh();
    Q_EMIT changed();
    return lease;
}

Result<std::optional<HostLease>> LeaseBook::find(qint64 id)
{
    if (auto fresh = refresh(); !fresh)
        return fresh.error();
    for (const HostLease &lease : std::as_const(m_cache)) {
        if (lease.id == id)
            return std::optional<HostLease>(lease);
    }
    return std::optional<HostLease>();
}

Result<HostLease> LeaseBook::heartbeat(qint64 id, qint64 ttlMs)
{
    if (!m_database)
        return makeError(u"lease.no_database"_s, u"leases need the history database"_s);
    const qint64 now = nowMs();
    auto extended = HostLease::extend(*m_database, id, now + std::clamp<qint64>(ttlMs, 1, kMaxTtlMs), now);
    if (!extended)
        return extended.error();
    if (!*extended)
        return gone(id);
    auto lease = find(id);
    if (!lease)
        return lease.error();
    if (!*lease)
        return gone(id);
    return **lease;
}

Result<void> LeaseBook::release(qint64 id)
{
    if (!m_database)
        return makeError(u"lease.no_database"_s, u"leases need the history database"_s);
    auto released = HostLease::release(*m_database, id, nowMs());
    if (!released)
        return released.error();
    if (!*released)
        return gone(id);
    (void)refresh();
    Q_EMIT changed();
    return {};
}

Result<QList<HostLease>> LeaseBook::recent(qint64 sinceMs, int limit)
{
    if (!m_database)
        return makeError(u"lease.no_database"_s, u"leases need the history database"_s);
    return HostLease::grantedSince(*m_database, sinceMs, limit);
}

Result<QList<HostLease>> LeaseBook::inForceSince(const QString &providerId, qint64 sinceMs)
{
    if (!m_database)
        return makeError(u"lease.no_database"_s, u"leases need the history database"_s);
    return HostLease::inForceSince(*m_database, providerId, sinceMs, 100);
}

} // namespace boo
