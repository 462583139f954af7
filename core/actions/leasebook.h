#pragma once

#include "core/actions/hostlease.h"
#include "core/common/result.h"

#include <QElapsedTimer>
#include <QObject>

#include <optional>

namespace boo {

class Database;

// The leases in force, for everyone in the process that must honour them (the action queue,
// the access gate, the leases API): one cached copy of control_host_leases, read again when it
// is older than kMaxAgeMs, so a lease granted by another process (a `boocontrol bench` run
// against the database a `--serve` uses) is seen within a second. Writes go through here so
// this process sees its own at once.
class LeaseBook final : public QObject
{
    Q_OBJECT

public:
    static constexpr qint64 kMaxAgeMs = 1000;
    // A lease nobody heartbeats ends on its own: a crashed holder frees the host after this.
    static constexpr qint64 kDefaultTtlMs = 120'000;
    static constexpr qint64 kMaxTtlMs = 24 * 3600 * 1000;

    explicit LeaseBook(Database *database, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(LeaseBook)

    // The leases in force now (from the cache when it is fresh).
    Result<QList<HostLease>> active();
    // The lease in force on `providerId` held by someone other than `holder`, if any.
    Result<std::optional<HostLease>> heldByOther(const QString &providerId, const QString &holder);

    Result<HostLease> grant(HostLease lease);
    // Moves the lease's end to now + ttlMs; fails with lease.gone when it ended already.
    Result<HostLease> heartbeat(qint64 id, qint64 ttlMs);
    // Fails with lease.gone when no such lease is in force.
    Result<void> release(qint64 id);
    // Leases granted since `sinceMs`, ended or not, newest first (for the API's history).
    Result<QList<HostLease>> recent(qint64 sinceMs, int limit);
    // Leases on `providerId` in force at some moment since `sinceMs`, ended or not.
    Result<QList<HostLease>> inForceSince(const QString &providerId, qint64 sinceMs);

Q_SIGNALS:
    void changed();

private:
    Result<void> refresh();
    Result<std::optional<HostLease>> find(qint64 id);

    Database *m_database;
    QList<HostLease> m_cache;
    QElapsedTimer m_age;
};

} // namespace boo
