#include "core/server/controlserver.h"

#include "core/bench/benchjobs.h"
#include "core/fleet/fleetstate.h"
#include "core/fleet/fleetsummary.h"
#include "core/gateway/gateway.h"
#include "core/http/httprequest.h"
#include "core/http/httpresponder.h"
#include "core/http/httpserver.h"
#include "core/ingest/fleetingest.h"
#include "core/server/apireply.h"
#include "core/server/benchapi.h"
#include "core/server/controlfeed.h"
#include "core/server/controlhostroutes.h"
#include "core/server/gapacknowledgement.h"
#include "core/server/keysapi.h"
#include "core/server/metricsexporter.h"
#include "core/server/modelpreferenceapi.h"
#include "core/server/routingapi.h"
#include "core/store/database.h"
#include "core/store/historywriter.h"
#include "core/store/perfquery.h"
#include "core/store/requestquery.h"
#include "core/store/requestratequery.h"
#include "core/store/requesttotalsquery.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

const QString kControlFeedPath = u"/api/ws/control"_s;

// Comparing digests keeps the time taken independent of how much of a guessed token is right.
bool sameSecret(const QByteArray &a, const QByteArray &b)
{
    return QCryptographicHash::hash(a, QCryptographicHash::Sha256) == QCryptographicHash::hash(b, QCryptographicHash::Sha256);
}

QByteArray bearerToken(const QByteArray &authorization)
{
    if (!authorization.startsWith("Bearer "))
        return {};
    return authorization.mid(7).trimmed();
}

constexpr qint64 kDefaultPerfRangeMs = 3600 * 1000;

// The filter of /api/requests and /api/requests/totals (paging parameters are read by the caller).
Result<RequestFilter> requestFilter(const HttpRequest &request)
{
    RequestFilter filter;
    filter.host = request.queryValue(u"host"_s);
    filter.models = request.queryValues(u"model"_s);
    filter.models.removeAll(QString());
    filter.source = request.queryValue(u"source"_s);
    filter.text = request.queryValue(u"q"_s);
    const QString status = request.queryValue(u"status"_s);
    if (!status.isEmpty()) {
        if (status.size() != 3 || !status.endsWith(u"xx"_s) || status.at(0) < u'1' || status.at(0) > u'5')
            return makeError(u"bad_request"_s, u"'status' must be one of 1xx, 2xx, 3xx, 4xx, 5xx"_s);
        filter.statusClass = status.at(0).digitValue();
    }
    auto since = apireply::timeParam(request, u"since"_s);
    if (!since)
        return since.error();
    auto until = apireply::timeParam(request, u"until"_s);
    if (!until)
        return until.error();
    filter.sinceMs = *since;
    filter.untilMs = *until;
    return filter;
}

} // namespace

ControlServer::ControlServer(FleetState *fleet, FleetIngest *ingest, HistoryWriter *writer, Database *database,
                             ControlServerOptions options, QObject *parent)
    : QObject(parent)
    , m_fleet(fleet)
    , m_ingest(ingest)
    , m_writer(writer)
    , m_options(std::move(options))
    , m_http(new HttpServer(this))
    , m_feed(new ControlFeed(fleet, this))
{
    m_uptime.start();
    if (database)
        m_reader = new DatabaseReader(database->url(), u"control-api"_s, this);
    m_http->setLimits(m_options.limits);
    installRoutes();
    if (database)
        ModelPreferenceApi::install(m_http, database);
}

ControlServer::~ControlServer() = default;

void ControlServer::setBenchJobs(BenchJobs *jobs)
{
    m_benchJobs = jobs;
}

BenchJobs *ControlServer::benchJobs() const
{
    return m_benchJobs;
}

bool ControlServer::hasServerToken(const HttpRequest &request) const
{
    return !m_options.token.isEmpty() && sameSecret(bearerToken(request.header("Authorization")), m_options.token.toUtf8());
}

bool ControlServer::authorized(const HttpRequest &request) const
{
    if (m_options.token.isEmpty())
        return true;
    const QByteArray token = m_options.token.toUtf8();
    if (sameSecret(bearerToken(request.header("Authorization")), token))
        return true;
    // Browsers cannot set headers on a WebSocket: the feed also takes ?token=.
    return request.path() == kControlFeedPath && request.hasQueryItem(u"token")
        && sameSecret(request.queryValue(u"token"_s).toUtf8(), token);
}

