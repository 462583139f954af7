#pragma once

#include "core/common/result.h"
#include "core/gateway/candidateranker.h"
#include "core/gateway/circuitbreaker.h"
#include "core/gateway/consumerkeyring.h"
#include "core/gateway/gatewaymetrics.h"
#include "core/gateway/routepolicy.h"
#include "core/gateway/upstreamtarget.h"
#include "core/http/upstreamconnection.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>

namespace boo {

class Database;
class FleetState;
class HostAccess;
class HttpRequest;
class HttpResponder;
class HttpResponse;
class HttpServer;
class ProviderRegistry;
class SecretResolver;
class UpstreamPool;
struct DispatchAttempt;
struct DispatchRecord;
struct FleetDelta;
struct RegistryChange;

struct GatewayOptions
{
    qint64 maxBodyBytes = 32 * 1024 * 1024;     // larger request bodies get 413 before they are read
    UpstreamTimeouts timeouts;                  // header timeout grows by twice a cold start's expected load
    int maxAttempts = 4;                        // candidates tried per request (one per host)
    int defaultConcurrencyLimit = 10;           // llama-swap's default concurrencyLimit
    qint64 defaultColdStartMs = 30000;          // expected load time of a model never seen loading
    qint64 clientBufferBytes = 4 * 1024 * 1024; // unsent bytes for a slow client before we stop reading the host
    CircuitBreaker::Options breaker;
    int leaseRefreshMs = 5000;
    ConsumerKeyRing::Options keys;
};

// The OpenAI-compatible gateway of `boocontrol --serve` (docs/gateway.md): virtual models
// (route policies) and direct ids (<provider>/<model>) dispatched to the best healthy host with
// failover, streams relayed as they come, every request logged and attributed.
//
// Lives on the thread of FleetState and the listener. Nothing on a request's path touches the
// database: policies and leases are held in memory; attempts and the dispatch log are reported
// to FleetState, whose HistoryRecorder attributes and stores them.
class Gateway final : public QObject
{
    Q_OBJECT

public:
    // A requested model resolved: a policy, or one provider's model.
    struct Resolution
    {
        QString policy;     // set for virtual models (and bare model names: "*/<name>")
        QString providerId; // set for direct ids
        QString model;
    };

    // `access` gives the API keys of the hosts, `secrets` those of cloud providers.
    Gateway(FleetState *fleet, ProviderRegistry *registry, HostAccess *access, SecretResolver *secrets, Database *database,
            GatewayOptions options = {}, QObject *parent = nullptr);
    ~Gateway() override;
    Q_DISABLE_COPY_MOVE(Gateway)

    // Loads the policies and leases. Fails when the stored policies cannot be read.
    Result<void> start();
    // Registers /v1/* and /upstream/* on a listener (ControlServer::addGateway does, with the
    // error shape and metrics below and the routing control API).
    void addRoutes(HttpServer *http);
    // An error as the gateway's clients expect it (OpenAI's shape).
    HttpResponse errorResponse(int status, const QString &code, const QString &message) const;
    // The gateway's Prometheus text.
    QByteArray metricsText() const;

    const GatewayOptions &options() const { return m_options; }
    const QList<RoutePolicy> &policies() const { return m_policies; }
    // Validates, stores and applies a whole new set (PUT /api/routing/policies).
    Result<void> setPolicies(QList<RoutePolicy> policies);
    Result<Resolution> resolve(const RouteFacts &facts) const;
    Ranking rank(const Resolution &resolution, const RouteFacts &facts) const;
    // Any policy, stored or not (the Routing tab tests edits before saving them).
    Ranking rankPolicy(const RoutePolicy &policy, const RouteFacts &facts) const;
    void refreshLeases();

    const GatewayMetrics &metrics() const { return m_metrics; }
    Database *database() const { return m_database; }

    // Consumer keys (docs/keys.md). The listener says which requests carry its own token: an
    // operator passes whatever keys exist.
    ConsumerKeyRing *keys() const { return m_keys; }
    void setOperatorCheck(std::function<bool(const HttpRequest &)> check) { m_operatorCheck = std::move(check); }
    // Who a request's head says is asking: Operator, NoKeys (the gateway is open as before keys
    // existed), Accepted with its key, or Missing/Unknown/Refused, which get 401.
    KeyIdentity identify(const HttpRequest &request) const;
    // A request that came with a consumer key is over; `usage` is what the host reported.
    void keyAnswered(const ConsumerKey &key, qint64 inputTokens, qint64 outputTokens);

    // For dispatches.
    UpstreamPool *pool() const { return m_pool; }
    CircuitBreaker &breaker() { return m_breaker; }
    std::optional<UpstreamTarget> target(const QString &providerId) const;
    void attemptStarted(const DispatchAttempt &attempt, const QString &source);
    void attemptEnded(const DispatchAttempt &attempt, const QString &source);
    void dispatchFinished(const DispatchRecord &record);
    // An attempt showed whether a host's model answers /v1/embeddings; forgotten when the host's
    // liveness changes (a config reload or restart may have given the model other flags).
    void learnEmbeds(const QString &provider, const QString &model, bool embeds);

private:
    void inference(GatewayEndpoint endpoint, const HttpRequest &request, HttpResponder responder);
    void upstream(const HttpRequest &request, HttpResponder responder);
    void listModels(const HttpRequest &request, HttpResponder responder);
    void dispatch(struct DispatchPlan plan, const Resolution &resolution, const RouteFacts &facts, HttpResponder responder);
    // The consumer key's checks before dispatch: its identity (401), the model it asks for (403),
    // its limits (429). Answers and logs a refusal itself; true when the request may go on.
    bool admitKey(const KeyIdentity &identity, struct DispatchPlan &plan, HttpResponder &responder);
    // A request answered without a dispatch, in the dispatch log and the metrics.
    void logRefusal(const struct DispatchPlan &plan, int status, const QString &error);
    CandidateRanker::Inputs rankInputs() const;
    QString nextDispatchId();
    void onFleetChanged(const FleetDelta &delta);
    void resolveCloudKeys();

    QPointer<FleetState> m_fleet;
    QPointer<ProviderRegistry> m_registry;
    QPointer<HostAccess> m_access;
    QPointer<SecretResolver> m_secrets;
    Database *m_database;
    GatewayOptions m_options;
    QList<RoutePolicy> m_policies;
    QList<HostLease> m_leases;
    UpstreamPool *m_pool;
    CircuitBreaker m_breaker;
    GatewayMetrics m_metrics;
    QHash<QString, int> m_inflight;      // "<provider>/<model>" -> attempts in flight
    QHash<QString, double> m_speeds;     // "<provider>/<model>" -> recent decode tokens/s
    QHash<QString, bool> m_embeds;       // "<provider>/<model>" -> answered /v1/embeddings or refused it
    QHash<QString, QString> m_cloudKeys; // provider -> resolved API key
    ConsumerKeyRing *m_keys;
    std::function<bool(const HttpRequest &)> m_operatorCheck;
    QTimer m_leaseTimer;
    qint64 m_idBase = 0;
    quint64 m_idCounter = 0;
};

} // namespace boo
