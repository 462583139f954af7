#include "core/store/requestratequery.h"

#include "core/protocol/jsonfields.h"
#include "core/store/database.h"

using namespace Qt::StringLiterals;

namespace boo {

QJsonObject RatePoint::toJson() const
{
    return {{u"host"_s, host}, {u"ts"_s, ts}, {u"requests"_s, requests}, {u"input"_s, inputTokens}, {u"output"_s, outputTokens}};
}

Result<RatePoint> RatePoint::fromJson(const QJsonObject &object)
{
    JsonFields f(object, u"rate point"_s);
    RatePoint p;
    p.host = f.string(u"host"_s, JsonFields::Required);
    p.ts = f.integer(u"ts"_s, JsonFields::Required);
    p.requests = f.integer(u"requests"_s);
    p.inputTokens = f.integer(u"input"_s);
    p.outputTokens = f.integer(u"output"_s);
    if (f.failed())
        return f.error();
    return p;
}

Result<QList<RatePoint>> RequestRateQuery::fetch(Database &db, const RateFilter &filter)
{
    if (filter.toMs <= filter.fromMs)
        return makeError(u"query.range"_s, u"the time range is empty: 'to' must be after 'from'"_s);
    if (filter.bucketMs < 60'000 || filter.bucketMs % 60'000 != 0)
        return makeError(u"query.range"_s, u"the bucket must be a whole number of minutes"_s);
    if ((filter.toMs - filter.fromMs) / filter.bucketMs > kMaxBuckets)
        return makeError(u"query.range"_s,
                         u"%1 buckets are too many (at most %2): use wider buckets"_s.arg((filter.toMs - filter.fromMs) / filter.bucketMs)
                             .arg(kMaxBuckets));
    // The bucket width is ours (validated above), so it goes into the statement as a literal:
    // both dialects then divide BIGINT by BIGINT.
    const QString bucket = u"(ts / %1) * %1"_s.arg(filter.bucketMs);
    QVariantList binds{filter.fromMs, filter.toMs};
    QString where = u"ts >= ? AND ts < ?"_s;
    if (!filter.host.isEmpty()) {
        where += u" AND provider_id = ?"_s;
        binds << filter.host;
    }
    auto query = db.exec(u"SELECT provider_id, %1, COUNT(*), COALESCE(SUM(input_tokens), 0), COALESCE(SUM(output_tokens), 0) "
                         u"FROM control_requests WHERE %2 GROUP BY provider_id, %1 ORDER BY provider_id, %1"_s.arg(bucket, where),
                         binds);
    if (!query)
        return query.error();
    QList<RatePoint> points;
    while (query->next()) {
        points << RatePoint{query->value(0).toString(), query->value(1).toLongLong(), query->value(2).toLongLong(),
                            query->value(3).toLongLong(), query->value(4).toLongLong()};
    }
    return points;
}

} // namespace boo
