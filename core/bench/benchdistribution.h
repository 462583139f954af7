#pragma once

#include <QJsonObject>
#include <QList>

namespace boo {

// Summary of a set of values: percentiles by linear interpolation between closest ranks (the
// "type 7" rule of R and numpy: p50 of {1, 2, 3, 4} is 2.5), mean, and the sample standard
// deviation (n − 1). An empty set has count 0 and every figure 0.
struct BenchDistribution
{
    int count = 0;
    double p50 = 0;
    double p90 = 0;
    double p99 = 0;
    double mean = 0;
    double stddev = 0;

    static BenchDistribution of(QList<double> values);
    static double percentile(const QList<double> &sorted, double p);

    // {"p50", "p90", "p99", "mean", "stddev", "count"}, numbers rounded to 0.001.
    QJsonObject toJson() const;

    friend bool operator==(const BenchDistribution &, const BenchDistribution &) = default;
};

} // namespace boo
