#pragma once

#include "core/common/result.h"

#include <QString>

#include <optional>

namespace boo {

class Database;

// Where the stored history of one host ends: a connector continues from there after a restart
// of BooControl instead of fetching what is already stored. The two ends are read apart, so
// that one failed query does not lose the other.
struct HistoryEnd
{
    struct Request
    {
        qint64 swapEntryId = 0;
        qint64 ts = 0;
    };

    // The newest stored activity row (empty: none yet).
    static Result<std::optional<Request>> lastRequest(Database &db, const QString &providerId);
    // The time of the newest stored GPU sample (empty: none yet).
    static Result<std::optional<qint64>> lastPerfSampleMs(Database &db, const QString &providerId);
    // When rows of the host were suspected lost, while nobody has acknowledged it (empty: no
    // such gap). A gap outlives a restart of BooControl until the operator acknowledges it.
    static Result<std::optional<qint64>> unacknowledgedGapMs(Database &db, const QString &providerId);
};

} // namespace boo
