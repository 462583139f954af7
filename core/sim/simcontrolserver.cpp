#include "core/sim/simcontrolserver.h"

#include "core/common/jsonreader.h"
#include "core/http/httpserver.h"
#include "core/sim/simcompletion.h"
#include "core/sim/simfleet.h"
#include "core/sim/simhost.h"
#include "core/sim/simmodelmanager.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <limits>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

// A test drives the simulator through these bodies: `{"on":"no"}` must be refused, not read as
// "on" (QJsonValue::toBool(true)) and stall the host.
constexpr JsonErrorCodes kControlCodes{"sim.control", "sim.control", "sim.control"};
constexpr qint64 kMaxInt = std::numeric_limits<int>::max();

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
    JsonReader f(o, u"traffic"_s, kControlCodes);
    SimTrafficSpec spec;
    spec.count = int(f.integerIn(u"count"_s, 1, 10000000).value_or(spec.count));
    spec.rate = f.optionalNumber(u"rate"_s).value_or(spec.rate);
    spec.model = f.string(u"model"_s);
    spec.stream = f.boolean(u"stream"_s, spec.stream);
    spec.status = int(f.integerIn(u"status"_s, 100, 599).value_or(spec.status));
    spec.maxTokens = int(f.integerIn(u"maxTokens"_s, 0, kMaxInt).value_or(spec.maxTokens));
    spec.timing = f.enumValue(u"timing"_s, SimTrafficSpec::kTimingNames).value_or(spec.timing);
    if (f.enumValue(u"endpoint"_s, kSimEndpointPaths))
        spec.endpoint = f.string(u"endpoint"_s);
    if (!f.failed() && spec.rate < 0)
        f.failValue(u"rate"_s, u"is %1, must be >= 0"_s.arg(spec.rate));
    if (f.failed())
        return f.error();
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
    m_server->route("POST"_ba, u"/traffic"_s,
                    [this, traffic](const HttpRequest &req, HttpResponder r) { traffic(req, std::move(r), m_fleet->hosts()); });

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
        JsonReader f(*body, fault, kControlCodes);
        const auto refuse = [&r, &f] { r.respond(failure(400, f.error().message)); };
        if (fault == u"drop-streams") {
            host->dropStreams();
        } else if (fault == u"reload") {
            host->reloadConfig();
        } else if (fault == u"restart") {
            const int downMs = int(f.integerIn(u"downMs"_s, -1, kMaxInt).value_or(-1)); // -1: the host's own
            const QString version = f.string(u"version"_s);
            if (f.failed())
                return refuse();
            host->restart(downMs, version);
        } else if (fault == u"crash") {
            // Without a model: every ready model's server dies.
            const QString model = f.string(u"model"_s);
            if (f.failed())
                return refuse();
            QStringList ids;
            if (!model.isEmpty())
                ids << model;
            for (const SimModelConfig &m : host->models()->models()) {
                if (model.isEmpty() && host->models()->state(m.id) == SimModelState::Ready)
                    ids << m.id;
            }
            for (const QString &id : std::as_const(ids)) {
                if (const Result<void> crashed = host->crashModel(id); !crashed) {
                    r.respond(failure(400, crashed.error().message));
                    return;
                }
            }
        } else if (fault == u"down") {
            host->goDown();
        } else if (fault == u"up") {
            const Result<void> up = host->comeUp();
            if (!up) {
                r.respond(failure(500, up.error().message));
                return;
            }
        } else if (fault == u"stall") {
            const bool on = f.boolean(u"on"_s, true);
            if (f.failed())
                return refuse();
            host->setStalled(on);
        } else if (fault == u"unstall") {
            host->setStalled(false);
        } else if (fault == u"status") {
            const int code = int(f.integerIn(u"code"_s, 0, 599).value_or(500));
            if (!f.failed() && code != 0 && code < 400)
                f.failValue(u"code"_s, u"is %1, must be 0 (off) or 400-599"_s.arg(code));
            if (f.failed())
                return refuse();
            host->setForcedStatus(code);
        } else if (fault == u"malformed") {
            const auto kind = simMalformedEventFromName(f.nullableString(u"kind"_s).value_or(u"bad-json"_s));
            if (!f.failed() && !kind)
                f.failValue(u"kind"_s, u"must be bad-json, bad-envelope, huge-line or invalid-utf8"_s);
            qint64 bytes = f.integerIn(u"bytes"_s, 0, std::numeric_limits<qint64>::max()).value_or(0);
            if (const auto mb = f.optionalNumber(u"mb"_s)) {
                if (*mb < 0 || *mb > 1024 * 1024)
                    f.failValue(u"mb"_s, u"is %1, must be between 0 and 1048576"_s.arg(*mb));
                bytes = qint64(*mb * 1024 * 1024);
            }
            if (f.failed())
                return refuse();
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
