#include "core/bench/benchdistribution.h"

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

double rounded(double value)
{
    return std::round(value * 1000.0) / 1000.0;
}

} // namespace

double BenchDistribution::percentile(const QList<double> &sorted, double p)
{
    if (sorted.isEmpty())
        return 0;
    const double rank = p / 100.0 * double(sorted.size() - 1);
    const auto below = qsizetype(std::floor(rank));
    const qsizetype above = qMin(below + 1, sorted.size() - 1);
    const double fraction = rank - double(below);
    return sorted[below] + (sorted[above] - sorted[below]) * fraction;
}

BenchDistribution BenchDistribution::of(QList<double> values)
{
    BenchDistribution d;
    if (values.isEmpty())
        return d;
    std::sort(values.begin(), values.end());
    d.count = int(values.size());
    d.p50 = percentile(values, 50);
    d.p90 = percentile(values, 90);
    d.p99 = percentile(values, 99);
    double sum = 0;
    for (double v : values)
        sum += v;
    d.mean = sum / double(values.size());
    if (values.size() > 1) {
        double squares = 0;
        for (double v : values)
            squares += (v - d.mean) * (v - d.mean);
        d.stddev = std::sqrt(squares / double(values.size() - 1));
    }
    return d;
}

QJsonObject BenchDistribution::toJson() const
{
    return QJsonObject{{u"p50"_s, rounded(p50)},   {u"p90"_s, rounded(p90)},       {u"p99"_s, rounded(p99)},
                       {u"mean"_s, rounded(mean)}, {u"stddev"_s, rounded(stddev)}, {u"count"_s, count}};
}

} // namespace boo
