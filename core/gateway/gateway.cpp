#include "core/gateway/gateway.h"

#include "core/actions/hostaccess.h"
#include "core/common/logging.h"
#include "core/common/monotonic.h"
#include "core/fleet/fleetstate.h"
#include "core/gateway/gatewaydispatch.h"
#include "core/gateway/modelcatalog.h"
#include "core/gateway/openaierror.h"
#include "core/gateway/policystore.h"
#include "core/gateway/upstreampool.h"
#include "core/http/httpserver.h"
#include "core/providers/providerregistry.h"
#include "core/providers/secretresolver.h"
#include "core/store/database.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

QString key(const QString &provider, const QString &model)
{
    return provider + u'/' + model;
}

// X-Boo-Source as stored: short, printable, no surprises in logs and label values.
QString sourceOf(const HttpRequest &request)
{
    const QByteArray raw = request.header("x-boo-source").trimmed().left(64);
    if (raw.isEmpty())
        return u"unknown"_s;
    QString source = QString::fromLatin1(raw);
    for (QChar &c : source) {
        if (!(c.isLetterOrNumber() || c == u'.' || c == u'_' || c == u'-' || c == u':' || c == u'@' || c == u'/'))
            c = u'_';
    }
    return source;
}

// Client headers that must not reach the host: ours (credentials for this server), framing,
// and encodings we could not relay byte for byte while still adding an error event.
bool forwardable(QByteArrayView name)
{
    for (const char *h : {"host", "content-length", "transfer-encoding", "connection", "keep-alive", "te", "upgrade", "proxy-connection",
                          "proxy-authorization", "authorization", "x-api-key", "accept-encoding", "expect", "cookie", "x-boo-source",
                          "x-boo-dispatch-id"}) {
        if (HttpHeaders::namesEqual(name, h))
            return false;
    }
    return true;
}

// `json`: the body was read as JSON, so it is declared JSON whatever the client said (curl -d
// says form data), because llama-swap only looks for the model in bodies declared JSON.
HttpHeaders forwardHeaders(const HttpRequest &request, bool json)
{
    HttpHeaders out;
    for (const auto &[name, value] : request.headers().entries()) {
        if (forwardable(name) && !(json && HttpHeaders::namesEqual(name, "content-type")))
            out.add(name, value);
    }
    if (json)
        out.add("Content-Type", "application/json");
    return out;
}

QByteArray bearerOf(const HttpRequest &request)
{
    const QByteArray authorization = request.header("authorization");
    if (!authorization.startsWith("Bearer "))
        return {};
    return authorization.mid(7).trimmed();
}

HttpResponse modelError(const Error &error)
{
    if (error.code == u"policy.rule"_s)
        return openaierror::response(400, u"policy_rule_mismatch"_s, error.message, u"model"_s);
    return openaierror::response(404, u"model_not_found"_s, error.message, u"model"_s);
}

} // namespace

Gateway::Gateway(FleetState *fleet, ProviderRegistry *registry, HostAccess *access, SecretResolver *secrets, Database *database,
                 GatewayOptions options, QObject *parent)
    : QObject(parent)
    , m_fleet(fleet)
    , m_registry(registry)
    , m_access(access)
    , m_secrets(secrets)
    , m_database(database)
    , m_options(std::move(options))
    , m_pool(new UpstreamPool(this))
    , m_breaker(m_options.breaker)
    , m_keys(new ConsumerKeyRing(m_options.keys, this))
    , m_idBase(QDateTime::currentMSecsSinceEpoch())
{
    if (m_fleet)
        connect(m_fleet, &FleetState::changed, this, &Gateway::onFleetChanged);
    if (m_registry)
        connect(m_registry, &ProviderRegistry::providersChanged, this, &Gateway::resolveCloudKeys);
    m_leaseTimer.setInterval(m_options.leaseRefreshMs);
    connect(&m_leaseTimer, &QTimer::timeout, this, &Gateway::refreshLeases);
}