Result<void> ControlServer::start()
{
    if (!m_options.listen.isLoopback() && m_options.token.isEmpty()) {
        return makeError(u"server.token"_s,
                         u"refusing to listen on %1 without a token: anyone on the network could read and steer "
                         u"the fleet. Put a token in a file and pass --token-file FILE, or set BOO_TOKEN, "
                         u"or listen on 127.0.0.1"_s.arg(m_options.listen.toString()));
    }
    if (!m_http->listen(m_options.listen.address, m_options.listen.port))
        return makeError(u"server.listen"_s, u"cannot listen on %1: %2"_s.arg(m_options.listen.toString(), m_http->errorString()));
    return {};
}

quint16 ControlServer::port() const
{
    return m_http->serverPort();
}

void ControlServer::setErrorShape(const QString &pathPrefix, ErrorShape shape)
{
    m_errorShapes.append({pathPrefix, std::move(shape)});
}

void ControlServer::addMetricsSource(std::function<QByteArray()> source)
{
    m_metricsSources.append(std::move(source));
}

HttpResponse ControlServer::errorFor(QStringView path, int status, const QString &code, const QString &message) const
{
    for (const auto &[prefix, shape] : m_errorShapes) {
        if (path.startsWith(prefix))
            return shape(status, code, message);
    }
    return apireply::error(status, code, message);
}

void ControlServer::installRoutes()
{
    // Decided on the head: an unauthorised request is answered before its body is read, and a
    // WebSocket upgrade before its 101. The path is the one routing uses (HttpPath).
    m_http->setPreRoutingHook([this](const HttpRequest &request, HttpResponder &responder) {
        if (m_gateway && (request.path().startsWith(u"/v1/"_s) || request.path().startsWith(u"/upstream/"_s))) {
            const KeyIdentity identity = m_gateway->identify(request);
            switch (identity.kind) {
            case KeyIdentity::Kind::Operator:
            case KeyIdentity::Kind::Accepted: return false;
            case KeyIdentity::Kind::NoKeys: break; // the token, as for every route
            case KeyIdentity::Kind::Missing:
            case KeyIdentity::Kind::Unknown:
            case KeyIdentity::Kind::Refused:
                m_gateway->keys()->refused(identity);
                responder.respond(errorFor(request.path(), 401, u"invalid_api_key"_s, identity.message));
                return true;
            }
        }
        if (request.path() == u"/api/health"_s || authorized(request))
            return false;
        HttpResponse refusal = errorFor(request.path(), 401, u"unauthorized"_s, u"this server wants Authorization: Bearer <token>"_s);
        refusal.setHeader("WWW-Authenticate", "Bearer");
        responder.respond(std::move(refusal));
        return true;
    });
    m_http->setProtocolErrorResponder([this](int status, QByteArrayView rawPath) -> std::optional<HttpResponse> {
        const QString path = QString::fromUtf8(rawPath);
        if (path.isEmpty() || status != 413)
            return std::nullopt;
        return errorFor(path, 413, u"request_too_large"_s, u"the request body is larger than %1 accepts"_s.arg(path));
    });
    m_http->setNotFoundHandler([this](const HttpRequest &request, HttpResponder responder) {
        responder.respond(errorFor(request.path(), 404, u"not_found"_s, u"no such endpoint: %1"_s.arg(request.path())));
    });
    m_http->setMethodNotAllowedHandler([this](const HttpRequest &request, const QByteArrayList &allowed, HttpResponder responder) {
        HttpResponse response = errorFor(request.path(), 405, u"method_not_allowed"_s,
                                         u"%1 does not accept %2 (use %3)"_s.arg(request.path(), QString::fromLatin1(request.method()),
                                                                                 QString::fromLatin1(allowed.join(", "))));
        response.setHeader("Allow", allowed.join(", "));
        responder.respond(std::move(response));
    });
    // The control API takes no request bodies, except POST /api/actions (ControlHostRoutes) and
    // PUT /api/model-preferences (ModelPreferenceApi).
    constexpr qint64 noBody = 0;
    m_http->route(
        "GET", u"/api/health"_s, [this](const HttpRequest &r, HttpResponder p) { health(r, std::move(p)); }, noBody);
    m_http->route(
        "GET", u"/api/fleet"_s, [this](const HttpRequest &r, HttpResponder p) { fleet(r, std::move(p)); }, noBody);
    m_http->route(
        "GET", u"/api/requests"_s, [this](const HttpRequest &r, HttpResponder p) { requests(r, std::move(p)); }, noBody);
    m_http->route(
        "GET", u"/api/requests/totals"_s, [this](const HttpRequest &r, HttpResponder p) { requestTotals(r, std::move(p)); }, noBody);
    m_http->route(
        "GET", u"/api/requests/rate"_s, [this](const HttpRequest &r, HttpResponder p) { requestRate(r, std::move(p)); }, noBody);
    m_http->route(
        "GET", u"/api/perf"_s, [this](const HttpRequest &r, HttpResponder p) { perf(r, std::move(p)); }, noBody);
    m_http->route(
        "GET", u"/metrics"_s, [this](const HttpRequest &r, HttpResponder p) { metrics(r, std::move(p)); }, noBody);
    GapAcknowledgement::install(m_http, m_fleet);
    BenchApi::install(this);
    m_http->addWebSocketPath(kControlFeedPath, [this](WebSocketConnection *client) { m_feed->addClient(client); });
}

