#include "core/gateway/candidateranker.h"

#include "core/common/jsonreader.h"
#include "core/common/rfc3339formatter.h"
#include "core/fleet/fleetstate.h"
#include "core/gateway/circuitbreaker.h"
#include "core/gateway/modelkind.h"

#include <QSet>

#include <algorithm>
#include <limits>
#include <tuple>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

QString seconds(qint64 ms)
{
    return QString::number(double(ms) / 1000.0, 'f', 1);
}

class Expander
{
public:
    Expander(const RouteFacts &facts, const CandidateRanker::Inputs &in, Ranking &out)
        : m_facts(facts)
        , m_in(in)
        , m_out(out)
    {
    }

    void expand(const CandidateSpec &spec, int index)
    {
        bool anyProvider = false;
        for (const ProviderConfig &p : m_in.providers) {
            if (!spec.matchesProvider(p))
                continue;
            anyProvider = true;
            if (!p.enabled) {
                if (spec.hosts == CandidateSpec::Hosts::Provider)
                    skip(spec, p.id, spec.model, u"the provider is disabled"_s);
                continue;
            }
            if (p.kind == ProviderKind::LlamaSwap)
                expandHost(spec, index, p);
            else
                expandCloud(spec, index, p);
        }
        if (!anyProvider && spec.hosts == CandidateSpec::Hosts::Provider)
            skip(spec, spec.host, spec.model, u"no provider with this id is configured"_s);
    }

private:
    void skip(const CandidateSpec &spec, const QString &provider, const QString &model, const QString &reason)
    {
        m_out.skipped.append({spec.text, provider, model, reason});
    }

    bool firstSight(const QString &provider, const QString &model)
    {
        const QString key = provider + u'/' + model;
        if (m_seen.contains(key))
            return false;
        m_seen.insert(key);
        return true;
    }

    void expandCloud(const CandidateSpec &spec, int index, const ProviderConfig &p)
    {
        // A cloud provider's model list is not watched: only named models are candidates.
        if (spec.modelIsPattern() || !firstSight(p.id, spec.model))
            return;
        if (m_facts.endpoint == GatewayEndpoint::Upstream)
            return skip(spec, p.id, spec.model, u"remote providers have no /upstream routes"_s);
        if (m_in.breaker) {
            if (const auto refused = m_in.breaker->refusal(p.id, m_in.nowMs))
                return skip(spec, p.id, spec.model, *refused);
        }
        RankedCandidate c;
        c.spec = spec.text;
        c.specIndex = index;
        c.providerId = p.id;
        c.model = spec.model;
        c.kind = p.kind;
        c.tier = CandidateTier::Cloud;
        c.why = u"remote OpenAI-compatible provider"_s;
        c.tokensPerSecond = m_in.speed ? m_in.speed(p.id, spec.model) : std::nullopt;
        m_out.ranked.append(c);
    }

    void expandHost(const CandidateSpec &spec, int index, const ProviderConfig &p)
    {
        const std::optional<HostState> view = m_in.fleet ? m_in.fleet->host(p.id) : std::nullopt;
        if (!view) {
            if (spec.hosts == CandidateSpec::Hosts::Provider)
                skip(spec, p.id, spec.model, u"the host is not watched yet"_s);
            return;
        }
        bool matched = false;
        for (const HostedModel &m : view->models) {
            if (spec.modelIsPattern()) {
                if (m.unlisted || !m.peerId.isEmpty() || !spec.matchesModel(m.id))
                    continue;
            } else if (m.id != spec.model && !m.aliases.contains(spec.model)) {
                continue;
            }
            matched = true;
            if (firstSight(p.id, m.id))
                evaluate(spec, index, p, *view, m);
        }
        if (!matched && !spec.modelIsPattern() && spec.hosts == CandidateSpec::Hosts::Provider)
            skip(spec, p.id, spec.model, u"the host has no model \"%1\""_s.arg(spec.model));
    }

    int inflightOf(const QString &provider, const HostedModel &m) const
    {
        const int own = m_in.ownInflight ? m_in.ownInflight(provider, m.id) : 0;
        return std::max(m.inflight, own);
    }

