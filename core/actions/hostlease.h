#pragma once

#include "core/common/result.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace boo {

class Database;

// A host held for someone (a benchmark run, an operator): the gateway may use what is loaded
// there but must not make the host load another model, which would evict the held one.
// Stored in control_host_leases; granted and released by whoever needs the host.
struct HostLease
{
    qint64 id = 0;
    QString providerId;
    QString model;  // the model being held; empty = the host as it is
    QString holder; // "bench:run-42", "operator"
    QString reason;
    qint64 grantedAt = 0;
    qint64 expiresAt = 0; // UTC ms
    std::optional<qint64> releasedAt;

    bool isActive(qint64 nowMs) const { return !releasedAt && expiresAt > nowMs; }
    // "bench:run-42 (benchmark) until 14:05:09 UTC": for refusals the operator reads.
    QString describe() const;
    QJsonObject toJson(qint64 nowMs) const;

    // Leases in force at `nowMs`.
    static Result<QList<HostLease>> active(Database &db, qint64 nowMs);
    // Returns the new lease's id.
    static Result<qint64> grant(Database &db, const HostLease &lease);
    // False when no such lease was in force.
    static Result<bool> release(Database &db, qint64 id, qint64 nowMs);
    // Moves the end of a lease in force; false when it ended already.
    static Result<bool> extend(Database &db, qint64 id, qint64 expiresAt, qint64 nowMs);
    // Leases granted since `sinceMs`, ended or not, newest first.
    static Result<QList<HostLease>> grantedSince(Database &db, qint64 sinceMs, int limit);
    // Leases on `providerId` that were in force at some moment since `sinceMs` (ended or not).
    static Result<QList<HostLease>> inForceSince(Database &db, const QString &providerId, qint64 sinceMs, int limit);
};

} // namespace boo
