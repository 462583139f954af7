#include "core/server/configapi.h"

#include "core/common/jsonreader.h"
#include "core/http/httprequest.h"
#include "core/http/httpserver.h"
#include "core/remote/configdiff.h"
#include "core/remote/configjobs.h"
#include "core/remote/configvalidator.h"
#include "core/remote/configversionstore.h"
#include "core/server/apireply.h"
#include "core/server/controlfeed.h"
#include "core/server/controlserver.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QPointer>
#include <QRegularExpression>

#include <memory>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

constexpr JsonErrorCodes kRequestCodes{"bad_request", "bad_request", "bad_request"};

HttpResponse errorWith(int status, const QString &code, const QString &message, QJsonObject extra = {})
{
    extra.insert(u"error"_s, QJsonObject{{u"message"_s, message}, {u"code"_s, code}});
    return apireply::json(status, extra);
}

// A host that is not in the registry is not found; one that is but cannot be reached over SSH
// (no "ssh" settings, or not llama-swap) is a conflict with how it is set up.
HttpResponse hostError(const Error &error)
{
    if (error.code == u"config.unknown_host"_s)
        return apireply::error(404, u"not_found"_s, error.message);
    if (error.code == u"remote.settings"_s)
        return apireply::error(409, u"no_ssh"_s, error.message);
    return apireply::error(503, u"unavailable"_s, error.message);
}

// What ssh said, as the host's failure: the server is fine, the host (or its trust) is not.
HttpResponse sshError(const RemoteConfigResult &r)
{
    const QString failure = enumNameString(kSshFailureNames, r.failure).replace(u'-', u'_');
    return apireply::error(502, u"ssh_"_s + failure, r.message);
}

QString fileNameOf(const ConfigHost &host)
{
    return QFileInfo(host.configPath).fileName();
}

// The YAML text of validate and diff: the body itself, or {"text": ...} sent as JSON.
Result<QByteArray> textBody(const HttpRequest &request)
{
    if (!request.header("Content-Type").trimmed().toLower().startsWith("application/json"))
        return request.body();
    auto object = JsonReader::parseObject(request.body(), u"the request body"_s, kRequestCodes);
    if (!object)
        return object.error();
    JsonReader f(*object, u"request"_s, kRequestCodes);
    const QString text = f.string(u"text"_s, JsonReader::Required);
    if (f.failed())
        return f.error();
    return text.toUtf8();
}

bool isSha256(const QString &text)
{
    static const QRegularExpression hex(u"^[0-9a-f]{64}$"_s);
    return hex.match(text).hasMatch();
}

// The answer to apply and restore once the job holds the host (202) or ended before (the reason).
HttpResponse decided(const ConfigJob &job)
{
    const QJsonObject body{{u"job"_s, job.toJson()}};
    if (job.state == ConfigJob::State::Running || !job.result)
        return apireply::json(202, body);
    const ConfigApplyResult &r = *job.result;
    switch (r.outcome) {
    case ApplyOutcome::Invalid:
        return errorWith(422, u"invalid"_s, r.message, {{u"job"_s, job.toJson()}, {u"validation"_s, r.report.toJson()}});
    case ApplyOutcome::Refused:
        if (!r.access.isEmpty())
            return errorWith(409, u"host_"_s + r.access, r.message, body);
        // The file is not the one the client saw: here is what the change would be now.
        return errorWith(409, u"changed"_s, r.message,
                         {{u"job"_s, job.toJson()}, {u"diff"_s, r.diff}, {u"current_sha256"_s, r.currentSha256}});
    case ApplyOutcome::Failed: {
        const bool overSsh = !r.steps.isEmpty() && r.steps.constLast().step != ApplyStep::Lease;
        return errorWith(overSsh ? 502 : 503, overSsh ? u"ssh_failed"_s : u"unavailable"_s, r.message, body);
    }
    default: return apireply::json(200, body);
    }
}

void readConfig(ConfigJobs *jobs, const HttpRequest &request, HttpResponder responder)
{
    auto host = jobs->host(request.pathParam(u"id"));
    if (!host)
        return responder.respond(hostError(host.error()));
    auto pending = std::make_shared<HttpResponder>(std::move(responder));
    jobs->read(*host, nullptr, [pending, id = host->providerId, path = host->configPath](const RemoteConfigResult &r) {
        if (!r.ok())
            return pending->respond(sshError(r));
        pending->respond(apireply::json(
            200, QJsonObject{{u"host"_s, id}, {u"path"_s, path}, {u"text"_s, QString::fromUtf8(r.content)}, {u"sha256"_s, r.sha256}}));
    });
}