void ControlServer::health(const HttpRequest &, HttpResponder responder)
{
    QJsonObject body{{u"status"_s, u"ok"_s},
                     {u"version"_s, QStringLiteral(BOO_VERSION_STRING)},
                     {u"uptime_s"_s, m_uptime.elapsed() / 1000},
                     {u"hosts"_s, m_fleet ? int(m_fleet->hostIds().size()) : 0}};
    if (m_writer) {
        const HistoryWriterStats stats = m_writer->stats();
        body.insert(u"database"_s,
                    QJsonObject{{u"url"_s, m_options.databaseLabel},
                                {u"up"_s, stats.databaseUp},
                                {u"rows_queued"_s, stats.queued},
                                {u"rows_spilled"_s, stats.spilled}});
    }
    responder.respond(apireply::json(200, body));
}

void ControlServer::fleet(const HttpRequest &, HttpResponder responder)
{
    QJsonArray hosts;
    QList<HostState> states;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (m_fleet) {
        for (const QString &id : m_fleet->hostIds())
            states << *m_fleet->host(id);
    }
    for (const HostState &h : std::as_const(states))
        hosts.append(h.toJson(now));
    // The same totals the desktop's summary strip shows, from the same host views.
    const QJsonObject summary = FleetSummary::of(states, now).toJson();
    responder.respond(apireply::json(200, QJsonObject{{u"hosts"_s, hosts}, {u"summary"_s, summary}, {u"generated_at"_s, now}}));
}

void ControlServer::requests(const HttpRequest &request, HttpResponder responder)
{
    if (!hasHistory())
        return responder.respond(apireply::error(503, u"no_database"_s, u"this server keeps no history"_s));
    auto parsed = requestFilter(request);
    if (!parsed)
        return responder.respond(apireply::error(400, parsed.error().code, parsed.error().message));
    RequestFilter filter = *parsed;
    auto limit = apireply::integerParam(request, u"limit"_s, 1, RequestFilter::kMaxLimit);
    auto before = apireply::integerParam(request, u"before_id"_s, 1, std::numeric_limits<qint64>::max());
    for (const Result<std::optional<qint64>> *param : {&limit, &before}) {
        if (!*param)
            return responder.respond(apireply::error(400, param->error().code, param->error().message));
    }
    filter.limit = int(limit->value_or(100));
    filter.beforeId = *before;

    answerFromHistory<RequestPage>(
        std::move(responder), [filter](Database &db) { return RequestQuery::fetch(db, filter); },
        [](const Result<RequestPage> &page) {
            if (!page)
                return apireply::queryError(page.error());
            QJsonArray rows;
            for (const StoredRequest &row : std::as_const(page->rows))
                rows.append(row.toJson());
            return apireply::keysetPage(u"requests"_s, rows, page->nextBeforeId);
        });
}

void ControlServer::addGateway(Gateway *gateway)
{
    m_gateway = gateway;
    gateway->setOperatorCheck([self = QPointer(this)](const HttpRequest &request) { return self && self->hasServerToken(request); });
    gateway->addRoutes(m_http);
    const auto shape
        = [gateway](int status, const QString &code, const QString &message) { return gateway->errorResponse(status, code, message); };
    setErrorShape(u"/v1/"_s, shape);
    setErrorShape(u"/upstream/"_s, shape);
    addMetricsSource([gateway] { return gateway->metricsText(); });
    RoutingApi::install(gateway, this);
    KeysApi::install(gateway, this);
}

void ControlServer::setHostServices(HostAccess *access, ActionQueue *actions)
{
    if (m_hostRoutes)
        return;
    m_hostRoutes = new ControlHostRoutes(m_http, access, actions, this);
}