    void evaluate(const CandidateSpec &spec, int index, const ProviderConfig &p, const HostState &view, const HostedModel &m)
    {
        const auto reject = [&](const QString &reason) { skip(spec, p.id, m.id, reason); };
        bool probe = false;
        if (spec.modelIsPattern() && m_facts.endpoint != GatewayEndpoint::Upstream) {
            const std::optional<bool> learned = m_in.embeds ? m_in.embeds(p.id, m.id) : std::nullopt;
            const ModelKindVerdict verdict = ModelKindJudge::judge(m.id, m.capabilities, learned);
            if (m_facts.endpoint == GatewayEndpoint::Embeddings) {
                if (learned == false)
                    return reject(u"not an embedding model (it refused /v1/embeddings before)"_s);
                if (verdict.kind == ModelKind::Generative || verdict.kind == ModelKind::Reranker)
                    return reject(u"not an embedding model (%1)"_s.arg(verdict.basis));
                probe = verdict.kind == ModelKind::Unknown;
            } else if (verdict.kind == ModelKind::Embedding) {
                return reject(u"an embedding model (%1)"_s.arg(verdict.basis));
            } else if (verdict.kind == ModelKind::Reranker) {
                return reject(u"a reranker (%1)"_s.arg(verdict.basis));
            }
        }
        if (view.liveness != Liveness::Connected) {
            const QString state = livenessName(view.liveness);
            return reject(view.lastError.isEmpty() ? u"the host is %1"_s.arg(state) : u"the host is %1: %2"_s.arg(state, view.lastError));
        }
        if (m_in.breaker) {
            if (const auto refused = m_in.breaker->refusal(p.id, m_in.nowMs))
                return reject(*refused);
        }
        if (m.contextLength && *m.contextLength > 0 && m_facts.promptTokens > *m.contextLength)
            return reject(
                u"the prompt (~%1 tokens) does not fit the context of %2 tokens"_s.arg(m_facts.promptTokens).arg(*m.contextLength));

        RankedCandidate c;
        c.spec = spec.text;
        c.specIndex = index;
        c.providerId = p.id;
        c.model = m.id;
        c.kind = p.kind;
        c.probe = probe;
        c.contextLength = m.contextLength;
        c.inflight = inflightOf(p.id, m);
        c.concurrencyLimit = m_in.defaultConcurrencyLimit;
        c.tokensPerSecond = m_in.speed ? m_in.speed(p.id, m.id) : std::nullopt;
        int hostInflight = c.inflight;
        for (const HostedModel &other : view.models) {
            const int n = other.id != m.id ? inflightOf(p.id, other) : 0;
            c.hostBusy = c.hostBusy || n > 0;
            hostInflight += n;
        }
        // A host's globalConcurrencyLimit (v251+) caps all its models together: no model gets
        // more slots than it, and a host that has used them all answers 429 to anything.
        const std::optional<qint64> global = view.globalConcurrencyLimit;
        if (global)
            c.concurrencyLimit = int(std::min<qint64>(c.concurrencyLimit, *global));
        const bool hostFull = global && hostInflight >= *global;
        const qint64 loadMs = m.lastLoadMs.value_or(m_in.defaultColdStartMs);
        switch (m.state) {
        case ModelState::Ready:
            if (c.inflight == 0) {
                c.tier = CandidateTier::Idle;
                c.why = u"loaded and idle"_s;
            } else if (c.inflight < c.concurrencyLimit) {
                c.tier = CandidateTier::Busy;
                c.why = u"loaded, %1 of %2 slots busy"_s.arg(c.inflight).arg(c.concurrencyLimit);
            } else {
                c.tier = CandidateTier::Saturated;
                c.why = u"loaded, at its concurrency limit (%1 of %2 busy)"_s.arg(c.inflight).arg(c.concurrencyLimit);
            }
            break;
        case ModelState::Starting:
            c.tier = CandidateTier::Loading;
            c.expectedWaitMs = std::max<qint64>(0, loadMs - (m_in.nowMs - m.stateSinceMs));
            c.why = u"loading now, ready in ~%1 s"_s.arg(seconds(c.expectedWaitMs));
            break;
        default:
            for (const HostLease &lease : m_in.leases) {
                if (lease.providerId == p.id && lease.isActive(m_in.nowMs) && lease.model != m.id) {
                    const QString until = Rfc3339Formatter::utcMs(lease.expiresAt, Rfc3339Formatter::Fraction::None);
                    return reject(u"the host is leased to %1 until %2%3: loading %4 would evict what it holds"_s.arg(
                        lease.holder, until, lease.reason.isEmpty() ? QString() : u" ("_s + lease.reason + u')', m.id));
                }
            }
            c.tier = CandidateTier::Cold;
            c.expectedWaitMs = loadMs;
            c.why = u"cold: loads in ~%1 s%2"_s.arg(seconds(loadMs), c.hostBusy ? u", after the host's running requests"_s : QString());
            break;
        }
        if (hostFull && c.tier != CandidateTier::Saturated) {
            c.tier = CandidateTier::Saturated;
            c.why = u"the host is at its global concurrency limit (%1 of %2 busy)"_s.arg(hostInflight).arg(*global);
        }
        if (c.probe)
            c.why += u"; not known to embed, tried in case it does"_s;
        m_out.ranked.append(c);
    }

