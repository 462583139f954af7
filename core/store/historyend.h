#pragma once

#include "core/common/result.h"

#include <QString>

#include <optional>

namespace boo {

class Database;

// Where the stored history of one host ends: a connector continues from there after a restart
// of BooControl instead of fetching what is already stored.
struct HistoryEnd
{
    struct Request
    {
        qint64 swapEntryId = 0;
        qint64 ts = 0;
    };

    std::optional<Request> lastRequest;       // the newest stored activity row
    std::optional<qint64> lastPerfSampleMs;   // the newest stored GPU sample

    static Result<HistoryEnd> read(Database &db, const QString &providerId);
};

} // namespace boo
