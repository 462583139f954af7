#pragma once

#include "core/common/enumnames.h"
#include "core/common/result.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <array>
#include <optional>

namespace boo {

class Database;

struct PerfFilter
{
    QString host; // empty = all hosts
    std::optional<int> gpu;
    qint64 fromMs = 0;
    qint64 toMs = 0;
};

// One point of a GPU timeline: a raw sample (min = avg = max) or a 5-minute bucket.
struct PerfPoint
{
    struct Stat
    {
        std::optional<double> min, avg, max;
    };

    QString host;
    int gpu = 0;
    qint64 ts = 0; // sample time, or bucket start
    qint64 samples = 1;
    std::array<Stat, 8> metrics; // in perfMetricColumns() order

    QJsonObject toJson() const;
    // The control API's point (GET /api/perf) back into a value, for attached cockpits.
    static Result<PerfPoint> fromJson(const QJsonObject &object);
};

struct PerfSeries
{
    enum class Resolution { Raw, FiveMinutes };
    // GET /api/perf's "resolution".
    static constexpr EnumName<Resolution> kResolutionNames[] = {{Resolution::Raw, u"raw"}, {Resolution::FiveMinutes, u"5m"}};
    Resolution resolution = Resolution::Raw;
    QList<PerfPoint> points; // ordered by host, gpu, time
};

// GPU history for charts and the control API: raw samples for short ranges, 5-minute buckets for
// long ones. Buckets come from control_perf_rollup_5m where retention already rolled the raw
// samples, and are computed on the fly from the raw samples that are still there, so a long
// range reads the same however far retention has got.
class PerfQuery final
{
public:
    static constexpr qint64 kRawRangeLimitMs = 6 * 3600 * 1000;

    static Result<PerfSeries> fetch(Database &db, const PerfFilter &filter);
};

} // namespace boo
