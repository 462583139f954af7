#include "tests/ingest/scriptedhost.h"

#include "core/http/httprequest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace boo::test {

ScriptedHost::ScriptedHost(QObject *parent)
    : QObject(parent)
{
    m_clock.start();
    m_server.setPreRoutingHook([this](const HttpRequest &request, HttpResponder &responder) {
        if (requiredKey.isEmpty() || request.path() == u"/health"_s || request.header("Authorization") == "Bearer " + requiredKey)
            return false;
        responder.respond(HttpResponse::json(401, R"({"src":"llama-swap","error":"unauthorized: invalid or missing API key"})"));
        return true;
    });
    m_server.route("GET", u"/api/version"_s, [this](const HttpRequest &, HttpResponder r) {
        ++versionRequests;
        versionRequestTimes << m_clock.elapsed();
        HttpResponse response = HttpResponse::json(versionStatus, R"({"build_date":"unknown","commit":"abc","version":"v251"})");
        if (retryAfterSeconds >= 0)
            response.setHeader("Retry-After", QByteArray::number(retryAfterSeconds));
        r.respond(std::move(response));
    });
    m_server.route("GET", u"/health"_s, [this](const HttpRequest &, HttpResponder r) {
        ++healthRequests;
        if (health == Behaviour::Hang)
            m_hung.push_back(std::move(r));
        else
            r.respond(HttpResponse::text(200, "OK"));
    });
    m_server.route("GET", u"/running"_s,
                   [](const HttpRequest &, HttpResponder r) { r.respond(HttpResponse::json(200, R"({"running":[]})")); });
    m_server.route("GET", u"/api/performance"_s, [](const HttpRequest &, HttpResponder r) {
        r.respond(HttpResponse::json(200, R"({"enabled":true,"gpu_stats":[],"sys_stats":[]})"));
    });
    m_server.route("GET", u"/api/metrics/activity"_s, [this](const HttpRequest &request, HttpResponder r) {
        if (activity == Behaviour::Hang)
            m_hungActivity.emplace_back(request, std::move(r));
        else
            activityPage(request, std::move(r));
    });
    m_server.route("GET", u"/api/events"_s, [this](const HttpRequest &, HttpResponder r) {
        if (events == Behaviour::Hang) {
            m_hung.push_back(std::move(r));
            return;
        }
        HttpHeaders headers;
        headers.set("Content-Type", "text/event-stream");
        if (auto stream = r.startStream(200, headers))
            m_streams.push_back(std::move(stream));
    });
    m_server.listen(QHostAddress::LocalHost, 0);
}

QUrl ScriptedHost::baseUrl() const
{
    return QUrl(u"http://127.0.0.1:%1"_s.arg(port()));
}

void ScriptedHost::activityPage(const HttpRequest &request, HttpResponder responder)
{
    // Just what the connector asks for on a current host: id ranges, newest-first, limit.
    const qint64 minId = request.hasQueryItem(u"min_id"_s) ? request.queryValue(u"min_id"_s).toLongLong() : 1;
    const qint64 maxId = request.hasQueryItem(u"max_id"_s) ? request.queryValue(u"max_id"_s).toLongLong() : LLONG_MAX;
    const int limit = request.hasQueryItem(u"limit"_s) ? request.queryValue(u"limit"_s).toInt() : 25;
    const bool descending = request.queryValue(u"order"_s) != u"asc"_s;
    QList<Row> selected;
    for (const Row &row : std::as_const(rows)) {
        if (row.id >= minId && row.id <= maxId)
            selected << row;
    }
    if (descending)
        std::reverse(selected.begin(), selected.end());
    QJsonArray data;
    for (const Row &row : selected.mid(0, limit)) {
        data.append(QJsonObject{{u"id"_s, row.id},
                                {u"timestamp"_s, row.timestamp},
                                {u"model"_s, u"m"_s},
                                {u"req_path"_s, u"/v1/chat/completions"_s},
                                {u"resp_content_type"_s, u"application/json"_s},
                                {u"resp_status_code"_s, 200},
                                {u"tokens"_s,
                                 QJsonObject{{u"cache_tokens"_s, -1},
                                             {u"draft_tokens"_s, -1},
                                             {u"draft_acc_tokens"_s, -1},
                                             {u"input_tokens"_s, 10},
                                             {u"output_tokens"_s, 5},
                                             {u"prompt_per_second"_s, 100},
                                             {u"tokens_per_second"_s, 20}}},
                                {u"duration_ms"_s, 50},
                                {u"has_capture"_s, false}});
    }
    const QJsonObject page{{u"data"_s, data},
                           {u"page"_s, 1},
                           {u"limit"_s, limit},
                           {u"total"_s, selected.size()},
                           {u"total_pages"_s, selected.isEmpty() ? 0 : 1}};
    responder.respond(HttpResponse::json(200, QJsonDocument(page).toJson(QJsonDocument::Compact)));
}

void ScriptedHost::send(const QString &type, const QByteArray &dataJson)
{
    const QJsonObject envelope{{u"type"_s, type}, {u"data"_s, QString::fromUtf8(dataJson)}};
    const QByteArray frame = "event:message\ndata:" + QJsonDocument(envelope).toJson(QJsonDocument::Compact) + "\n\n";
    for (auto &stream : m_streams) {
        if (stream->isOpen())
            stream->write(frame);
    }
}

void ScriptedHost::closeStreams()
{
    for (auto &stream : m_streams)
        stream->abort();
    m_streams.clear();
}

void ScriptedHost::answerHungActivityRequests()
{
    auto hung = std::move(m_hungActivity);
    m_hungActivity.clear();
    for (auto &[request, responder] : hung)
        activityPage(request, std::move(responder));
}

int ScriptedHost::openStreams() const
{
    return int(std::count_if(m_streams.cbegin(), m_streams.cend(), [](const auto &s) { return s->isOpen(); }));
}

} // namespace boo::test
