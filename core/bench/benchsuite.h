#pragma once

#include "core/common/enumnames.h"

#include <QList>
#include <QString>

#include <optional>

namespace boo {

// What one suite target names: a host's model (`provider/model`) or a virtual model of the
// gateway (`auto`, `auto:code`, a user policy), which only a gateway can resolve.
struct BenchTarget
{
    QString text;     // as written in the suite: the cell's label and the gateway's model id
    QString provider; // empty for a virtual model
    QString model;    // the host's model id; for a virtual model the same as `text`

    bool isVirtual() const { return provider.isEmpty(); }
    friend bool operator==(const BenchTarget &, const BenchTarget &) = default;
};

// Closed loop: N clients, each sending its next request when the last one finished (the load
// follows the server's speed). Open loop: requests arrive as a Poisson process of a given rate,
// whatever the server does (the load is fixed, queues may grow).
enum class BenchLoadMode { Concurrency, Rate };
inline constexpr EnumName<BenchLoadMode> kBenchLoadModeNames[] = {
    {BenchLoadMode::Concurrency, u"concurrency"},
    {BenchLoadMode::Rate, u"rate"},
};

// Service-level objectives a request must meet to count towards goodput; unset = no limit.
struct BenchSlo
{
    std::optional<double> ttftMs;
    std::optional<double> tpotMs;
    std::optional<double> e2eMs;

    bool isEmpty() const { return !ttftMs && !tpotMs && !e2eMs; }
    friend bool operator==(const BenchSlo &, const BenchSlo &) = default;
};

// A benchmark suite as read from its YAML file (docs/bench.md): which targets, at which loads
// and prompt sizes, how often. Every field has been validated by BenchSuiteParser.
struct BenchSuite
{
    QString name;
    QString description;
    QList<BenchTarget> targets;
    BenchLoadMode mode = BenchLoadMode::Concurrency;
    QList<int> concurrency; // mode Concurrency: clients per cell
    QList<double> rates;    // mode Rate: requests per second per cell
    QList<int> promptTokens{256};
    int maxTokens = 128;
    int repetitions = 3;
    int warmup = 2;
    // Measured requests per repetition of a cell; 0 = the default for its load (requestsFor()).
    int requests = 0;
    bool coldStart = false;
    BenchSlo slo;
    quint32 seed = 1;
    // How often a cell that saw foreign traffic is run again before it is kept as polluted.
    int rerunPolluted = 0;
    // No first byte within this time: the request counts as a timeout error.
    int timeoutMs = 120000;
    QString sourceFile; // where it was read from (for messages), empty for an API body

    // The number of load points of the suite (concurrency levels or rates).
    int loadCount() const { return mode == BenchLoadMode::Concurrency ? int(concurrency.size()) : int(rates.size()); }
    // Measured requests of one repetition at load point `loadIndex`: enough that every client of
    // a closed loop sends several (so the steady state dominates), or about ten seconds of arrivals.
    int requestsFor(int loadIndex) const;
    // "c=4" or "rate=2.5/s", for tables and progress lines.
    QString loadLabel(int loadIndex) const;
};

} // namespace boo
