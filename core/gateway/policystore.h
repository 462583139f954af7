#pragma once

#include "core/common/result.h"
#include "core/gateway/routepolicy.h"

#include <QList>

namespace boo {

class Database;

// route_policies in the history database. The four built-ins are seeded by the migration that
// creates the table, so they exist on first start and are edited like any other policy.
class PolicyStore final
{
public:
    // Every policy, ordered by position. A row that no longer parses is reported, not skipped:
    // a policy silently missing would send traffic elsewhere.
    static Result<QList<RoutePolicy>> load(Database &db);
    // Replaces the whole set in one transaction; positions follow the list order.
    static Result<void> replace(Database &db, const QList<RoutePolicy> &policies, qint64 nowMs);
    // Validates a set as a whole: every policy valid, names unique.
    static Result<QList<RoutePolicy>> fromJson(const QJsonValue &value);
};

} // namespace boo
