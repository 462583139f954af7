#pragma once

#include "core/common/result.h"
#include "core/sim/simconfig.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace boo {

class HttpRequest;

// The filter, paging and sorting of GET /api/metrics/activity (reference §4.3).
struct SimActivityQuery
{
    QStringList models;             // OR; empty: all
    std::optional<qint64> startSec; // inclusive, whole seconds
    std::optional<qint64> endSec;
    std::optional<qint64> minId;
    std::optional<qint64> maxId;
    int limit = 25;
    int page = 1;
    QString sort = QStringLiteral("id");
    bool ascending = false;

    // Validates like llama-swap; the error message is the 400 body text. v250 and older
    // ignore min_id, max_id, start and end and use only the first `model`.
    static Result<SimActivityQuery> parse(const HttpRequest &request, SimCompat compat);
    static bool isSortColumn(QStringView column);
};

} // namespace boo
