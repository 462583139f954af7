#include "core/fleet/fleetstate.h"
#include "core/gateway/candidateranker.h"
#include "core/gateway/circuitbreaker.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

namespace {

constexpr qint64 kNow = 1'790'000'000'000;

ModelStatus model(const QString &id, ModelState state, std::optional<qint64> context = 32768)
{
    ModelStatus s;
    s.id = id;
    s.state = state;
    s.stateText = modelStateName(state);
    s.contextLength = context;
    return s;
}

ProviderConfig provider(const QString &id, ProviderKind kind = ProviderKind::LlamaSwap, QStringList tags = {})
{
    ProviderConfig p;
    p.id = id;
    p.name = id;
    p.kind = kind;
    p.baseUrl = QUrl(u"http://127.0.0.1:1"_s);
    p.tags = tags;
    return p;
}

QStringList ids(const Ranking &r)
{
    QStringList out;
    for (const RankedCandidate &c : r.ranked)
        out << c.directId();
    return out;
}

QString skipReason(const Ranking &r, const QString &directId)
{
    for (const SkippedCandidate &s : r.skipped) {
        if (s.providerId + u'/' + s.model == directId)
            return s.reason;
    }
    return {};
}

RoutePolicy policy(QStringList candidates, RouteStrategy strategy = RouteStrategy::Ranked)
{
    RoutePolicy p;
    p.name = u"test"_s;
    p.strategy = strategy;
    for (const QString &c : candidates)
        p.candidates << *CandidateSpec::parse(c);
    return p;
}

} // namespace

class TestCandidateRanker : public QObject
{
    Q_OBJECT

    FleetState *m_fleet = nullptr;
    CircuitBreaker m_breaker;
    QHash<QString, int> m_inflight;
    QHash<QString, double> m_speed;
    CandidateRanker::Inputs m_in;
    RouteFacts m_facts;

    Ranking rank(const RoutePolicy &p) { return CandidateRanker::rank(p, m_facts, m_in); }

private Q_SLOTS:
    void init()
    {
        m_fleet = new FleetState(this);
        for (const QString &id : {u"a"_s, u"b"_s}) {
            m_fleet->addHost(id, id, u"http://127.0.0.1:1"_s);
            m_fleet->setLiveness(id, Liveness::Connected, kNow);
        }
        m_fleet->applyModelStatus(u"a"_s,
                                  {model(u"qwen3-8b"_s, ModelState::Ready), model(u"qwen-coder"_s, ModelState::Stopped),
                                   model(u"nomic-embed"_s, ModelState::Ready)},
                                  kNow);
        m_fleet->applyModelStatus(u"b"_s, {model(u"qwen3-8b"_s, ModelState::Ready, 1000), model(u"big-70b"_s, ModelState::Stopped)}, kNow);
        m_breaker = CircuitBreaker();
        m_inflight = {{u"a/qwen3-8b"_s, 3}};
        m_speed.clear();
        m_in = {};
        m_in.fleet = m_fleet;
        m_in.providers
            = {provider(u"a"_s, ProviderKind::LlamaSwap, {u"code"_s}), provider(u"b"_s), provider(u"cloud"_s, ProviderKind::OpenAi)};
        m_in.breaker = &m_breaker;
        m_in.ownInflight = [this](const QString &p, const QString &m) { return m_inflight.value(p + u'/' + m); };
        m_in.speed = [this](const QString &p, const QString &m) -> std::optional<double> {
            const auto it = m_speed.constFind(p + u'/' + m);
            return it == m_speed.cend() ? std::nullopt : std::optional<double>(*it);
        };
        m_in.nowMs = kNow;
        m_facts = RouteFacts{u"test"_s, u"t"_s, 10, false, GatewayEndpoint::ChatCompletions};
    }
    void cleanup() { delete m_fleet; }

    void tiersOrderTheRankedStrategy()
    {
        const Ranking r = rank(policy({u"*/*"_s, u"cloud/gpt-4o"_s}));
        // Idle, then busy, then cold (the idle host's first), then the cloud last.
        QCOMPARE(ids(r), (QStringList{u"b/qwen3-8b"_s, u"a/qwen3-8b"_s, u"b/big-70b"_s, u"a/qwen-coder"_s, u"cloud/gpt-4o"_s}));
        QCOMPARE(r.ranked.at(1).tier, CandidateTier::Busy);
        QCOMPARE(r.ranked.at(1).inflight, 3);
        QVERIFY(r.ranked.at(3).why.contains(u"after the host's running requests"_s));
        QVERIFY(skipReason(r, u"a/nomic-embed"_s).contains(u"embedding"_s));
    }

    void embeddingsOnlyGoToEmbeddingModels()
    {
        m_facts.endpoint = GatewayEndpoint::Embeddings;
        const Ranking r = rank(policy({u"*/*"_s}));
        QCOMPARE(ids(r), QStringList{u"a/nomic-embed"_s});
        // Not known to embed, with an embedding model at hand: not tried.
        QCOMPARE(skipReason(r, u"b/qwen3-8b"_s), u"not known to embed, and other candidates are"_s);
        // Named explicitly, a model is trusted whatever its name.
        QCOMPARE(ids(rank(policy({u"a/qwen3-8b"_s}))), QStringList{u"a/qwen3-8b"_s});
    }

