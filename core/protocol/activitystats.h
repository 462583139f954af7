#pragma once

#include "core/common/result.h"

#include <QByteArray>
#include <QList>

#include <optional>

namespace boo {

// `GET /api/metrics/stats`: totals over all stored rows plus the two speed histograms, each of
// which is null (empty optional) when no row reported that speed.
struct ActivityStats
{
    struct Histogram
    {
        QList<qint64> bins;
        double min = 0;
        double max = 0;
        double binSize = 0; // 0 when min == max (then there is one bin)
        double p50 = 0;
        double p95 = 0;
        double p99 = 0;

        friend bool operator==(const Histogram &, const Histogram &) = default;
    };

    qint64 totalRequests = 0;
    qint64 totalInputTokens = 0;
    qint64 totalOutputTokens = 0;
    qint64 totalCacheTokens = 0;
    std::optional<Histogram> promptHistogram;
    std::optional<Histogram> genHistogram;

    static Result<ActivityStats> fromJson(const QByteArray &body);

    friend bool operator==(const ActivityStats &, const ActivityStats &) = default;
};

} // namespace boo
