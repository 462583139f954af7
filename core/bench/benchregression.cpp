#include "core/bench/benchregression.h"

#include <cmath>
#include <functional>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

struct Metric
{
    const char16_t *name;
    std::function<double(const BenchRepetition &)> value;
    bool higherIsWorse;
};

const QList<Metric> &metrics()
{
    static const QList<Metric> all{
        {u"ttft_p50_ms", [](const BenchRepetition &r) { return r.ttftP50Ms; }, true},
        {u"tpot_p50_ms", [](const BenchRepetition &r) { return r.tpotP50Ms; }, true},
        {u"e2e_p50_ms", [](const BenchRepetition &r) { return r.e2eP50Ms; }, true},
        {u"output_tok_per_s", [](const BenchRepetition &r) { return r.outputTokPerS; }, false},
        {u"req_per_s", [](const BenchRepetition &r) { return r.reqPerS; }, false},
    };
    return all;
}

bool sameCell(const BenchCell &a, const BenchCell &b)
{
    return a.target.text == b.target.text && a.mode == b.mode && a.concurrency == b.concurrency && a.rate == b.rate
        && a.promptTokens == b.promptTokens;
}

QString cellLabel(const BenchCell &cell)
{
    return u"%1 %2 p=%3"_s.arg(cell.target.text, cell.loadLabel()).arg(cell.promptTokens);
}

} // namespace

QString BenchRegressionFinding::describe() const
{
    return u"%1: %2 %3 vs baseline %4 ± %5 (allowed %6)"_s.arg(cell, metric)
        .arg(current, 0, 'f', 2)
        .arg(baselineMean, 0, 'f', 2)
        .arg(baselineStddev, 0, 'f', 2)
        .arg(band, 0, 'f', 2);
}

QList<BenchRegressionFinding> BenchRegression::compare(BenchRunResult &run, const BenchRunResult &baseline)
{
    QList<BenchRegressionFinding> findings;
    for (BenchCell &cell : run.cells) {
        const BenchCell *base = nullptr;
        for (const BenchCell &candidate : baseline.cells) {
            if (sameCell(cell, candidate))
                base = &candidate;
        }
        if (!base) {
            cell.flags << u"no_baseline_cell"_s;
            continue;
        }
        if (base->repetitions.size() < 2) {
            cell.flags << u"baseline_no_spread"_s;
            continue;
        }
        if (cell.repetitions.isEmpty())
            continue;
        for (const Metric &metric : metrics()) {
            QList<double> values;
            for (const BenchRepetition &r : base->repetitions)
                values << metric.value(r);
            const BenchDistribution b = BenchDistribution::of(values);
            double current = 0;
            for (const BenchRepetition &r : cell.repetitions)
                current += metric.value(r);
            current /= double(cell.repetitions.size());
            const double floor = metric.higherIsWorse ? kLatencyFloorMs : kThroughputFloorFraction * std::abs(b.mean);
            const double band = qMax(kSpreads * b.stddev, floor);
            const double worse = metric.higherIsWorse ? current - b.mean : b.mean - current;
            if (worse > band) {
                const QString name = QString::fromUtf16(metric.name);
                cell.flags << u"regression:"_s + name;
                findings << BenchRegressionFinding{cellLabel(cell), name, b.mean, b.stddev, current, band};
            }
        }
    }
    return findings;
}

} // namespace boo
