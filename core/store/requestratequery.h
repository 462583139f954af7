#pragma once

#include "core/common/result.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace boo {

class Database;

struct RateFilter
{
    QString host; // empty = every host
    qint64 fromMs = 0;
    qint64 toMs = 0;
    qint64 bucketMs = 60'000; // a multiple of a minute
};

// Requests and tokens that finished in one bucket on one host.
struct RatePoint
{
    QString host;
    qint64 ts = 0; // bucket start
    qint64 requests = 0;
    qint64 inputTokens = 0;
    qint64 outputTokens = 0;

    QJsonObject toJson() const;
    static Result<RatePoint> fromJson(const QJsonObject &object);
    friend bool operator==(const RatePoint &, const RatePoint &) = default;
};

// Requests and tokens over time for the Performance tab, per host and bucket (buckets without
// requests are absent). Ordered by host, then time.
class RequestRateQuery final
{
public:
    static constexpr int kMaxBuckets = 20'000;

    static Result<QList<RatePoint>> fetch(Database &db, const RateFilter &filter);
};

} // namespace boo
