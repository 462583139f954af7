#include "core/sim/simcontrolserver.h"

#include "core/http/httpserver.h"
#include "core/sim/simcompletion.h"
#include "core/sim/simfleet.h"
#include "core/sim/simhost.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

HttpResponse json(int status, const QJsonObject &body)
{
    return HttpResponse(status, "application/json"_ba, QJsonDocument(body).toJson(QJsonDocument::Compact) + '\n');
}

HttpResponse failure(int status, const QString &message)
{
    return json(status, {{u"error"_s, message}});
}

// An empty body means "all defaults"; anything else must be a JSON object.
std::optional<QJsonObject> bodyObject(const HttpRequest &request)
{
    if (request.body().trimmed().isEmpty())
        return QJsonObject();
    const QJsonDocument doc = QJsonDocument::fromJson(request.body());
    if (!doc.isObject())
        return std::nullopt;
    return doc.object();
}

Result<SimTrafficSpec> trafficSpec(const QJsonObject &o)
{
    SimTrafficSpec spec;
    spec.count = o.value(u"count"_s).toInt(1);
    spec.rate = o.value(u"rate"_s).toDouble(0);
    spec.model = o.value(u"model"_s).toString();
    spec.stream = o.value(u"stream"_s).toBool(true);
    spec.status = o.value(u"status"_s).toInt(200);
    spec.maxTokens = o.value(u"maxTokens"_s).toInt(0);
    spec.endpoint = o.value(u"endpoint"_s).toString(u"/v1/chat/completions"_s);
    const QString timing = o.value(u"timing"_s).toString(u"auto"_s);
    const auto parsedTiming = enumFromName(SimTrafficSpec::kTimingNames, timing);
    if (!parsedTiming)
        return makeError(u"sim.control"_s, u"timing must be "_s + enumChoices(SimTrafficSpec::kTimingNames));
    spec.timing = *parsedTiming;
    if (spec.count < 1 || spec.count > 10000000)
        return makeError(u"sim.control"_s, u"count must be between 1 and 10000000"_s);
    if (spec.rate < 0)
        return makeError(u"sim.control"_s, u"rate must be >= 0"_s);
    if (spec.status < 100 || spec.status > 599)
        return makeError(u"sim.control"_s, u"status must be an HTTP status"_s);
    if (!enumFromName(kSimEndpointPaths, spec.endpoint))
        return makeError(u"sim.control"_s, u"endpoint must be "_s + enumChoices(kSimEndpointPaths));
    return spec;
}

} // namespace

SimControlServer::SimControlServer(SimFleet *fleet, QObject *parent)
    : QObject(parent)
    , m_fleet(fleet)
    , m_server(new HttpServer(this))
{
    installRoutes();
}

SimControlServer::~SimControlServer() = default;

Result<void> SimControlServer::listen(const QHostAddress &address, quint16 port)
{
    if (!m_server->listen(address, port))
        return makeError(u"sim.control.listen"_s, u"control API: %1"_s.arg(m_server->errorString()));
    return {};
}

quint16 SimControlServer::port() const
{
    return m_server->serverPort();
}

void SimControlServer::installRoutes()
{
    m_server->setNotFoundHandler([](const HttpRequest &, HttpResponder r) { r.respond(failure(404, u"no such route"_s)); });

    m_server->route("GET"_ba, u"/hosts"_s, [this](const HttpRequest &, HttpResponder r) {
        r.respond(json(200, {{u"hosts"_s, m_fleet->stateJson()}}));
    });
    m_server->route("GET"_ba, u"/hosts/{name}"_s, [this](const HttpRequest &req, HttpResponder r) {
        SimHost *host = m_fleet->host(req.pathParam(u"name"));
        r.respond(host ? json(200, host->stateJson()) : failure(404, u"unknown host"_s));
    });

    const auto traffic = [this](const HttpRequest &req, HttpResponder r, const QList<SimHost *> &hosts) {
        const auto body = bodyObject(req);
        if (!body) {
            r.respond(failure(400, u"body must be a JSON object"_s));
            return;
        }
        const auto spec = trafficSpec(*body);
        if (!spec) {
            r.respond(failure(400, spec.error().message));
            return;
        }
        for (SimHost *h : hosts)
            h->generateTraffic(*spec);
        r.respond(json(202, {{u"queued"_s, qint64(spec->count) * hosts.size()}}));
    };
    m_server->route("POST"_ba, u"/hosts/{name}/traffic"_s, [this, traffic](const HttpRequest &req, HttpResponder r) {
        SimHost *host = m_fleet->host(req.pathParam(u"name"));
        if (!host) {
            r.respond(failure(404, u"unknown host"_s));
            return;
        }
        traffic(req, std::move(r), {host});
    });
    m_server->route("POST"_ba, u"/traffic"_s, [this, traffic](const HttpRequest &req, HttpResponder r) {
        traffic(req, std::move(r), m_fleet->hosts());
    });

    m_server->route("POST"_ba, u"/hosts/{name}/faults/{fault}"_s, [this](const HttpRequest &req, HttpResponder r) {
        SimHost *host = m_fleet->host(req.pathParam(u"name"));
        if (!host) {
            r.respond(failure(404, u"unknown host"_s));
            return;
        }
        const auto body = bodyObject(req);
        if (!body) {
            r.respond(failure(400, u"body must be a JSON object"_s));
            return;
        }
        const QString fault = req.pathParam(u"fault");
        if (fault == u"drop-streams") {
            host->dropStreams();
        } else if (fault == u"reload") {
            host->reloadConfig();
        } else if (fault == u"restart") {
            host->restart(body->value(u"downMs"_s).toInt(-1), body->value(u"version"_s).toString());
        } else if (fault == u"down") {
            host->goDown();
        } else if (fault == u"up") {
            const Result<void> up = host->comeUp();
            if (!up) {
                r.respond(failure(500, up.error().message));
                return;
            }
        } else if (fault == u"stall") {
            host->setStalled(body->value(u"on"_s).toBool(true));
        } else if (fault == u"unstall") {
            host->setStalled(false);
        } else if (fault == u"status") {
            const int code = body->value(u"code"_s).toInt(500);
            if (code != 0 && (code < 400 || code > 599)) {
                r.respond(failure(400, u"code must be 0 (off) or 400-599"_s));
                return;
            }
            host->setForcedStatus(code);
        } else if (fault == u"malformed") {
            const auto kind = simMalformedEventFromName(body->value(u"kind"_s).toString(u"bad-json"_s));
            if (!kind) {
                r.respond(failure(400, u"kind must be bad-json, bad-envelope, huge-line or invalid-utf8"_s));
                return;
            }
            qint64 bytes = body->value(u"bytes"_s).toInteger(0);
            if (body->contains(u"mb"_s))
                bytes = qint64(body->value(u"mb"_s).toDouble() * 1024 * 1024);
            host->injectMalformedEvent(*kind, bytes);
        } else {
            r.respond(failure(404, u"unknown fault \"%1\""_s.arg(fault)));
            return;
        }
        r.respond(json(200, {{u"ok"_s, true}, {u"state"_s, host->stateJson()}}));
    });

    m_server->route("POST"_ba, u"/quit"_s, [this](const HttpRequest &, HttpResponder r) {
        r.respond(json(200, {{u"ok"_s, true}}));
        // Let the answer leave before the program winds down.
        QTimer::singleShot(50, this, &SimControlServer::quitRequested);
    });
}

} // namespace boo
