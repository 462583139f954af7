#include "core/store/perfquery.h"

#include "core/protocol/jsonfields.h"
#include "core/store/database.h"
#include "core/store/historyrows.h"
#include "core/store/retention.h"

#include <QJsonArray>

#include <algorithm>
#include <map>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

std::optional<double> optionalReal(const QVariant &value)
{
    return value.isNull() ? std::nullopt : std::optional<double>(value.toDouble());
}

QString whereClause(const PerfFilter &filter, const QString &timeColumn, QVariantList &binds)
{
    QStringList where{timeColumn + u" >= ?"_s, timeColumn + u" < ?"_s};
    binds << filter.fromMs << filter.toMs;
    if (!filter.host.isEmpty()) {
        where << u"provider_id = ?"_s;
        binds << filter.host;
    }
    if (filter.gpu) {
        where << u"gpu = ?"_s;
        binds << *filter.gpu;
    }
    return where.join(u" AND "_s);
}

Result<QList<PerfPoint>> rawPoints(Database &db, const PerfFilter &filter)
{
    QVariantList binds;
    const QString sql = u"SELECT provider_id, gpu, ts, %1 FROM control_perf_samples WHERE %2 ORDER BY provider_id, gpu, ts"_s.arg(
        perfMetricColumns().join(u", "_s), whereClause(filter, u"ts"_s, binds));
    auto q = db.exec(sql, binds);
    if (!q)
        return q.error();
    QList<PerfPoint> points;
    while (q->next()) {
        PerfPoint p{q->value(0).toString(), q->value(1).toInt(), q->value(2).toLongLong(), 1, {}};
        for (int m = 0; m < int(p.metrics.size()); ++m) {
            const auto v = optionalReal(q->value(3 + m));
            p.metrics[m] = {v, v, v};
        }
        points << p;
    }
    return points;
}

// Buckets from a rollup-shaped SELECT: provider_id, gpu, bucket, samples, then min/avg/max per metric.
QList<PerfPoint> readBuckets(QSqlQuery &q)
{
    QList<PerfPoint> points;
    while (q.next()) {
        PerfPoint p{q.value(0).toString(), q.value(1).toInt(), q.value(2).toLongLong(), q.value(3).toLongLong(), {}};
        for (int m = 0; m < int(p.metrics.size()); ++m)
            p.metrics[m] = {optionalReal(q.value(4 + 3 * m)), optionalReal(q.value(5 + 3 * m)), optionalReal(q.value(6 + 3 * m))};
        points << p;
    }
    return points;
}