Gateway::~Gateway()
{
    // Usage of the last second is not lost at a clean stop.
    if (m_database) {
        if (auto flushed = m_keys->flushNow(*m_database); !flushed)
            qCWarning(lcGateway).noquote() << "cannot store consumer key usage:" << flushed.error().message;
    }
}

Result<void> Gateway::start()
{
    if (m_database) {
        auto policies = PolicyStore::load(*m_database);
        if (!policies)
            return policies.error();
        m_policies = *policies;
        if (auto keys = m_keys->load(*m_database, QDateTime::currentMSecsSinceEpoch()); !keys)
            return keys.error();
        m_keys->startRefreshing(m_database->url());
    }
    refreshLeases();
    resolveCloudKeys();
    m_leaseTimer.start();
    qCInfo(lcGateway) << "gateway with" << m_policies.size() << "route policies and" << m_keys->keys().size() << "consumer keys";
    return {};
}

HttpResponse Gateway::errorResponse(int status, const QString &code, const QString &message) const
{
    const qint64 limit = m_options.maxBodyBytes;
    if (status == 413)
        return openaierror::response(413, code,
                                     u"the request body is larger than the gateway's limit of %1 bytes (%2 MiB)"_s.arg(limit).arg(
                                         double(limit) / (1024.0 * 1024.0), 0, 'f', 1));
    return openaierror::response(status, code, message);
}

QByteArray Gateway::metricsText() const
{
    return m_metrics.render(m_pool->connectionsOpened(), m_pool->connectionsReused(), m_pool->openCount()) + m_keys->metricsText();
}

void Gateway::addRoutes(HttpServer *http)
{
    const qint64 limit = m_options.maxBodyBytes;
    const auto add = [&](GatewayEndpoint endpoint) {
        http->route(
            "POST", gatewayEndpointPath(endpoint),
            [this, endpoint](const HttpRequest &r, HttpResponder p) { inference(endpoint, r, std::move(p)); }, limit);
    };
    add(GatewayEndpoint::ChatCompletions);
    add(GatewayEndpoint::Completions);
    add(GatewayEndpoint::Embeddings);
    http->route(
        "GET", u"/v1/models"_s, [this](const HttpRequest &r, HttpResponder p) { listModels(r, std::move(p)); }, 0);
    http->route(
        QByteArray(), u"/upstream/{rest...}"_s, [this](const HttpRequest &r, HttpResponder p) { upstream(r, std::move(p)); }, limit);
}

Result<void> Gateway::setPolicies(QList<RoutePolicy> policies)
{
    // A built-in stays built-in under its name, whatever the client sent.
    for (RoutePolicy &p : policies) {
        p.builtIn = std::any_of(m_policies.cbegin(), m_policies.cend(),
                                [&p](const RoutePolicy &old) { return old.name == p.name && old.builtIn; });
    }
    for (qsizetype i = 0; i < policies.size(); ++i)
        policies[i].position = int(i);
    if (m_database) {
        if (auto stored = PolicyStore::replace(*m_database, policies, QDateTime::currentMSecsSinceEpoch()); !stored)
            return stored.error();
    }
    m_policies = std::move(policies);
    return {};
}

