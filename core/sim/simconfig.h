#pragma once

#include "core/common/enumnames.h"
#include "core/common/result.h"

#include <QHostAddress>
#include <QList>
#include <QString>
#include <QStringList>

namespace boo {

// Which llama-swap release a simulated host imitates (reference §12; choices in docs/simfleet.md).
// V260 is the newest release shape (v251-v260, docs/protocol.md "v251-v260"); Current stays the
// reference's commit (v250-5) because every fixture describes it.
enum class SimCompat { Current, V250, V235, V260 };
inline constexpr EnumName<SimCompat> kSimCompatNames[] = {
    {SimCompat::Current, u"current"},
    {SimCompat::V260, u"v260"},
    {SimCompat::V250, u"v250"},
    {SimCompat::V235, u"v235"},
};

QString simCompatName(SimCompat compat);
// An empty name means Current (a config line without `compat`).
std::optional<SimCompat> simCompatFromName(QStringView name);

// A scripted answer: a model asked a prompt that contains `promptContains` (empty: any prompt)
// answers `text` instead of generated words, so evals can be tested against models whose
// answers are known (right, wrong, a program that never ends).
struct SimScriptedAnswer
{
    QString promptContains;
    QString text;
};

// One model in a simulated host's config.
struct SimModelConfig
{
    QString id;
    QString name;
    QString description;
    QStringList aliases;
    bool unlisted = false;

    // A `capabilities:` block. Without one the model reports no capabilities at all.
    bool hasCapabilities = false;
    QStringList inputModalities{QStringLiteral("text")};
    QStringList outputModalities{QStringLiteral("text")};
    bool tools = false;
    bool reranker = false;
    int contextLength = 0;
    bool embeddings = false; // an embedding model (answers /v1/embeddings)

    // Only one model of a group runs at a time; groups do not evict each other.
    QString group = QStringLiteral("(default)");
    int ttlMs = 0;            // 0: never unloaded for idleness
    int loadMs = 2000;        // starting -> ready
    int unloadMs = 300;       // stopping -> stopped
    int concurrencyLimit = 0; // 0: llama-swap's default of 10

    double promptTokensPerSecond = 1500;
    double generationTokensPerSecond = 60;
    int timeToFirstTokenMs = 120; // fixed overhead before prompt processing
    // Load: requests running together on one model share its GPU, so each one's prompt
    // processing and decoding take longer. With n running (this one included) a request's prompt
    // time is multiplied by 1 + prefillLoad × (n − 1) and its generation time by
    // 1 + decodeLoad × (n − 1), fixed when it starts. 0 (the default): no interference.
    double prefillLoad = 0;
    double decodeLoad = 0;
    int defaultMaxTokens = 200;
    double cacheFraction = 0.3; // share of the prompt served from the KV cache after the first request
    bool timings = true;        // llama-server `timings` (false: usage only, speeds -1)
    bool speculative = false;   // draft_n / draft_n_accepted in timings

    int vramMb = 12000;
    QList<int> gpus; // GPU indices holding the model; empty: split over all

    // Chat and text completions; the first that matches the last user message wins.
    QList<SimScriptedAnswer> answers;
    const SimScriptedAnswer *scriptedAnswer(const QString &prompt) const;

    // Defaults that look like a real model of that name ("llama-3.3-70b" is slow and big).
    static SimModelConfig fromName(const QString &id);
};

struct SimGpuConfig
{
    QString name = QStringLiteral("NVIDIA GeForce RTX 4090");
    QString uuid;
    int memoryTotalMb = 24564;
    double idlePowerW = 22;
    double maxPowerW = 450;
    int idleTempC = 36;
    int maxTempC = 78;
    // Apple-style unified memory through ioreg: no temperature, power or fan readings.
    bool unifiedMemory = false;
};

// Internal requests a host makes to itself at a steady average rate (the demo's traffic).
struct SimBackgroundTraffic
{
    double requestsPerMinute = 0; // 0: off
    double streamRatio = 0.7;
    double errorRatio = 0.02; // share answered with an injected 500
    QStringList models;       // empty: every listed non-embedding model
};

struct SimHostConfig
{
    QString name;
    QHostAddress address = QHostAddress(QHostAddress::LocalHost);
    quint16 port = 0; // 0: any free port
    SimCompat compat = SimCompat::Current;
    QString version; // /api/version "version"; empty: derived from compat
    QStringList apiKeys;
    int utcOffsetSeconds = 0;
    QList<SimModelConfig> models;

    QList<SimGpuConfig> gpus;
    QString cpuModel = QStringLiteral("AMD Ryzen 9 7950X 16-Core Processor");
    int cpuCores = 16;
    int memoryTotalMb = 128535;
    bool performanceDisabled = false;
    int perfIntervalMs = 5000;
    int perfRingCapacity = 0; // 0: 3600 s / interval, capped at 4000

    int metricsMaxInMemory = 1000;
    // v260: `globalConcurrencyLimit`, requests of all models together beyond it get 429; 0 = none.
    // Published in `uiConfig` (our reading, docs/protocol.md).
    int globalConcurrencyLimit = 0;
    qint64 captureBufferBytes = 5 * 1000 * 1000;
    int ttlCheckIntervalMs = 1000;
    int inflightThrottleMs = 250;
    int tickMs = 20; // token emission granularity for real-time streams
    int restartDownMs = 1000;
    QStringList sessionIdHeaders{QStringLiteral("X-Session-ID"), QStringLiteral("X-Litellm-Session-Id")};
    SimBackgroundTraffic background;
    quint32 seed = 1;

    QString effectiveVersion() const;
    // "name=h1,port=18101,models=a:b,compat=v250,api-key=K,tz=+02:00,max-rows=N,..." (see docs/simfleet.md).
    static Result<SimHostConfig> fromSpec(QStringView spec);
};

} // namespace boo
