#pragma once

#include "core/bench/benchdistribution.h"
#include "core/bench/benchsample.h"
#include "core/bench/benchsuite.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QStringList>
#include <QStringView>

#include <optional>

namespace boo {

// What one repetition of a cell measured, as single figures: the spread of these across
// repetitions is what a later run is compared with (BenchRegression).
struct BenchRepetition
{
    double ttftP50Ms = 0;
    double tpotP50Ms = 0;
    double e2eP50Ms = 0;
    double reqPerS = 0;
    double outputTokPerS = 0;
    int requests = 0;
    int errors = 0;
    double durationS = 0;
};

// Flags a cell can carry (stored, and printed in the table).
inline constexpr QStringView kBenchFlagPolluted = u"foreign_traffic";       // others used the host during the cell
inline constexpr QStringView kBenchFlagForeignUnknown = u"foreign_unknown"; // the host could not be asked
inline constexpr QStringView kBenchFlagErrors = u"errors";                  // at least one request failed
inline constexpr QStringView kBenchFlagNoSuccess = u"no_success";           // nothing succeeded: no latency figures

// One cell: a target at one load and one prompt size, over all its repetitions.
struct BenchCell
{
    BenchTarget target;
    BenchLoadMode mode = BenchLoadMode::Concurrency;
    int concurrency = 0; // mode Concurrency
    double rate = 0;     // mode Rate
    int promptTokens = 0;

    int requests = 0; // measured, all repetitions
    int errors = 0;
    QMap<QString, int> errorsByKind;
    BenchDistribution ttftMs;
    BenchDistribution tpotMs;
    BenchDistribution itlMs; // every gap of every request, pooled
    BenchDistribution e2eMs;
    double reqPerS = 0; // successful requests per second of measured time (mean of repetitions)
    double outputTokPerS = 0;
    double totalTokPerS = 0;
    double goodputReqPerS = 0;                    // successful requests meeting every SLO, per second
    std::optional<double> hostPromptPerSecond;    // mean of the host's timings
    std::optional<double> hostPredictedPerSecond; // mean of the host's timings
    std::optional<int> foreignRequests;           // unknown when the host could not be asked
    int reruns = 0;
    QStringList flags;
    QList<BenchRepetition> repetitions;
    QList<BenchSample> samples;

    // Everything above from the samples of each repetition (warmups excluded by the caller).
    static BenchCell summarise(const BenchTarget &target, const BenchSuite &suite, int loadIndex, int promptTokens,
                               const QList<QList<BenchSample>> &repetitionSamples, const QList<double> &repetitionSeconds);

    QString loadLabel() const;
    // The cell as the command line's JSON and the API show it (docs/bench.md).
    QJsonObject toJson() const;
    // The metric definitions stored with every run, so that numbers can be compared with other
    // tools that use the same words differently.
    static QJsonObject formulas();
};

} // namespace boo
