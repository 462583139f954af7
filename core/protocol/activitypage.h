#pragma once

#include "core/common/result.h"
#include "core/protocol/activityentry.h"

#include <QByteArray>
#include <QList>

namespace boo {

// One page of `GET /api/metrics/activity` (v236 and later).
struct ActivityPage
{
    QList<ActivityEntry> data;
    qint64 page = 0;
    qint64 limit = 0;
    qint64 total = 0; // rows matching the filter, on all pages
    qint64 totalPages = 0;

    static Result<ActivityPage> fromJson(const QByteArray &body);

    friend bool operator==(const ActivityPage &, const ActivityPage &) = default;
};

} // namespace boo