Result<Gateway::Resolution> Gateway::resolve(const RouteFacts &facts) const
{
    const QString &requested = facts.requestedModel;
    const qsizetype slash = requested.indexOf(u'/');
    if (slash > 0) {
        const QString providerId = requested.left(slash);
        const QString model = requested.mid(slash + 1);
        const auto provider = m_registry ? m_registry->provider(providerId) : std::nullopt;
        if (!provider || model.isEmpty() || model.contains(u'*') || model.contains(u'?'))
            return makeError(u"model.unknown"_s,
                             u"the model `%1` does not exist: GET /v1/models lists the models of this gateway"_s.arg(requested));
        if (provider->kind == ProviderKind::LlamaSwap && m_fleet) {
            const auto view = m_fleet->host(providerId);
            const bool known = view && std::any_of(view->models.cbegin(), view->models.cend(), [&model](const HostedModel &m) {
                                   return m.id == model || m.aliases.contains(model);
                               });
            if (view && !view->models.isEmpty() && !known)
                return makeError(u"model.unknown"_s,
                                 u"the host %1 has no model `%2`: GET /v1/models lists what it has"_s.arg(providerId, model));
        }
        return Resolution{QString(), providerId, model};
    }
    for (const RoutePolicy &p : m_policies) {
        if (p.enabled && p.rule.matches(p.name, facts))
            return Resolution{p.name, QString(), QString()};
    }
    for (const RoutePolicy &p : m_policies) {
        if (p.name != requested)
            continue;
        if (!p.enabled)
            return makeError(u"model.unknown"_s, u"the virtual model `%1` is disabled"_s.arg(requested));
        QString why;
        p.rule.matches(p.name, facts, &why);
        return makeError(u"policy.rule"_s, u"the policy `%1` does not take this request: %2"_s.arg(requested, why));
    }
    // A bare model name, as a client configured for one llama-swap host would send it.
    if (m_fleet) {
        for (const QString &id : m_fleet->hostIds()) {
            const auto view = m_fleet->host(id);
            if (view && view->model(requested))
                return Resolution{QString(), QString(), requested};
        }
    }
    QStringList virtuals;
    for (const RoutePolicy &p : m_policies) {
        if (p.enabled)
            virtuals << p.name;
    }
    return makeError(u"model.unknown"_s,
                     u"the model `%1` does not exist: ask for a virtual model (%2) or <provider>/<model> "
                     u"(GET /v1/models lists them)"_s.arg(requested, virtuals.join(u", "_s)));
}

Ranking Gateway::rank(const Resolution &resolution, const RouteFacts &facts) const
{
    const CandidateRanker::Inputs inputs = rankInputs();
    if (!resolution.providerId.isEmpty())
        return CandidateRanker::rankDirect(resolution.providerId, resolution.model, facts, inputs);
    if (resolution.policy.isEmpty()) {
        RoutePolicy implicit;
        implicit.name = resolution.model;
        implicit.candidates << *CandidateSpec::parse(u"*/"_s + resolution.model);
        return CandidateRanker::rank(implicit, facts, inputs);
    }
    for (const RoutePolicy &p : m_policies) {
        if (p.name == resolution.policy)
            return CandidateRanker::rank(p, facts, inputs);
    }
    return {};
}

Ranking Gateway::rankPolicy(const RoutePolicy &policy, const RouteFacts &facts) const
{
    return CandidateRanker::rank(policy, facts, rankInputs());
}

CandidateRanker::Inputs Gateway::rankInputs() const
{
    CandidateRanker::Inputs in;
    in.fleet = m_fleet;
    if (m_registry)
        in.providers = m_registry->providers();
    in.breaker = &m_breaker;
    in.leases = m_leases;
    in.ownInflight = [this](const QString &provider, const QString &model) { return m_inflight.value(key(provider, model)); };
    in.speed = [this](const QString &provider, const QString &model) -> std::optional<double> {
        const auto it = m_speeds.constFind(key(provider, model));
        return it == m_speeds.cend() ? std::nullopt : std::optional<double>(*it);
    };
    in.embeds = [this](const QString &provider, const QString &model) -> std::optional<bool> {
        const auto it = m_embeds.constFind(key(provider, model));
        return it == m_embeds.cend() ? std::nullopt : std::optional<bool>(*it);
    };
    in.defaultConcurrencyLimit = m_options.defaultConcurrencyLimit;
    in.defaultColdStartMs = m_options.defaultColdStartMs;
    in.nowMs = QDateTime::currentMSecsSinceEpoch();
    return in;
}

void Gateway::refreshLeases()
{
    if (!m_database)
        return;
    auto leases = HostLease::active(*m_database, QDateTime::currentMSecsSinceEpoch());
    if (!leases) {
        // Keep the last known leases: forgetting them could evict a held model.
        qCWarning(lcGateway).noquote() << "cannot read host leases:" << leases.error().message;
        return;
    }
    m_leases = *leases;
}