    // The host's capabilities decide before the name; with nothing known to embed, the models
    // that may embed are tried in rank order.
    void capabilitiesAndProbesForEmbeddings()
    {
        ModelStatus tools = model(u"embed-and-chat"_s, ModelState::Ready);
        tools.capabilities = {{u"function_calling"_s, true}};
        ModelStatus reranker = model(u"rr-v2"_s, ModelState::Ready);
        reranker.capabilities = {{u"reranker"_s, true}};
        m_fleet->applyModelStatus(u"a"_s, {model(u"vectors"_s, ModelState::Stopped), tools, reranker}, kNow);
        m_facts.endpoint = GatewayEndpoint::Embeddings;
        Ranking r = rank(policy({u"*/*"_s}));
        // Idle first: b's loaded qwen3-8b, then the cold ones; none known, so all are probes.
        QCOMPARE(ids(r), (QStringList{u"b/qwen3-8b"_s, u"a/vectors"_s, u"b/big-70b"_s}));
        QVERIFY(std::all_of(r.ranked.cbegin(), r.ranked.cend(), [](const RankedCandidate &c) { return c.probe; }));
        QCOMPARE(skipReason(r, u"a/embed-and-chat"_s), u"not an embedding model (the host reports function_calling)"_s);
        QCOMPARE(skipReason(r, u"a/rr-v2"_s), u"not an embedding model (the host reports it as a reranker)"_s);
        QVERIFY(Ranking::fromJson(r.toJson())->ranked.first().probe); // the routing API keeps it

        // What attempts showed wins over everything else.
        m_in.embeds = [](const QString &p, const QString &m) -> std::optional<bool> {
            if (p == u"a"_s && m == u"vectors"_s)
                return true;
            if (p == u"b"_s && m == u"qwen3-8b"_s)
                return false;
            return std::nullopt;
        };
        r = rank(policy({u"*/*"_s}));
        QCOMPARE(ids(r), QStringList{u"a/vectors"_s});
        QVERIFY(!r.ranked.first().probe);
        QCOMPARE(skipReason(r, u"b/qwen3-8b"_s), u"not an embedding model (it refused /v1/embeddings before)"_s);

        // For chat, a model with generative capabilities is one whatever its name; a reranker is not.
        m_facts.endpoint = GatewayEndpoint::ChatCompletions;
        r = rank(policy({u"*/*"_s}));
        QVERIFY(ids(r).contains(u"a/embed-and-chat"_s));
        QCOMPARE(skipReason(r, u"a/rr-v2"_s), u"a reranker (the host reports it as a reranker)"_s);
        QCOMPARE(skipReason(r, u"a/vectors"_s), u"an embedding model (it answered /v1/embeddings before)"_s);
    }

    void orderedKeepsTheCandidateOrder()
    {
        const Ranking r = rank(policy({u"*/*coder*"_s, u"*/*"_s}, RouteStrategy::Ordered));
        QCOMPARE(ids(r).first(), u"a/qwen-coder"_s);
        QCOMPARE(ids(r).size(), 4); // each model once, however many entries match it
    }

    void contextFit()
    {
        m_facts.promptTokens = 2000;
        const Ranking r = rank(policy({u"*/*"_s}));
        QVERIFY(!ids(r).contains(u"b/qwen3-8b"_s));
        QVERIFY(skipReason(r, u"b/qwen3-8b"_s).contains(u"does not fit the context of 1000"_s));
    }

    void hostsThatAreNotConnectedAreSkipped()
    {
        m_fleet->setLiveness(u"b"_s, Liveness::Down, kNow, u"connection refused"_s);
        const Ranking r = rank(policy({u"*/*"_s}));
        QCOMPARE(ids(r), (QStringList{u"a/qwen3-8b"_s, u"a/qwen-coder"_s}));
        QCOMPARE(skipReason(r, u"b/qwen3-8b"_s), u"the host is down: connection refused"_s);
    }

    void openCircuitSkipsTheHost()
    {
        for (int i = 0; i < 3; ++i)
            m_breaker.failed(u"a"_s, kNow);
        const Ranking r = rank(policy({u"*/*"_s}));
        QVERIFY(skipReason(r, u"a/qwen3-8b"_s).contains(u"circuit open"_s));
        // After the cool-down one trial may go; success closes the circuit.
        m_in.nowMs = kNow + 6000;
        QVERIFY(ids(rank(policy({u"*/*"_s}))).contains(u"a/qwen3-8b"_s));
        m_breaker.attempt(u"a"_s, m_in.nowMs);
        QVERIFY(skipReason(rank(policy({u"*/*"_s})), u"a/qwen3-8b"_s).contains(u"half-open"_s));
        m_breaker.abandoned(u"a"_s); // the trial's client went away: the next request may try
        QVERIFY(ids(rank(policy({u"*/*"_s}))).contains(u"a/qwen3-8b"_s));
        m_breaker.attempt(u"a"_s, m_in.nowMs);
        m_breaker.succeeded(u"a"_s);
        QVERIFY(ids(rank(policy({u"*/*"_s}))).contains(u"a/qwen3-8b"_s));
    }

