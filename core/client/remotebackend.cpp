#include "core/client/remotebackend.h"

#include "core/actions/hostaccess.h"
#include "core/actions/logstreamreader.h"
#include "core/client/remotefleetclient.h"
#include "core/client/remotehistorysource.h"
#include "core/client/remoteroutingsource.h"
#include "core/common/jsonreader.h"
#include "core/common/logging.h"
#include "core/fleet/fleetstate.h"
#include "core/protocol/apierror.h"

#include <QJsonArray>

#include <QJsonDocument>
#include <QNetworkReply>
#include <QPointer>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

// The control API's error shape: {"error": {"message": "...", "code": "queue_full"}}.
struct ServerError
{
    QString code;
    QString message;
};

ServerError serverError(const HostResponse &answer)
{
    const QJsonObject error = QJsonDocument::fromJson(answer.body).object().value(u"error"_s).toObject();
    ServerError e{error.value(u"code"_s).toString(), error.value(u"message"_s).toString()};
    if (e.message.isEmpty()) {
        const auto parsed = ApiError::fromBody(answer.body);
        e.message = parsed && !parsed->message.isEmpty() ? parsed->message : u"HTTP %1"_s.arg(answer.status);
    }
    return e;
}

} // namespace

RemoteBackend::RemoteBackend(const QUrl &controlUrl, const QString &token, QObject *parent)
    : CockpitBackend(parent)
    , m_server(RemoteFleetClient::httpBase(controlUrl), token)
    , m_fleet(new FleetState(this))
    , m_client(new RemoteFleetClient(controlUrl, token, m_fleet, this))
    , m_history(new RemoteHistorySource(m_server, &m_nam, this))
    , m_routing(new RemoteRoutingSource(m_server, &m_nam, this))
{
    m_databaseLabel = tr("on %1").arg(m_server.baseUrl().toDisplayString());
    connect(m_client, &RemoteFleetClient::stateChanged, this, &CockpitBackend::statusChanged);
    m_healthTimer.setInterval(kHealthIntervalMs);
    connect(&m_healthTimer, &QTimer::timeout, this, &RemoteBackend::checkHealth);
}

RemoteBackend::~RemoteBackend() = default;

RoutingSource *RemoteBackend::routing() const
{
    return m_routing;
}

void RemoteBackend::start()
{
    m_client->start();
    m_healthTimer.start();
    checkHealth();
}

HistorySource *RemoteBackend::history() const
{
    return m_history;
}

QString RemoteBackend::attachedServer() const
{
    return m_client->url().toDisplayString();
}

QString RemoteBackend::connectionProblem() const
{
    switch (m_client->state()) {
    case RemoteFleetClient::State::Connected: return {};
    case RemoteFleetClient::State::Connecting: return tr("connecting");
    case RemoteFleetClient::State::Reconnecting: return tr("reconnecting: %1").arg(m_client->lastError());
    }
    return {};
}

void RemoteBackend::checkHealth()
{
    m_server.send(&m_nam, "GET", u"/api/health"_s, {}, 5000, this, [this](Result<HostResponse> answer) {
        std::optional<bool> up;
        if (answer && answer->status == 200) {
            // A health answer we cannot read leaves the database state unknown, not "down".
            constexpr JsonErrorCodes kCodes{"server.wire", "server.wire", "server.wire"};
            const auto health = JsonReader::parseObject(answer->body, u"/api/health"_s, kCodes);
            JsonReader f(health ? *health : QJsonObject(), u"/api/health"_s, kCodes);
            if (!health)
                f.adopt(health.error());
            if (const auto database = f.nullableObject(u"database"_s)) {
                JsonReader d = f.child(u"database"_s, *database);
                const std::optional<bool> databaseUp = d.optionalBoolean(u"up"_s, JsonReader::Required);
                const QString label = d.string(u"url"_s);
                if (d.failed()) {
                    f.adopt(d.error());
                } else {
                    up = databaseUp;
                    m_databaseLabel = label;
                }
            }
            if (f.failed())
                qCWarning(lcApp).noquote() << "attached server:" << f.error().message;
        }
        if (up != m_databaseUp) {
            m_databaseUp = up;
            Q_EMIT statusChanged();
        }
    });
}

void RemoteBackend::submit(const HostAction &action, QObject *context, ActionCallback done)
{
    const QByteArray body = QJsonDocument(action.toJson()).toJson(QJsonDocument::Compact);
    m_server.send(
        &m_nam, "POST", u"/api/actions"_s, {}, 10000, context ? context : this,
        [done = std::move(done)](Result<HostResponse> answer) {
            if (!answer)
                return done(answer.error());
            if (answer->status != 202) {
                const ServerError error = serverError(*answer);
                return done(makeError(u"action."_s + (error.code.isEmpty() ? u"failed"_s : error.code), error.message));
            }
            done(HostAction::fromJson(QJsonDocument::fromJson(answer->body).object().value(u"action"_s).toObject()));
        },
        body);
}