std::optional<UpstreamTarget> Gateway::target(const QString &providerId) const
{
    const auto provider = m_registry ? m_registry->provider(providerId) : std::nullopt;
    if (!provider || !provider->enabled)
        return std::nullopt;
    QString apiKey;
    if (provider->kind == ProviderKind::LlamaSwap) {
        if (const auto endpoint = m_access ? m_access->endpoint(providerId) : std::nullopt)
            apiKey = endpoint->apiKey();
    } else {
        apiKey = m_cloudKeys.value(providerId);
    }
    return UpstreamTarget::fromProvider(*provider, apiKey);
}

void Gateway::resolveCloudKeys()
{
    if (!m_registry || !m_secrets)
        return;
    for (const ProviderConfig &p : m_registry->providers()) {
        if (p.kind == ProviderKind::LlamaSwap || !p.apiKey)
            continue;
        m_secrets->resolve(*p.apiKey, [self = QPointer(this), id = p.id](Result<QString> key) {
            if (!self)
                return;
            if (!key) {
                qCWarning(lcGateway).noquote() << id << "API key:" << key.error().message;
                return;
            }
            self->m_cloudKeys.insert(id, *key);
        });
    }
}

void Gateway::attemptStarted(const DispatchAttempt &attempt, const QString &source)
{
    const QString &provider = attempt.providerId;
    const QString &model = attempt.model;
    ++m_inflight[key(provider, model)];
    m_breaker.attempt(provider, QDateTime::currentMSecsSinceEpoch());
    m_metrics.attemptStarted(provider);
    if (m_fleet)
        m_fleet->announce(provider, GatewayAttemptStarted{model, attempt.id, source, attempt.startedMs});
}

void Gateway::attemptEnded(const DispatchAttempt &attempt, const QString &source)
{
    const QString &provider = attempt.providerId;
    const QString &model = attempt.model;
    const QString k = key(provider, model);
    if (auto it = m_inflight.find(k); it != m_inflight.end() && --*it <= 0)
        m_inflight.erase(it);
    m_metrics.attemptEnded(attempt);
    // Every attempt that started ends, so the recorder stops waiting for it; only one that
    // reached the host leaves a row to attribute.
    const bool reachedHost = attempt.status != 0 || attempt.outcome == u"ok"_s || attempt.outcome.startsWith(u"cancelled"_s)
        || attempt.outcome.contains(u"after the first byte"_s);
    if (m_fleet)
        m_fleet->announce(provider,
                          GatewayAttemptEnded{model, source, attempt.status, attempt.startedMs, attempt.endedMs, reachedHost, attempt.id});
}

void Gateway::dispatchFinished(const DispatchRecord &record)
{
    m_metrics.requestFinished(record);
    if (m_fleet)
        m_fleet->announce(QString(), DispatchFinished{record.toRow()});
}

void Gateway::learnEmbeds(const QString &provider, const QString &model, bool embeds)
{
    m_embeds.insert(key(provider, model), embeds);
}

QString Gateway::nextDispatchId()
{
    return QString::number(m_idBase, 36) + u'-' + QString::number(++m_idCounter, 36);
}

void Gateway::onFleetChanged(const FleetDelta &delta)
{
    if (delta.as<LivenessChanged>()) {
        // A model's flags change only with llama-swap's config, and a reload or restart ends the
        // event stream: what was learned before the reconnect may no longer hold.
        const QString prefix = delta.hostId + u'/';
        m_embeds.removeIf([&prefix](const auto &entry) { return entry.key().startsWith(prefix); });
        return;
    }
    const auto *finished = delta.as<RequestsFinished>();
    if (!finished)
        return;
    for (const ActivityEntry &row : finished->rows) {
        if (!row.tokensPerSecond || *row.tokensPerSecond <= 0)
            continue;
        const QString k = key(delta.hostId, row.model);
        const auto it = m_speeds.find(k);
        if (it == m_speeds.end())
            m_speeds.insert(k, *row.tokensPerSecond);
        else
            *it = 0.7 * *it + 0.3 * *row.tokensPerSecond; // recent rows count most
    }
}