    void leasesForbidColdStarts()
    {
        HostLease lease;
        lease.providerId = u"a"_s;
        lease.holder = u"bench:42"_s;
        lease.expiresAt = kNow + 60000;
        m_in.leases = {lease};
        const Ranking r = rank(policy({u"*/*"_s}));
        QVERIFY(ids(r).contains(u"a/qwen3-8b"_s)); // loaded: using it evicts nothing
        QVERIFY(skipReason(r, u"a/qwen-coder"_s).contains(u"leased to bench:42"_s));
        // The held model itself may load; an expired lease holds nothing.
        m_in.leases.first().model = u"qwen-coder"_s;
        QVERIFY(ids(rank(policy({u"*/*"_s}))).contains(u"a/qwen-coder"_s));
        m_in.leases.first().model.clear();
        m_in.leases.first().expiresAt = kNow - 1;
        QVERIFY(ids(rank(policy({u"*/*"_s}))).contains(u"a/qwen-coder"_s));
    }

    void saturatedAfterColdStarts()
    {
        m_inflight[u"a/qwen3-8b"_s] = 10;
        const Ranking r = rank(policy({u"*/*"_s}));
        QCOMPARE(ids(r).last(), u"a/qwen3-8b"_s);
        QCOMPARE(r.ranked.last().tier, CandidateTier::Saturated);
    }

    void hostGlobalConcurrencyLimit()
    {
        // Host a runs 3 requests on qwen3-8b; its default limit (10) leaves it busy, not full.
        QCOMPARE(rank(policy({u"a/qwen3-8b"_s})).ranked.first().tier, CandidateTier::Busy);
        // A v251+ host that publishes globalConcurrencyLimit 3 is full for every model.
        m_fleet->setGlobalConcurrencyLimit(u"a"_s, 3);
        const Ranking r = rank(policy({u"a/*"_s}));
        QCOMPARE(r.ranked.size(), 2);
        for (const RankedCandidate &c : r.ranked) {
            QCOMPARE(c.tier, CandidateTier::Saturated);
            QCOMPARE(c.concurrencyLimit, 3);
        }
        for (const RankedCandidate &c : r.ranked) {
            if (c.model == u"qwen-coder"_s) // cold, but a load would be refused too
                QVERIFY2(c.why.contains(u"global concurrency limit"_s), qPrintable(c.why));
        }
        // With a slot left the loaded model is busy again, its limit capped by the host's.
        m_fleet->setGlobalConcurrencyLimit(u"a"_s, 4);
        const RankedCandidate c = rank(policy({u"a/qwen3-8b"_s})).ranked.first();
        QCOMPARE(c.tier, CandidateTier::Busy);
        QCOMPARE(c.concurrencyLimit, 4);
    }

    void fastestPrefersRecentSpeed()
    {
        m_inflight.clear();
        m_speed = {{u"a/qwen3-8b"_s, 120.0}, {u"b/qwen3-8b"_s, 40.0}};
        QCOMPARE(ids(rank(policy({u"*/*"_s}, RouteStrategy::Fastest))).first(), u"a/qwen3-8b"_s);
        m_speed = {{u"a/qwen3-8b"_s, 20.0}, {u"b/qwen3-8b"_s, 40.0}};
        QCOMPARE(ids(rank(policy({u"*/*"_s}, RouteStrategy::Fastest))).first(), u"b/qwen3-8b"_s);
    }

    void cheapestPutsLocalBeforeCloud()
    {
        const Ranking r = rank(policy({u"cloud/gpt-4o"_s, u"*/*"_s}, RouteStrategy::Cheapest));
        QCOMPARE(ids(r).last(), u"cloud/gpt-4o"_s);
        const Ranking ordered = rank(policy({u"cloud/gpt-4o"_s, u"*/*"_s}, RouteStrategy::Ordered));
        QCOMPARE(ids(ordered).first(), u"cloud/gpt-4o"_s);
        // Cloud models cannot be enumerated: patterns never reach them.
        QVERIFY(!ids(rank(policy({u"cloud/*"_s}))).contains(u"cloud/*"_s));
    }

    void directIds()
    {
        QCOMPARE(ids(CandidateRanker::rankDirect(u"b"_s, u"qwen3-8b"_s, m_facts, m_in)), QStringList{u"b/qwen3-8b"_s});
        const Ranking missing = CandidateRanker::rankDirect(u"b"_s, u"nope"_s, m_facts, m_in);
        QVERIFY(missing.ranked.isEmpty());
        QVERIFY(missing.skippedSummary().contains(u"no model \"nope\""_s));
        const Ranking unknown = CandidateRanker::rankDirect(u"zz"_s, u"m"_s, m_facts, m_in);
        QVERIFY(unknown.skippedSummary().contains(u"no provider"_s));
    }
};

QTEST_GUILESS_MAIN(TestCandidateRanker)
#include "tst_candidateranker.moc"