Result<QList<PerfPoint>> bucketPoints(Database &db, const PerfFilter &filter)
{
    QStringList rolled, aggregated;
    for (const QString &m : perfMetricColumns()) {
        rolled << m + u"_min"_s << m + u"_avg"_s << m + u"_max"_s;
        aggregated << u"MIN(%1)"_s.arg(m) << u"AVG(%1)"_s.arg(m) << u"MAX(%1)"_s.arg(m);
    }
    QVariantList rollupBinds;
    auto stored = db.exec(u"SELECT provider_id, gpu, bucket, samples, %1 FROM control_perf_rollup_5m WHERE %2"_s.arg(
                              rolled.join(u", "_s), whereClause(filter, u"bucket"_s, rollupBinds)),
                          rollupBinds);
    if (!stored)
        return stored.error();
    QList<PerfPoint> points = readBuckets(*stored);

    QVariantList rawBinds;
    const QString bucket = u"(ts / %1) * %1"_s.arg(Retention::kBucketMs);
    auto live = db.exec(u"SELECT provider_id, gpu, %1, COUNT(*), %2 FROM control_perf_samples WHERE %3 GROUP BY provider_id, gpu, %1"_s.arg(
                            bucket, aggregated.join(u", "_s), whereClause(filter, u"ts"_s, rawBinds)),
                        rawBinds);
    if (!live)
        return live.error();
    const QList<PerfPoint> fresh = readBuckets(*live);

    // A bucket can be partly rolled and partly raw (late samples): merge the two halves.
    std::map<std::tuple<QString, int, qint64>, PerfPoint> merged;
    for (const PerfPoint &p : std::as_const(points))
        merged[{p.host, p.gpu, p.ts}] = p;
    for (const PerfPoint &p : fresh) {
        auto [it, inserted] = merged.try_emplace({p.host, p.gpu, p.ts}, p);
        if (inserted)
            continue;
        PerfPoint &m = it->second;
        const qint64 total = m.samples + p.samples;
        for (int i = 0; i < int(m.metrics.size()); ++i) {
            auto &a = m.metrics[i];
            const auto &b = p.metrics[i];
            if (b.min)
                a.min = a.min ? std::min(*a.min, *b.min) : *b.min;
            if (b.max)
                a.max = a.max ? std::max(*a.max, *b.max) : *b.max;
            if (b.avg)
                a.avg = a.avg ? (*a.avg * double(m.samples) + *b.avg * double(p.samples)) / double(total) : *b.avg;
        }
        m.samples = total;
    }
    QList<PerfPoint> out;
    out.reserve(qsizetype(merged.size()));
    for (auto &[key, point] : merged)
        out << point;
    return out;
}

} // namespace

QJsonObject PerfPoint::toJson() const
{
    QJsonObject o{{u"host"_s, host}, {u"gpu"_s, gpu}, {u"ts"_s, ts}, {u"samples"_s, samples}};
    for (int m = 0; m < int(metrics.size()); ++m) {
        const Stat &s = metrics[m];
        auto value = [](const std::optional<double> &v) { return v ? QJsonValue(*v) : QJsonValue(); };
        if (samples == 1 && s.min == s.max)
            o.insert(perfMetricColumns().at(m), value(s.avg));
        else
            o.insert(perfMetricColumns().at(m), QJsonObject{{u"min"_s, value(s.min)}, {u"avg"_s, value(s.avg)}, {u"max"_s, value(s.max)}});
    }
    return o;
}

Result<PerfPoint> PerfPoint::fromJson(const QJsonObject &object)
{
    JsonFields f(object, u"perf point"_s);
    PerfPoint p;
    p.host = f.string(u"host"_s, JsonFields::Required);
    p.gpu = int(f.integer(u"gpu"_s));
    p.ts = f.integer(u"ts"_s, JsonFields::Required);
    p.samples = f.integer(u"samples"_s);
    if (f.failed())
        return f.error();
    for (int m = 0; m < int(p.metrics.size()); ++m) {
        const QJsonValue value = object.value(perfMetricColumns().at(m));
        auto number = [](const QJsonValue &v) { return v.isDouble() ? std::optional<double>(v.toDouble()) : std::nullopt; };
        if (value.isObject()) {
            const QJsonObject stat = value.toObject();
            p.metrics[m] = {number(stat.value(u"min"_s)), number(stat.value(u"avg"_s)), number(stat.value(u"max"_s))};
        } else {
            const auto v = number(value);
            p.metrics[m] = {v, v, v};
        }
    }
    return p;
}

Result<PerfSeries> PerfQuery::fetch(Database &db, const PerfFilter &filter)
{
    if (filter.toMs <= filter.fromMs)
        return makeError(u"query.range"_s, u"the time range is empty: 'to' must be after 'from'"_s);
    PerfSeries series;
    series.resolution = filter.toMs - filter.fromMs > kRawRangeLimitMs ? PerfSeries::Resolution::FiveMinutes : PerfSeries::Resolution::Raw;
    auto points = series.resolution == PerfSeries::Resolution::Raw ? rawPoints(db, filter) : bucketPoints(db, filter);
    if (!points)
        return points.error();
    series.points = *points;
    return series;
}

} // namespace boo