void Gateway::inference(GatewayEndpoint endpoint, const HttpRequest &request, HttpResponder responder)
{
    const qint64 receivedNs = steadyNs();
    const KeyIdentity identity = identify(request);
    auto parsed = GatewayRequest::parse(endpoint, request.body());
    if (!parsed) {
        const bool noModel = parsed.error().code.startsWith(u"model."_s);
        return responder.respond(openaierror::response(400, noModel ? u"missing_model"_s : u"invalid_json"_s, parsed.error().message,
                                                       noModel ? u"model"_s : QString()));
    }
    const QString source = identity.key ? identity.key->attributedSource(sourceOf(request)) : sourceOf(request);
    RouteFacts facts{parsed->model(), source, parsed->promptTokens(), parsed->hasTools(), endpoint};
    DispatchPlan plan;
    plan.source = facts.source;
    plan.requestedModel = facts.requestedModel;
    plan.request = std::move(parsed).value();
    plan.receivedNs = receivedNs;
    plan.receivedMs = QDateTime::currentMSecsSinceEpoch();
    // Before the model is resolved: a key learns nothing about models it may not use.
    if (!admitKey(identity, plan, responder))
        return;
    auto resolution = resolve(facts);
    if (!resolution)
        return responder.respond(modelError(resolution.error()));
    plan.forwardHeaders = forwardHeaders(request, true);
    dispatch(std::move(plan), *resolution, facts, std::move(responder));
}

void Gateway::upstream(const HttpRequest &request, HttpResponder responder)
{
    const qint64 receivedNs = steadyNs();
    const KeyIdentity identity = identify(request);
    // The model may contain '/': the longest run of leading segments that resolves wins, as in
    // llama-swap's own /upstream.
    const QByteArrayList raw = request.rawPath().mid(int(qstrlen("/upstream/"))).split('/');
    RouteFacts facts;
    facts.source = identity.key ? identity.key->attributedSource(sourceOf(request)) : sourceOf(request);
    facts.endpoint = GatewayEndpoint::Upstream;
    std::optional<Resolution> resolution;
    Error lastError = makeError(u"model.unknown"_s, u"no model named in /upstream/<model>/<path>"_s);
    qsizetype used = 0;
    for (qsizetype k = raw.size(); k > 0 && !resolution; --k) {
        QStringList parts;
        for (qsizetype i = 0; i < k; ++i)
            parts << QString::fromUtf8(HttpRequest::percentDecode(raw.at(i), false).value_or(raw.at(i)));
        facts.requestedModel = parts.join(u'/');
        if (facts.requestedModel.isEmpty())
            continue;
        auto r = resolve(facts);
        if (r) {
            resolution = *r;
            used = k;
        } else if (k == raw.size() || lastError.code != u"policy.rule"_s) {
            lastError = r.error();
        }
    }
    DispatchPlan plan;
    plan.source = facts.source;
    plan.requestedModel = facts.requestedModel;
    plan.method = request.method();
    plan.request = GatewayRequest::passthrough(request.body());
    plan.receivedNs = receivedNs;
    plan.receivedMs = QDateTime::currentMSecsSinceEpoch();
    if (resolution)
        plan.policy = resolution->policy;
    if (!admitKey(identity, plan, responder))
        return;
    if (!resolution)
        return responder.respond(modelError(lastError));
    plan.upstreamRest = QString::fromUtf8('/' + raw.mid(used).join('/'));
    if (request.hasQuery())
        plan.upstreamRest += u'?' + QString::fromUtf8(request.rawQuery());
    plan.forwardHeaders = forwardHeaders(request, false);
    dispatch(std::move(plan), *resolution, facts, std::move(responder));
}

void Gateway::dispatch(DispatchPlan plan, const Resolution &resolution, const RouteFacts &facts, HttpResponder responder)
{
    plan.dispatchId = nextDispatchId();
    plan.policy = resolution.policy;
    Ranking ranking = rank(resolution, facts);
    auto *d = new GatewayDispatch(this, std::move(plan), std::move(ranking), std::move(responder));
    d->start();
}