    const RouteFacts &m_facts;
    const CandidateRanker::Inputs &m_in;
    Ranking &m_out;
    QSet<QString> m_seen;
};

double loadRatio(const RankedCandidate &c)
{
    return c.concurrencyLimit > 0 ? double(c.inflight) / double(c.concurrencyLimit) : 0;
}

// Within a tier: fewer requests in flight first; cold starts on idle hosts, then the quickest.
auto tierKey(const RankedCandidate &c)
{
    return std::make_tuple(int(c.tier), c.tier == CandidateTier::Cold && c.hostBusy ? 1 : 0, loadRatio(c), c.expectedWaitMs);
}

void order(QList<RankedCandidate> &list, RouteStrategy strategy)
{
    const auto by = [&list](auto key) {
        std::stable_sort(list.begin(), list.end(), [&key](const RankedCandidate &a, const RankedCandidate &b) { return key(a) < key(b); });
    };
    switch (strategy) {
    case RouteStrategy::Ranked: by([](const RankedCandidate &c) { return std::make_tuple(tierKey(c), c.specIndex); }); break;
    case RouteStrategy::Ordered: by([](const RankedCandidate &c) { return std::make_tuple(c.specIndex, tierKey(c)); }); break;
    case RouteStrategy::Fastest:
        // Unknown speeds sort after every known one of the same tier.
        by([](const RankedCandidate &c) {
            return std::make_tuple(int(c.tier), -c.tokensPerSecond.value_or(-1.0), tierKey(c), c.specIndex);
        });
        break;
    case RouteStrategy::Cheapest:
        by([](const RankedCandidate &c) {
            return std::make_tuple(c.kind == ProviderKind::LlamaSwap ? 0 : 1, int(c.tier), c.expectedWaitMs, loadRatio(c), c.specIndex);
        });
        break;
    }
}

} // namespace

QString candidateTierName(CandidateTier tier)
{
    return enumNameString(kCandidateTierNames, tier);
}

std::optional<CandidateTier> candidateTierFromName(QStringView name)
{
    return enumFromName(kCandidateTierNames, name);
}

QJsonObject RankedCandidate::toJson() const
{
    QJsonObject o{{u"candidate"_s, spec}, {u"provider"_s, providerId}, {u"model"_s, model},           {u"tier"_s, candidateTierName(tier)},
                  {u"why"_s, why},        {u"inflight"_s, inflight},   {u"limit"_s, concurrencyLimit}};
    if (expectedWaitMs > 0)
        o.insert(u"expected_wait_ms"_s, expectedWaitMs);
    if (probe)
        o.insert(u"probe"_s, true);
    if (contextLength)
        o.insert(u"context_length"_s, *contextLength);
    if (tokensPerSecond)
        o.insert(u"tokens_per_second"_s, *tokensPerSecond);
    return o;
}

QJsonObject SkippedCandidate::toJson() const
{
    return QJsonObject{{u"candidate"_s, spec}, {u"provider"_s, providerId}, {u"model"_s, model}, {u"skipped"_s, reason}};
}

QJsonObject Ranking::toJson() const
{
    QJsonArray r, s;
    for (const RankedCandidate &c : ranked)
        r.append(c.toJson());
    for (const SkippedCandidate &c : skipped)
        s.append(c.toJson());
    return QJsonObject{{u"ranked"_s, r}, {u"skipped"_s, s}};
}