void validate(ConfigJobs *jobs, const HttpRequest &request, HttpResponder responder)
{
    auto host = jobs->host(request.pathParam(u"id"));
    if (!host && host.error().code == u"config.unknown_host"_s)
        return responder.respond(hostError(host.error()));
    auto text = textBody(request);
    if (!text)
        return responder.respond(apireply::error(400, text.error().code, text.error().message));
    // Checking a text needs no host: one without SSH settings is validated all the same.
    const QString fileName = host ? fileNameOf(*host) : u"config.yaml"_s;
    responder.respond(apireply::json(200, ConfigValidator::validate(*text, fileName).toJson()));
}

void diff(ConfigJobs *jobs, const HttpRequest &request, HttpResponder responder)
{
    auto host = jobs->host(request.pathParam(u"id"));
    if (!host)
        return responder.respond(hostError(host.error()));
    auto text = textBody(request);
    if (!text)
        return responder.respond(apireply::error(400, text.error().code, text.error().message));
    auto pending = std::make_shared<HttpResponder>(std::move(responder));
    jobs->read(*host, nullptr, [pending, host = *host, text = *text](const RemoteConfigResult &r) {
        if (!r.ok())
            return pending->respond(sshError(r));
        const QString unified = ConfigDiff::unified(r.content, text, fileNameOf(host));
        pending->respond(apireply::json(200,
                                        QJsonObject{{u"host"_s, host.providerId},
                                                    {u"path"_s, host.configPath},
                                                    {u"diff"_s, unified},
                                                    {u"changed"_s, r.content != text},
                                                    {u"current_sha256"_s, r.sha256},
                                                    {u"new_sha256"_s, RemoteConfigFile::sha256(text)},
                                                    {u"validation"_s, ConfigValidator::validate(text, fileNameOf(host)).toJson()}}));
    });
}

// apply and restore: the same body but for what is applied.
void change(ConfigJobs *jobs, const HttpRequest &request, HttpResponder responder, bool restore)
{
    auto host = jobs->host(request.pathParam(u"id"));
    if (!host)
        return responder.respond(hostError(host.error()));
    auto object = JsonReader::parseObject(request.body(), u"the request body"_s, kRequestCodes);
    if (!object)
        return responder.respond(apireply::error(400, object.error().code, object.error().message));
    JsonReader f(*object, restore ? u"restore"_s : u"apply"_s, kRequestCodes);
    QByteArray text;
    std::optional<qint64> backupId;
    if (restore)
        backupId = f.integerIn(u"backup_id"_s, 1, std::numeric_limits<qint64>::max());
    else
        text = f.string(u"text"_s, JsonReader::Required).toUtf8();
    const QString sha256 = f.string(u"sha256"_s, JsonReader::Required).toLower();
    ConfigApplyOptions options;
    options.kind = restore ? u"restore"_s : u"apply"_s;
    options.force = f.boolean(u"force"_s, false);
    options.reason = f.string(u"reason"_s);
    options.author = f.string(u"author"_s);
    if (f.failed())
        return responder.respond(apireply::error(400, f.error().code, f.error().message));
    if (restore && !backupId)
        return responder.respond(apireply::error(400, u"bad_request"_s, u"restore: field \"backup_id\" is required"_s));
    if (!isSha256(sha256)) {
        return responder.respond(apireply::error(
            400, u"bad_request"_s, u"\"sha256\" must be the SHA-256 (64 hex digits) of the host's file as GET …/config returned it"_s));
    }
    if (restore) {
        if (!jobs->database())
            return responder.respond(apireply::error(503, u"no_database"_s, u"this server keeps no backups"_s));
        auto version = ConfigVersionStore::version(*jobs->database(), host->providerId, *backupId);
        if (!version)
            return responder.respond(apireply::queryError(version.error()));
        if (!*version)
            return responder.respond(apireply::error(404, u"not_found"_s, u"%1 has no backup %2"_s.arg(host->providerId).arg(*backupId)));
        text = (*version)->content;
        if (options.reason.isEmpty())
            options.reason = u"restore backup %1"_s.arg(*backupId);
        // A version that ran before goes back even if today's validator finds fault with it.
        options.validationBlocks = false;
    }
    if (options.author.isEmpty())
        options.author = u"api:%1"_s.arg(request.peerAddress().toString());
    options.expectedCurrentSha256 = sha256;
    options.healthTimeoutMs = host->healthTimeoutMs;

    auto pending = std::make_shared<HttpResponder>(std::move(responder));
    auto started = jobs->start(
        *host, text, options, [pending](const ConfigJob &job) { pending->respond(decided(job)); }, backupId);
    if (!started)
        pending->respond(apireply::error(409, u"config_running"_s, started.error().message));
}

