#include "core/server/controlhostroutes.h"

#include "core/actions/actionqueue.h"
#include "core/actions/hostaccess.h"
#include "core/http/httprequest.h"
#include "core/http/httpresponder.h"
#include "core/http/httpserver.h"
#include "core/http/httpstream.h"
#include "core/server/apireply.h"

#include <QJsonDocument>
#include <QNetworkReply>

#include <memory>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

int statusFor(const QString &code)
{
    if (code == u"action.host_unknown"_s)
        return 404;
    if (code == u"action.host_down"_s || code == u"action.host_leased"_s)
        return 409;
    if (code == u"action.queue_full"_s)
        return 429;
    return 400;
}

// Pipes one host log stream to one client: the host's answer status first (an error is passed
// through whole), then every chunk as it arrives. Either side going away ends both.
class LogPipe final : public QObject
{
public:
    LogPipe(QNetworkReply *reply, HttpResponder responder)
        : m_reply(reply)
        , m_responder(std::move(responder))
    {
        reply->setParent(this);
        connect(reply, &QNetworkReply::readyRead, this, &LogPipe::forward);
        connect(reply, &QNetworkReply::finished, this, &LogPipe::finish);
        if (QObject *client = m_responder.connectionContext())
            connect(client, &QObject::destroyed, this, &LogPipe::close);
    }

private:
    void forward()
    {
        const QVariant status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        if (!status.isValid() || status.toInt() != 200)
            return; // errors are answered whole when the reply finishes
        if (!m_stream) {
            if (!m_responder.isPending())
                return;
            m_stream = m_responder.startStream(
                200,
                HttpHeaders{{"Content-Type", "text/plain; charset=utf-8"}, {"Cache-Control", "no-store"}, {"X-Accel-Buffering", "no"}});
            if (!m_stream)
                return close();
            connect(m_stream.get(), &HttpStream::clientGone, this, &LogPipe::close);
        }
        if (!m_stream->write(m_reply->readAll()) || m_stream->bytesPending() > ControlHostRoutes::kMaxLogBacklogBytes)
            close();
    }

    void finish()
    {
        forward();
        if (m_stream) {
            m_stream->end();
        } else if (m_responder.isPending()) {
            const QVariant status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
            if (status.isValid()) {
                const QByteArray type = m_reply->rawHeader("Content-Type");
                m_responder.respond(status.toInt(), type.isEmpty() ? "text/plain"_ba : type, m_reply->readAll());
            } else {
                m_responder.respond(apireply::error(502, u"host_unreachable"_s, HostEndpoint::networkError(m_reply, "GET").message));
            }
        }
        deleteLater();
    }

    void close()
    {
        m_reply->disconnect(this);
        m_reply->abort();
        if (m_stream)
            m_stream->end();
        deleteLater();
    }

    QNetworkReply *m_reply;
    HttpResponder m_responder;
    std::unique_ptr<HttpStream> m_stream;
};

} // namespace

ControlHostRoutes::ControlHostRoutes(HttpServer *http, HostAccess *access, ActionQueue *actions, QObject *parent)
    : QObject(parent)
    , m_access(access)
    , m_actions(actions)
{
    http->route(
        "POST", u"/api/actions"_s, [this](const HttpRequest &r, HttpResponder p) { submitAction(r, std::move(p)); }, kMaxActionBodyBytes);
    http->route(
        "GET", u"/api/hosts/{host}/captures/{id}"_s, [this](const HttpRequest &r, HttpResponder p) { capture(r, std::move(p)); }, 0);
    http->route(
        "GET", u"/api/hosts/{host}/logs/{source...}"_s, [this](const HttpRequest &r, HttpResponder p) { logs(r, std::move(p)); }, 0);
}

void ControlHostRoutes::submitAction(const HttpRequest &request, HttpResponder responder)
{
    if (!m_actions)
        return responder.respond(apireply::error(503, u"no_actions"_s, u"this server runs no actions"_s));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body(), &parseError);
    if (!document.isObject()) {
        return responder.respond(apireply::error(400, u"bad_request"_s,
                                                 u"the body must be a JSON object like "
                                                 u"{\"host\":\"gpu1\",\"action\":\"warm\",\"model\":\"qwen3\"}"_s));
    }
    auto action = HostAction::fromJson(document.object());
    if (!action)
        return responder.respond(apireply::error(400, u"bad_request"_s, action.error().message));
    // The server numbers and times actions itself.
    action->id = 0;
    action->queuedMs = 0;
    auto accepted = m_actions->submit(*action);
    if (!accepted) {
        const int status = statusFor(accepted.error().code);
        return responder.respond(apireply::error(status, accepted.error().code.mid(7), accepted.error().message));
    }
    responder.respond(apireply::json(202, QJsonObject{{u"action"_s, accepted->toJson()}}));
}

void ControlHostRoutes::capture(const HttpRequest &request, HttpResponder responder)
{
    bool ok = false;
    const qint64 id = request.pathParam(u"id").toLongLong(&ok);
    if (!ok || id < 0)
        return responder.respond(apireply::error(400, u"bad_request"_s, u"the capture id must be a non-negative integer"_s));
    const QString host = request.pathParam(u"host");
    if (!m_access || !m_access->endpoint(host))
        return responder.respond(apireply::error(404, u"host_unknown"_s, u"no watched host '%1'"_s.arg(host)));
    auto pending = std::make_shared<HttpResponder>(std::move(responder));
    QObject *context = pending->connectionContext() ? pending->connectionContext() : this;
    m_access->fetchCaptureResponse(host, id, context, [pending](Result<HostResponse> answer) {
        if (!answer)
            return pending->respond(apireply::error(502, u"host_unreachable"_s, answer.error().message));
        pending->respond(answer->status, answer->contentType.isEmpty() ? "application/json"_ba : answer->contentType, answer->body);
    });
}

void ControlHostRoutes::logs(const HttpRequest &request, HttpResponder responder)
{
    const QString host = request.pathParam(u"host");
    if (!m_access)
        return responder.respond(apireply::error(503, u"no_hosts"_s, u"this server reaches no hosts"_s));
    auto reply = m_access->openLogStream(host, request.pathParam(u"source"));
    if (!reply)
        return responder.respond(apireply::error(404, u"host_unknown"_s, reply.error().message));
    auto *pipe = new LogPipe(*reply, std::move(responder));
    pipe->setParent(this);
}

} // namespace boo
