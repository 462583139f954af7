#include "core/protocol/activitystats.h"

#include "core/protocol/jsonfields.h"

using namespace Qt::StringLiterals;

namespace boo {

namespace {

std::optional<ActivityStats::Histogram> readHistogram(JsonFields &f, const QString &key)
{
    const auto object = f.nullableObject(key);
    if (!object)
        return std::nullopt;
    JsonFields h = f.child(key, *object);
    ActivityStats::Histogram histogram;
    const QJsonArray bins = h.array(u"bins"_s);
    for (qsizetype i = 0; i < bins.size(); ++i) {
        constexpr qint64 notWhole = std::numeric_limits<qint64>::min();
        const qint64 count = bins.at(i).toInteger(notWhole);
        if (!bins.at(i).isDouble() || count == notWhole) {
            h.fail(u"bins[%1]"_s.arg(i), u"is %1, expected a whole number"_s.arg(JsonFields::typeName(bins.at(i))));
            break;
        }
        histogram.bins << count;
    }
    histogram.min = h.number(u"min"_s);
    histogram.max = h.number(u"max"_s);
    histogram.binSize = h.number(u"binSize"_s);
    histogram.p50 = h.number(u"p50"_s);
    histogram.p95 = h.number(u"p95"_s);
    histogram.p99 = h.number(u"p99"_s);
    if (h.failed())
        f.adopt(h.error());
    return histogram;
}

} // namespace

Result<ActivityStats> ActivityStats::fromJson(const QByteArray &body)
{
    const QString what = u"/api/metrics/stats"_s;
    auto object = JsonFields::parseObject(body, what);
    if (!object)
        return object.error();
    JsonFields f(*object, what);
    ActivityStats stats;
    stats.totalRequests = f.integer(u"total_requests"_s);
    stats.totalInputTokens = f.integer(u"total_input_tokens"_s);
    stats.totalOutputTokens = f.integer(u"total_output_tokens"_s);
    stats.totalCacheTokens = f.integer(u"total_cache_tokens"_s);
    stats.promptHistogram = readHistogram(f, u"prompt_histogram"_s);
    stats.genHistogram = readHistogram(f, u"gen_histogram"_s);
    if (f.failed())
        return f.error();
    return stats;
}

} // namespace boo