void job(ConfigJobs *jobs, const HttpRequest &request, HttpResponder responder)
{
    const auto found = jobs->job(request.pathParam(u"jobId"));
    if (!found || found->host != request.pathParam(u"id"))
        return responder.respond(apireply::error(
            404, u"not_found"_s, u"no config job %1 of %2 on this server"_s.arg(request.pathParam(u"jobId"), request.pathParam(u"id"))));
    responder.respond(apireply::json(200, found->toJson()));
}

void backups(ControlServer *server, ConfigJobs *jobs, const HttpRequest &request, HttpResponder responder)
{
    const QString id = request.pathParam(u"id");
    // Backups outlive SSH settings: only a host the registry does not know is not found.
    if (auto host = jobs->host(id); !host && host.error().code == u"config.unknown_host"_s)
        return responder.respond(hostError(host.error()));
    if (!server->hasHistory())
        return responder.respond(apireply::error(503, u"no_database"_s, u"this server keeps no history"_s));
    auto limit = apireply::integerParam(request, u"limit"_s, 1, 1000);
    if (!limit)
        return responder.respond(apireply::error(400, limit.error().code, limit.error().message));
    server->answerFromHistory<QList<ConfigVersion>>(
        std::move(responder), [id, limit = int(limit->value_or(50))](Database &db) { return ConfigVersionStore::versions(db, id, limit); },
        [id](const Result<QList<ConfigVersion>> &versions) {
            if (!versions)
                return apireply::queryError(versions.error());
            QJsonArray list;
            for (const ConfigVersion &v : *versions)
                list.append(v.toJson());
            return apireply::json(200, QJsonObject{{u"host"_s, id}, {u"backups"_s, list}});
        });
}

} // namespace

void ConfigApi::install(ControlServer *server, ConfigJobs *jobs)
{
    HttpServer *http = server->http();
    const QPointer<ConfigJobs> guard(jobs);
    // Every route the same way: a server shutting down answers 503 rather than touching a
    // ConfigJobs that is gone.
    const auto route = [http, guard](const char *method, const QString &path, qint64 maxBody, auto handler) {
        http->route(
            method, path,
            [guard, handler](const HttpRequest &request, HttpResponder responder) {
                if (!guard)
                    return responder.respond(apireply::error(503, u"unavailable"_s, u"config changes are shutting down"_s));
                handler(guard.data(), request, std::move(responder));
            },
            maxBody);
    };
    route("GET", u"/api/hosts/{id}/config"_s, 0, readConfig);
    route("POST", u"/api/hosts/{id}/config/validate"_s, kMaxBodyBytes, validate);
    route("POST", u"/api/hosts/{id}/config/diff"_s, kMaxBodyBytes, diff);
    route("POST", u"/api/hosts/{id}/config/apply"_s, kMaxBodyBytes,
          [](ConfigJobs *j, const HttpRequest &q, HttpResponder r) { change(j, q, std::move(r), false); });
    route("POST", u"/api/hosts/{id}/config/restore"_s, 4096,
          [](ConfigJobs *j, const HttpRequest &q, HttpResponder r) { change(j, q, std::move(r), true); });
    route("GET", u"/api/hosts/{id}/config/jobs/{jobId}"_s, 0, job);
    route("GET", u"/api/hosts/{id}/config/backups"_s, 0,
          [server](ConfigJobs *j, const HttpRequest &q, HttpResponder r) { backups(server, j, q, std::move(r)); });
    // Every step to every WebSocket client: the job, as GET …/config/jobs/{jobId} shows it.
    QObject::connect(jobs, &ConfigJobs::jobChanged, server->feed(), [feed = server->feed()](const ConfigJob &job) {
        feed->broadcastMessage(QJsonObject{{u"type"_s, u"config_progress"_s}, {u"job"_s, job.toJson()}});
    });
}

} // namespace boo