void ControlServer::requestTotals(const HttpRequest &request, HttpResponder responder)
{
    if (!hasHistory())
        return responder.respond(apireply::error(503, u"no_database"_s, u"this server keeps no history"_s));
    auto filter = requestFilter(request);
    if (!filter)
        return responder.respond(apireply::error(400, filter.error().code, filter.error().message));
    answerFromHistory<QList<RequestTotal>>(
        std::move(responder), [filter = *filter](Database &db) { return RequestTotalsQuery::fetch(db, filter); },
        [](const Result<QList<RequestTotal>> &totals) {
            if (!totals)
                return apireply::queryError(totals.error());
            QJsonArray groups;
            for (const RequestTotal &total : std::as_const(*totals))
                groups.append(total.toJson());
            return apireply::json(200, QJsonObject{{u"totals"_s, groups}});
        });
}

void ControlServer::requestRate(const HttpRequest &request, HttpResponder responder)
{
    if (!hasHistory())
        return responder.respond(apireply::error(503, u"no_database"_s, u"this server keeps no history"_s));
    auto bucket = apireply::integerParam(request, u"bucket_ms"_s, 60'000, 7 * 24 * 3600 * 1000LL);
    auto from = apireply::timeParam(request, u"from"_s);
    auto to = apireply::timeParam(request, u"to"_s);
    for (const Result<std::optional<qint64>> *param : {&bucket, &from, &to}) {
        if (!*param)
            return responder.respond(apireply::error(400, param->error().code, param->error().message));
    }
    RateFilter filter;
    filter.host = request.queryValue(u"host"_s);
    filter.bucketMs = bucket->value_or(60'000);
    filter.toMs = to->value_or(QDateTime::currentMSecsSinceEpoch());
    filter.fromMs = from->value_or(filter.toMs - kDefaultPerfRangeMs);
    answerFromHistory<QList<RatePoint>>(
        std::move(responder), [filter](Database &db) { return RequestRateQuery::fetch(db, filter); },
        [filter](const Result<QList<RatePoint>> &points) {
            if (!points)
                return apireply::queryError(points.error());
            QJsonArray array;
            for (const RatePoint &point : std::as_const(*points))
                array.append(point.toJson());
            return apireply::json(
                200,
                QJsonObject{{u"bucket_ms"_s, filter.bucketMs}, {u"from"_s, filter.fromMs}, {u"to"_s, filter.toMs}, {u"points"_s, array}});
        });
}

void ControlServer::perf(const HttpRequest &request, HttpResponder responder)
{
    if (!hasHistory())
        return responder.respond(apireply::error(503, u"no_database"_s, u"this server keeps no history"_s));
    auto gpu = apireply::integerParam(request, u"gpu"_s, 0, 1024);
    auto from = apireply::timeParam(request, u"from"_s);
    auto to = apireply::timeParam(request, u"to"_s);
    for (const Result<std::optional<qint64>> *param : {&gpu, &from, &to}) {
        if (!*param)
            return responder.respond(apireply::error(400, param->error().code, param->error().message));
    }
    PerfFilter filter;
    filter.host = request.queryValue(u"host"_s);
    filter.gpu = gpu->has_value() ? std::optional<int>(int(**gpu)) : std::nullopt;
    filter.toMs = to->value_or(QDateTime::currentMSecsSinceEpoch());
    filter.fromMs = from->value_or(filter.toMs - kDefaultPerfRangeMs);
    answerFromHistory<PerfSeries>(
        std::move(responder), [filter](Database &db) { return PerfQuery::fetch(db, filter); },
        [filter](const Result<PerfSeries> &series) {
            if (!series)
                return apireply::queryError(series.error());
            QJsonArray points;
            for (const PerfPoint &point : std::as_const(series->points))
                points.append(point.toJson());
            return apireply::json(200,
                                  QJsonObject{{u"resolution"_s, enumNameString(PerfSeries::kResolutionNames, series->resolution)},
                                              {u"from"_s, filter.fromMs},
                                              {u"to"_s, filter.toMs},
                                              {u"points"_s, points}});
        });
}

void ControlServer::metrics(const HttpRequest &, HttpResponder responder)
{
    MetricsExporter::Inputs inputs;
    inputs.fleet = m_fleet;
    inputs.nowMs = QDateTime::currentMSecsSinceEpoch();
    if (m_ingest) {
        for (const HostConnector *connector : m_ingest->connectors())
            inputs.connectors << connector;
    }
    if (m_writer)
        inputs.writer = m_writer->stats();
    inputs.feedClients = m_feed->clientCount();
    inputs.feedDroppedClients = m_feed->droppedClients();
    QByteArray text = MetricsExporter::render(inputs);
    for (const auto &source : std::as_const(m_metricsSources))
        text += source();
    responder.respond(HttpResponse(200, "text/plain; version=0.0.4; charset=utf-8", text));
}

} // namespace boo
