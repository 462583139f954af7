#pragma once

#include "core/bench/benchrun.h"

#include <QList>
#include <QString>

namespace boo {

// One metric of one cell that moved beyond the baseline's spread in the bad direction.
struct BenchRegressionFinding
{
    QString cell;   // "h/m c=4 p=1024"
    QString metric; // "ttft_p50_ms", ...
    double baselineMean = 0;
    double baselineStddev = 0;
    double current = 0;
    double band = 0; // how far it could move before it counted

    QString describe() const;
};

// Regressions against a baseline run of the same suite (docs/bench.md, "Baselines and
// regressions"). Each cell is matched with the baseline's cell of the same target, load and
// prompt size. For each metric the baseline's repetitions give a mean and a spread (their sample
// standard deviation); the new cell's mean over its repetitions is a regression when it is worse
// than the baseline's mean by more than three of those standard deviations. The band is the
// baseline's own noise, not a fixed percentage: a steady host gets a tight band, a noisy one a
// wide band. A baseline cell of one repetition has no spread and judges nothing (the cell is
// flagged `baseline_no_spread`). Latencies (TTFT, TPOT, e2e p50 per repetition) regress upwards,
// throughputs (output tokens/s, requests/s) downwards.
class BenchRegression final
{
public:
    // The band never goes below the resolution of the figures (0.1 ms; 0.1 % of a throughput),
    // or identical repetitions would flag every rounding difference.
    static constexpr double kLatencyFloorMs = 0.1;
    static constexpr double kThroughputFloorFraction = 0.001;
    static constexpr double kSpreads = 3.0;

    // Flags the cells of `run` ("regression:<metric>", "baseline_no_spread", "no_baseline_cell")
    // and returns the findings.
    static QList<BenchRegressionFinding> compare(BenchRunResult &run, const BenchRunResult &baseline);
};

} // namespace boo