namespace {

constexpr JsonErrorCodes kWireCodes{"routing.wire", "routing.wire", "routing.wire"};

Result<RankedCandidate> rankedFromJson(const QJsonObject &object, const QString &context)
{
    constexpr int kMaxInt = std::numeric_limits<int>::max();
    JsonReader f(object, context, kWireCodes);
    RankedCandidate c;
    c.spec = f.string(u"candidate"_s);
    c.providerId = f.string(u"provider"_s, JsonReader::Required);
    c.model = f.string(u"model"_s);
    c.tier = f.enumValue(u"tier"_s, kCandidateTierNames, JsonReader::Required).value_or(CandidateTier::Idle);
    c.why = f.string(u"why"_s);
    c.probe = f.boolean(u"probe"_s);
    c.inflight = int(f.integerIn(u"inflight"_s, 0, kMaxInt).value_or(0));
    c.concurrencyLimit = int(f.integerIn(u"limit"_s, 0, kMaxInt).value_or(0));
    c.expectedWaitMs = f.integer(u"expected_wait_ms"_s);
    c.contextLength = f.optionalInteger(u"context_length"_s);
    c.tokensPerSecond = f.optionalNumber(u"tokens_per_second"_s);
    if (!f.failed() && c.providerId.isEmpty())
        f.failValue(u"provider"_s, u"is empty"_s);
    if (f.failed())
        return f.error();
    return c;
}

Result<SkippedCandidate> skippedFromJson(const QJsonObject &object, const QString &context)
{
    JsonReader f(object, context, kWireCodes);
    SkippedCandidate c{f.string(u"candidate"_s), f.string(u"provider"_s), f.string(u"model"_s), f.string(u"skipped"_s)};
    if (f.failed())
        return f.error();
    return c;
}

} // namespace

Result<Ranking> Ranking::fromJson(const QJsonObject &object)
{
    JsonReader f(object, u"ranking"_s, kWireCodes);
    const QList<QJsonObject> ranked = f.objectList(u"ranked"_s);
    const QList<QJsonObject> skipped = f.objectList(u"skipped"_s);
    if (f.failed())
        return f.error();
    Ranking r;
    for (qsizetype i = 0; i < ranked.size(); ++i) {
        auto candidate = rankedFromJson(ranked.at(i), u"ranked candidate %1"_s.arg(i));
        if (!candidate)
            return candidate.error();
        r.ranked << *candidate;
    }
    for (qsizetype i = 0; i < skipped.size(); ++i) {
        auto candidate = skippedFromJson(skipped.at(i), u"skipped candidate %1"_s.arg(i));
        if (!candidate)
            return candidate.error();
        r.skipped << *candidate;
    }
    return r;
}

QString Ranking::skippedSummary() const
{
    QStringList parts;
    for (const SkippedCandidate &c : skipped)
        parts << u"%1/%2: %3"_s.arg(c.providerId, c.model, c.reason);
    return parts.join(u"; "_s);
}

Ranking CandidateRanker::rank(const RoutePolicy &policy, const RouteFacts &facts, const Inputs &inputs)
{
    Ranking out;
    Expander expander(facts, inputs, out);
    for (int i = 0; i < policy.candidates.size(); ++i)
        expander.expand(policy.candidates.at(i), i);
    // Models that may or may not embed are tried only when nothing is known to: each probe can
    // cost a load (and an eviction) just to learn that the model does not.
    const bool anyKnown = std::any_of(out.ranked.cbegin(), out.ranked.cend(), [](const RankedCandidate &c) { return !c.probe; });
    if (anyKnown) {
        out.ranked.removeIf([&out](const RankedCandidate &c) {
            if (c.probe)
                out.skipped.append({c.spec, c.providerId, c.model, u"not known to embed, and other candidates are"_s});
            return c.probe;
        });
    }
    order(out.ranked, policy.strategy);
    return out;
}

Ranking CandidateRanker::rankDirect(const QString &providerId, const QString &model, const RouteFacts &facts, const Inputs &inputs)
{
    RoutePolicy direct;
    direct.name = providerId + u'/' + model;
    direct.strategy = RouteStrategy::Ordered;
    CandidateSpec spec;
    spec.hosts = CandidateSpec::Hosts::Provider;
    spec.host = providerId;
    spec.model = model;
    spec.text = direct.name;
    direct.candidates << spec;
    return rank(direct, facts, inputs);
}

} // namespace boo