KeyIdentity Gateway::identify(const HttpRequest &request) const
{
    // Without keys nothing is hashed here: the listener's own check is all there is, as before.
    if (!m_keys->enforcing())
        return {};
    if (m_operatorCheck && m_operatorCheck(request)) {
        KeyIdentity identity;
        identity.kind = KeyIdentity::Kind::Operator;
        return identity;
    }
    return m_keys->identify(bearerOf(request), QDateTime::currentMSecsSinceEpoch());
}

bool Gateway::admitKey(const KeyIdentity &identity, DispatchPlan &plan, HttpResponder &responder)
{
    switch (identity.kind) {
    case KeyIdentity::Kind::NoKeys:
    case KeyIdentity::Kind::Operator: return true;
    case KeyIdentity::Kind::Missing:
    case KeyIdentity::Kind::Unknown:
    case KeyIdentity::Kind::Refused:
        // The listener refuses these on the head; a key revoked while the body arrived ends here.
        m_keys->refused(identity);
        responder.respond(openaierror::response(401, u"invalid_api_key"_s, identity.message));
        return false;
    case KeyIdentity::Kind::Accepted: break;
    }
    const ConsumerKey &key = *identity.key;
    plan.consumerKey = key;
    if (!key.allowsModel(plan.requestedModel)) {
        m_keys->forbidden(key);
        const QString message = u"the key \"%1\" may not use the model `%2` (it may use: %3)"_s.arg(key.name(), plan.requestedModel,
                                                                                                    key.spec.models.join(u", "_s));
        logRefusal(plan, 403, message);
        responder.respond(openaierror::response(403, u"model_not_allowed"_s, message, u"model"_s));
        return false;
    }
    const auto refusal = m_keys->admit(key, plan.receivedMs);
    if (!refusal)
        return true;
    logRefusal(plan, 429, refusal->message);
    HttpResponse response = openaierror::response(429, refusal->code(), refusal->message);
    response.setHeader("Retry-After", QByteArray::number(refusal->retryAfterSeconds()));
    response.setHeader("X-Boo-Limit", enumName(kKeyLimitNames, refusal->limit).toLatin1());
    responder.respond(std::move(response));
    return false;
}

void Gateway::logRefusal(const DispatchPlan &plan, int status, const QString &error)
{
    DispatchRecord record;
    record.dispatchId = nextDispatchId();
    record.startedMs = plan.receivedMs;
    record.source = plan.source;
    record.requestedModel = plan.requestedModel;
    record.policy = plan.policy;
    record.endpoint = gatewayEndpointPath(plan.request.endpoint());
    record.stream = plan.request.stream();
    record.status = status;
    record.totalMs = double(steadyNs() - plan.receivedNs) / 1e6;
    record.overheadMs = record.totalMs;
    record.error = error;
    record.consumerKey = plan.consumerKey ? plan.consumerKey->name() : QString();
    dispatchFinished(record);
}

void Gateway::keyAnswered(const ConsumerKey &key, qint64 inputTokens, qint64 outputTokens)
{
    m_keys->charge(key, inputTokens, outputTokens, QDateTime::currentMSecsSinceEpoch());
}

void Gateway::listModels(const HttpRequest &request, HttpResponder responder)
{
    ModelCatalog::Inputs in;
    in.policies = m_policies;
    in.fleet = m_fleet;
    if (m_registry)
        in.providers = m_registry->providers();
    in.rank = [this](const RoutePolicy &p) {
        RouteFacts facts;
        facts.requestedModel = p.name;
        return rankPolicy(p, facts);
    };
    QJsonObject catalog = ModelCatalog::list(in);
    // A key limited to some models sees only those: the list is what it may ask for.
    const KeyIdentity identity = identify(request);
    if (identity.key && !identity.key->spec.models.isEmpty()) {
        QJsonArray allowed;
        for (const QJsonValue &model : catalog.value(u"data"_s).toArray()) {
            if (identity.key->allowsModel(model.toObject().value(u"id"_s).toString()))
                allowed.append(model);
        }
        catalog.insert(u"data"_s, allowed);
    }
    responder.respond(HttpResponse::json(200, QJsonDocument(catalog).toJson(QJsonDocument::Compact)));
}

} // namespace boo
