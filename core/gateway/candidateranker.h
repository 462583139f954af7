#pragma once

#include "core/actions/hostlease.h"
#include "core/common/enumnames.h"
#include "core/gateway/routepolicy.h"
#include "core/providers/providerconfig.h"

#include <QJsonArray>
#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace boo {

class CircuitBreaker;
class FleetState;
struct HostState;

// How ready a candidate is to answer, best first.
enum class CandidateTier { Idle, Busy, Loading, Cold, Saturated, Cloud };
inline constexpr EnumName<CandidateTier> kCandidateTierNames[] = {
    {CandidateTier::Idle, u"idle"}, {CandidateTier::Busy, u"busy"},           {CandidateTier::Loading, u"loading"},
    {CandidateTier::Cold, u"cold"}, {CandidateTier::Saturated, u"saturated"}, {CandidateTier::Cloud, u"cloud"},
};
QString candidateTierName(CandidateTier tier);
std::optional<CandidateTier> candidateTierFromName(QStringView name);

struct RankedCandidate
{
    QString spec; // the policy entry it came from
    int specIndex = 0;
    QString providerId;
    QString model; // the id the host knows it by
    ProviderKind kind = ProviderKind::LlamaSwap;
    CandidateTier tier = CandidateTier::Idle;
    int inflight = 0;
    int concurrencyLimit = 0;
    qint64 expectedWaitMs = 0; // a cold start's expected load time
    bool hostBusy = false;     // another model on the host has requests in flight
    // Not known to serve the endpoint (embeddings on a model nothing says embeds): tried in case
    // it does, so any error answer moves on to the next candidate.
    bool probe = false;
    std::optional<qint64> contextLength;
    std::optional<double> tokensPerSecond;
    QString why; // "loaded and idle", "cold: loads in ~4.2 s"

    QString directId() const { return providerId + u'/' + model; }
    QJsonObject toJson() const;
};

struct SkippedCandidate
{
    QString spec;
    QString providerId;
    QString model;
    QString reason;

    QJsonObject toJson() const;
};

struct Ranking
{
    QList<RankedCandidate> ranked;
    QList<SkippedCandidate> skipped;

    // The wire form of POST /api/routing/test's "ranking" (RoutingApi writes it, attached cockpits
    // read it back). Reading is strict: a field of the wrong type is an error naming it.
    QJsonObject toJson() const;
    static Result<Ranking> fromJson(const QJsonObject &object);
    // "gpu-box/qwen3: host is down; mini/llama: prompt ~9000 tokens exceeds the context of 8192"
    QString skippedSummary() const;
};

// Orders a policy's candidates for one request against the fleet as it is now (docs/gateway.md,
// "Ranking"). Reads FleetState and in-memory books only: it runs on every request.
class CandidateRanker final
{
public:
    struct Inputs
    {
        const FleetState *fleet = nullptr;
        QList<ProviderConfig> providers; // registry order
        const CircuitBreaker *breaker = nullptr;
        QList<HostLease> leases;
        // Requests the gateway itself has in flight to a host's model (FleetState lags behind).
        std::function<int(const QString &provider, const QString &model)> ownInflight;
        // Recent decode speed of a host's model, tokens/s (the Fastest strategy).
        std::function<std::optional<double>(const QString &provider, const QString &model)> speed;
        // What earlier attempts showed: the model answered /v1/embeddings (true) or refused it.
        std::function<std::optional<bool>(const QString &provider, const QString &model)> embeds;
        int defaultConcurrencyLimit = 10;  // llama-swap's default
        qint64 defaultColdStartMs = 30000; // a model never seen loading
        qint64 nowMs = 0;
    };

    static Ranking rank(const RoutePolicy &policy, const RouteFacts &facts, const Inputs &inputs);
    // A direct id (<provider>/<model>): the same filters for that one candidate.
    static Ranking rankDirect(const QString &providerId, const QString &model, const RouteFacts &facts, const Inputs &inputs);
};

} // namespace boo