void RemoteBackend::acknowledgeGap(const QString &hostId, QObject *context, DoneCallback done)
{
    m_server.send(&m_nam, "POST", u"/api/hosts/%1/gap/acknowledge"_s.arg(hostId), {}, 10000, context ? context : this,
                  [done = std::move(done)](Result<HostResponse> answer) {
                      if (!answer)
                          return done(answer.error());
                      if (answer->status != 200) {
                          const ServerError error = serverError(*answer);
                          return done(
                              makeError(u"host."_s + (error.code == u"host_unknown"_s ? u"unknown"_s : u"failed"_s), error.message));
                      }
                      done({});
                  });
}

void RemoteBackend::sendTestAlert(QObject *context, MessageCallback done)
{
    m_server.send(&m_nam, "POST", u"/api/alerts/test"_s, {}, 10000, context ? context : this,
                  [done = std::move(done)](Result<HostResponse> answer) {
                      if (!answer)
                          return done(answer.error());
                      if (answer->status != 202) {
                          const ServerError error = serverError(*answer);
                          return done(makeError(u"alerts."_s + (error.code.isEmpty() ? u"failed"_s : error.code), error.message));
                      }
                      const QJsonObject alert = QJsonDocument::fromJson(answer->body).object().value(u"alert"_s).toObject();
                      const int sinks = int(alert.value(u"deliveries"_s).toArray().size());
                      done(tr("Test alert %1 sent to %n sink(s) of the server; GET /api/alerts shows whether it arrived.", nullptr, sinks)
                               .arg(alert.value(u"id"_s).toString()));
                  });
}

void RemoteBackend::fetchCapture(const QString &hostId, qint64 captureId, QObject *context, CaptureCallback done)
{
    m_server.send(&m_nam, "GET", u"/api/hosts/%1/captures/%2"_s.arg(hostId).arg(captureId), {}, 15000, context ? context : this,
                  [captureId, done = std::move(done)](Result<HostResponse> answer) {
                      if (answer && answer->status == 404) {
                          // The server's own 404 names an unknown host; the host's 404 is an evicted capture.
                          const ServerError error = serverError(*answer);
                          if (error.code == u"host_unknown"_s)
                              return done(makeError(u"host.unknown"_s, error.message));
                      }
                      done(HostAccess::decodeCapture(answer, captureId));
                  });
}

Result<LogStreamReader *> RemoteBackend::openModelLog(const QString &hostId, const QString &model, QObject *parent)
{
    QNetworkRequest request = m_server.streamRequest(u"/api/hosts/%1/logs/%2"_s.arg(hostId, model));
    request.setRawHeader("Accept", "text/plain");
    return new LogStreamReader(m_nam.get(request), parent);
}

Result<ChatTarget> RemoteBackend::chatTarget(const QString &provider, const QString &model) const
{
    return ChatTarget::gateway(m_server.baseUrl(), m_server.apiKey(), provider + u'/' + model);
}

namespace {

// The server's answer, or its error message: {"error": {"message": ...}}.
Result<QJsonObject> answerObject(const Result<HostResponse> &answer, const QString &what)
{
    if (!answer)
        return answer.error();
    static constexpr JsonErrorCodes codes{"prefs.answer", "prefs.answer", "prefs.answer"};
    auto body = JsonReader::parseObject(answer->body, what, codes);
    if (answer->status != 200) {
        const QString message = body ? body->value(u"error"_s).toObject().value(u"message"_s).toString() : QString();
        return makeError(u"prefs.refused"_s, u"%1: HTTP %2 %3"_s.arg(what).arg(answer->status).arg(message));
    }
    return body;
}

} // namespace

void RemoteBackend::loadModelPreferences(QObject *context, PreferencesCallback done)
{
    m_server.send(&m_nam, "GET", u"/api/model-preferences"_s, {}, 10000, context ? context : this,
                  [done = std::move(done)](Result<HostResponse> answer) {
                      auto body = answerObject(answer, u"GET /api/model-preferences"_s);
                      if (!body)
                          return done(body.error());
                      QList<ModelPreference> out;
                      for (const QJsonValue &v : body->value(u"preferences"_s).toArray()) {
                          auto p = ModelPreference::fromJson(v.toObject());
                          if (!p)
                              return done(p.error());
                          out << *p;
                      }
                      done(out);
                  });
}

void RemoteBackend::saveModelPreference(const ModelPreference &preference, QObject *context, DoneCallback done)
{
    const QByteArray body = QJsonDocument(preference.toJson()).toJson(QJsonDocument::Compact);
    m_server.send(
        &m_nam, "PUT", u"/api/model-preferences"_s, {}, 10000, context ? context : this,
        [done = std::move(done)](Result<HostResponse> answer) {
            auto reply = answerObject(answer, u"PUT /api/model-preferences"_s);
            if (!reply)
                return done(reply.error());
            done({});
        },
        body);
}

} // namespace boo
