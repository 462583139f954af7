#include "core/sim/simroutes.h"

#include "core/common/rfc3339parser.h"
#include "core/http/httpserver.h"
#include "core/sim/gojsonwriter.h"
#include "core/sim/gotime.h"
#include "core/sim/simhost.h"
#include "core/sim/simmodelmanager.h"
#include "core/sim/simperfmonitor.h"
#include "core/sim/simpipeline.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <limits>
#include <memory>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

HttpResponse jsonOk(QByteArray body)
{
    return HttpResponse(200, "application/json"_ba, std::move(body));
}

QByteArray modelsList(const SimHost *host)
{
    const qint64 created = GoTime::nowNs() / 1000000000;
    GoJsonWriter w;
    w.beginObject().key(u"data").beginArray();
    for (const SimModelConfig &m : host->models()->models()) {
        if (m.unlisted)
            continue;
        w.beginObject();
        w.key(u"id").str(m.id);
        w.key(u"object").str(u"model");
        w.key(u"created").integer(created);
        w.key(u"owned_by").str(u"llama-swap");
        if (!m.name.trimmed().isEmpty())
            w.key(u"name").str(m.name.trimmed());
        if (!m.description.trimmed().isEmpty())
            w.key(u"description").str(m.description.trimmed());
        if (m.hasCapabilities) {
            w.key(u"architecture").beginObject();
            w.key(u"input_modalities").strings(m.inputModalities);
            w.key(u"modality").str(QString(m.inputModalities.join(u'+') + u"->"_s + m.outputModalities.join(u'+')));
            w.key(u"output_modalities").strings(m.outputModalities);
            w.endObject();
            QStringList caps;
            if (m.inputModalities.contains(u"audio"_s))
                caps.append(u"audio_transcriptions"_s);
            if (m.tools)
                caps.append(u"function_calling"_s);
            if (m.reranker)
                caps.append(u"reranker"_s);
            if (m.inputModalities.contains(u"image"_s))
                caps.append(u"vision"_s);
            if (!caps.isEmpty()) {
                w.key(u"capabilities").beginObject();
                for (const QString &c : caps)
                    w.key(c).boolean(true);
                w.endObject();
            }
            if (m.tools)
                w.key(u"supported_parameters").strings({u"tools"_s, u"tool_choice"_s});
            if (m.contextLength > 0)
                w.key(u"context_length").integer(m.contextLength);
        }
        // v235 wrote `meta.llamaswap` only from a model's config `metadata` (which simulated
        // models have none of): the `type`/`aliases` block came in v241, `n_ctx` in v250.
        if (host->compat() != SimCompat::V235) {
            w.key(u"meta").beginObject().key(u"llamaswap").beginObject();
            if (!m.aliases.isEmpty())
                w.key(u"aliases").strings(m.aliases);
            w.key(u"type").str(u"model");
            w.endObject();
            if (m.hasCapabilities && m.contextLength > 0)
                w.key(u"n_ctx").integer(m.contextLength);
            w.endObject();
        }
        if (host->compat() != SimCompat::V235) {
            const SimModelState s = host->models()->state(m.id);
            w.key(u"status").beginObject().key(u"value").str(s == SimModelState::Stopped ? u"unloaded" : u"loaded").endObject();
        }
        w.endObject();
    }
    w.endArray().key(u"object").str(u"list").endObject();
    return w.take() + '\n';
}

QByteArray running(const SimHost *host)
{
    GoJsonWriter w;
    w.beginObject().key(u"running").beginArray();
    int index = 0;
    for (const SimModelConfig &m : host->models()->models()) {
        const int port = 5800 + index++;
        const SimModelState s = host->models()->state(m.id);
        if (s == SimModelState::Stopped)
            continue;
        w.beginObject();
        w.key(u"model").str(m.id);
        w.key(u"state").str(simModelStateName(s));
        w.key(u"cmd").str(u"/opt/llama.cpp/llama-server --port %1\n-m /models/%2.gguf\n-c %3 --jinja\n"_s.arg(port).arg(m.id).arg(
            m.contextLength > 0 ? m.contextLength : 8192));
        w.key(u"proxy").str(u"http://127.0.0.1:%1"_s.arg(port));
        w.key(u"ttl").integer((m.ttlMs + 999) / 1000);
        w.key(u"name").str(m.name);
        w.key(u"description").str(m.description);
        w.endObject();
    }
    w.endArray().endObject();
    return w.take() + '\n';
}

QByteArray hardware(const SimHost *host)
{
    const SimHostConfig &c = host->config();
    const bool mac = !c.gpus.isEmpty() && c.gpus.first().unifiedMemory;
    GoJsonWriter w;
    w.beginObject();
    w.key(u"schema_version").integer(1);
    w.key(u"captured_at").str(QString::fromLatin1(GoTime::rfc3339(GoTime::nowNs(), 0, true)));
    w.key(u"capture").beginObject().key(u"scope").str(u"inference_host").key(u"method").str(u"detected");
    w.key(u"detector").beginObject().key(u"name").str(u"llama-swap").key(u"version").str(host->version()).endObject();
    w.endObject();
    w.key(u"architecture").beginObject().key(u"name").str(mac ? u"arm64" : u"x86_64");
    w.key(u"raw_name").str(mac ? u"arm64" : u"amd64").endObject();
    w.key(u"operating_system").beginObject();
    w.key(u"family").str(mac ? u"macos" : u"linux").key(u"name").str(mac ? u"macOS" : u"ubuntu");
    w.key(u"version").str(mac ? u"15.5" : u"24.04");
    w.key(u"kernel").str(mac ? u"24.5.0" : u"6.8.0-79-generic").endObject();
    w.key(u"environment").beginObject().key(u"kind").str(u"native").key(u"name").null().key(u"version").null().endObject();
    w.key(u"cpu").beginObject().key(u"vendor").str(mac ? u"Apple" : u"AuthenticAMD").key(u"model").str(c.cpuModel);
    w.key(u"socket_count").integer(1).key(u"physical_core_count").integer(c.cpuCores);
    w.key(u"logical_thread_count").integer(mac ? c.cpuCores : c.cpuCores * 2).endObject();
    w.key(u"memory").beginObject().key(u"capacity_bytes").integer(qint64(c.memoryTotalMb) * 1024 * 1024).endObject();
    w.key(u"accelerators").beginArray();
    for (int i = 0; i < c.gpus.size(); ++i) {
        const SimGpuConfig &g = c.gpus.at(i);
        w.beginObject();
        w.key(u"index").integer(i).key(u"kind").str(u"gpu");
        w.key(u"vendor").str(g.unifiedMemory ? u"Apple" : u"NVIDIA").key(u"model").str(g.name);
        w.key(u"architecture");
        if (g.unifiedMemory)
            w.null();
        else
            w.str(u"Ada Lovelace");
        w.key(u"memory").beginObject().key(u"kind").str(g.unifiedMemory ? u"unified" : u"dedicated");
        w.key(u"capacity_bytes").integer(qint64(g.memoryTotalMb) * 1024 * 1024).endObject();
        w.key(u"driver");
        if (g.unifiedMemory)
            w.null();
        else
            w.beginObject().key(u"name").str(u"NVIDIA").key(u"version").str(u"580.76.05").endObject();
        w.key(u"power_limit_watts");
        if (g.unifiedMemory)
            w.null();
        else
            w.real(g.maxPowerW);
        w.endObject();
    }
    w.endArray().endObject();
    return w.take() + '\n';
}

void activityPage(SimHost *host, const HttpRequest &request, HttpResponder r)
{
    const auto query = SimActivityQuery::parse(request, host->compat());
    if (!query) {
        r.respond(host->errorResponse(request, 400, query.error().message));
        return;
    }
    const SimActivityStore::Page page = host->activity().select(*query);
    GoJsonWriter w;
    w.beginObject().key(u"data").beginArray();
    for (const SimActivityRow *row : page.rows)
        row->write(w, host->captures().contains(row->id), host->config().utcOffsetSeconds, false);
    w.endArray();
    w.key(u"page").integer(query->page);
    w.key(u"limit").integer(query->limit);
    w.key(u"total").integer(page.total);
    w.key(u"total_pages").integer((page.total + query->limit - 1) / query->limit);
    w.endObject();
    r.respond(jsonOk(w.take() + '\n'));
}

void setProfile(SimHost *host, const HttpRequest &request, HttpResponder r)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(request.body(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject()) {
        r.respond(host->errorResponse(request, 400, u"invalid profile request"_s));
        return;
    }
    const QJsonObject o = doc.object();
    if (!o.contains(u"name"_s)) {
        r.respond(host->errorResponse(request, 400, u"profile name is required"_s));
        return;
    }
    const QJsonValue name = o.value(u"name"_s);
    if (!name.isNull() && !name.isString()) {
        r.respond(host->errorResponse(request, 400, u"profile name must be a string or null"_s));
        return;
    }
    if (name.isNull() || name.toString().isEmpty()) {
        r.respond(jsonOk("{\"active\":null}\n"_ba));
        return;
    }
    // A simulated host has no profiles configured.
    r.respond(host->errorResponse(request, 404, u"profile \"%1\" not found"_s.arg(name.toString())));
}

} // namespace

void SimRoutes::install(SimHost *host)
{
    HttpServer *s = host->server();
    const bool v235 = host->compat() == SimCompat::V235;

    const auto ok = [](const HttpRequest &, HttpResponder r) { r.respond(HttpResponse::text(200, "OK"_ba)); };
    s->route("GET"_ba, u"/health"_s, ok);
    s->route("GET"_ba, u"/wol-health"_s, ok);

    const auto models = [host](const HttpRequest &request, HttpResponder r) {
        HttpResponse response = jsonOk(modelsList(host));
        const QByteArray origin = request.header("origin");
        if (!origin.isEmpty())
            response.setHeader("Access-Control-Allow-Origin"_ba, origin);
        r.respond(std::move(response));
    };
    s->route("GET"_ba, u"/v1/models"_s, models);
    if (!v235)
        s->route("GET"_ba, u"/models"_s, models);
    s->route("GET"_ba, u"/running"_s, [host](const HttpRequest &, HttpResponder r) { r.respond(jsonOk(running(host))); });

    // Unloading blocks until the processes have stopped.
    s->route("GET"_ba, u"/unload"_s, [host](const HttpRequest &, HttpResponder r) {
        auto held = std::make_shared<HttpResponder>(std::move(r));
        host->models()->unloadAll([held] { held->respond(HttpResponse::text(200, "OK"_ba)); });
    });
    s->route("POST"_ba, u"/api/models/unload"_s, [host](const HttpRequest &, HttpResponder r) {
        auto held = std::make_shared<HttpResponder>(std::move(r));
        host->models()->unloadAll([held] { held->respond(jsonOk("{\"msg\":\"ok\"}\n"_ba)); });
    });
    s->route("POST"_ba, u"/api/models/unload/{model...}"_s, [host](const HttpRequest &request, HttpResponder r) {
        QString name = request.pathParam(u"model");
        while (name.startsWith(u'/'))
            name.remove(0, 1);
        const SimModelConfig *m = host->models()->resolve(name);
        if (!m) {
            r.respond(host->errorResponse(request, 404, u"model not found"_s));
            return;
        }
        auto held = std::make_shared<HttpResponder>(std::move(r));
        host->models()->unload(m->id, [held] { held->respond(HttpResponse::text(200, "OK"_ba)); });
    });

    if (v235) {
        s->route("GET"_ba, u"/api/metrics"_s, [host](const HttpRequest &, HttpResponder r) {
            GoJsonWriter w;
            w.beginArray();
            for (const SimActivityRow &row : host->activity().rows())
                row.write(w, host->captures().contains(row.id), host->config().utcOffsetSeconds, true);
            w.endArray();
            // v235 wrote json.Marshal's bytes as they are: no encoder, so no trailing newline.
            r.respond(jsonOk(w.take()));
        });
    } else {
        s->route("GET"_ba, u"/api/metrics/activity"_s,
                 [host](const HttpRequest &request, HttpResponder r) { activityPage(host, request, std::move(r)); });
        s->route("GET"_ba, u"/api/metrics/stats"_s, [host](const HttpRequest &request, HttpResponder r) {
            r.respond(jsonOk(host->activity().statsJson(request.queryValue(u"model"))));
        });
        s->route("GET"_ba, u"/api/hardware"_s, [host](const HttpRequest &, HttpResponder r) { r.respond(jsonOk(hardware(host))); });
        s->route("GET"_ba, u"/api/profiles"_s,
                 [](const HttpRequest &, HttpResponder r) { r.respond(jsonOk("{\"active\":null,\"profiles\":[]}\n"_ba)); });
        s->route("PUT"_ba, u"/api/profiles/active"_s,
                 [host](const HttpRequest &request, HttpResponder r) { setProfile(host, request, std::move(r)); });
    }

    s->route("GET"_ba, u"/api/performance"_s, [host](const HttpRequest &request, HttpResponder r) {
        if (!host->perf()->enabled()) {
            r.respond(HttpResponse(503, "application/json"_ba, "{\"enabled\":false}\n"_ba));
            return;
        }
        std::optional<qint64> after;
        const QString text = request.queryValue(u"after");
        if (!text.isEmpty()) {
            const auto instant = Rfc3339Parser::parse(text, Rfc3339Parser::kGo);
            if (!instant) {
                r.respond(host->errorResponse(request, 400, u"invalid 'after' timestamp, use RFC3339 format"_s));
                return;
            }
            // Go compares any year 0000-9999; nanoseconds since 1970 overflow beyond 2262 (and
            // before 1677): such a time is after (before) every sample, not an invalid one.
            after = instant->utcNs().value_or(instant->utcSeconds > 0 ? std::numeric_limits<qint64>::max()
                                                                      : std::numeric_limits<qint64>::min());
        }
        r.respond(jsonOk(host->perf()->json(after)));
    });

    s->route("GET"_ba, u"/api/captures/{id}"_s, [host](const HttpRequest &request, HttpResponder r) {
        bool isNumber = false;
        const qint64 id = request.pathParam(u"id").toLongLong(&isNumber);
        if (!isNumber) {
            r.respond(host->errorResponse(request, 400, u"invalid capture ID"_s));
            return;
        }
        const SimCapture *capture = host->captures().find(id);
        if (!capture) {
            r.respond(host->errorResponse(request, 404, u"capture not found"_s));
            return;
        }
        r.respond(jsonOk(capture->toJson()));
    });

    s->route("GET"_ba, u"/api/version"_s, [host](const HttpRequest &, HttpResponder r) {
        GoJsonWriter w;
        w.beginObject();
        w.key(u"build_date").str(u"2026-08-22T16:31:02Z");
        w.key(u"commit").str(host->compat() == SimCompat::V235 ? u"3f1c2a9" : u"0bdb372");
        w.key(u"version").str(host->version());
        w.endObject();
        r.respond(jsonOk(w.take() + '\n'));
    });

    s->route("POST"_ba, u"/api/inflight/{id}/cancel"_s, [host](const HttpRequest &request, HttpResponder r) {
        if (host->pipeline()->cancel(request.pathParam(u"id")))
            r.respond(jsonOk("{\"msg\":\"ok\"}\n"_ba));
        else
            r.respond(host->errorResponse(request, 404, u"inflight request not found"_s));
    });

    s->route("GET"_ba, u"/{$}"_s, [](const HttpRequest &, HttpResponder r) {
        HttpResponse response(302, "text/html; charset=utf-8"_ba, "<a href=\"/ui\">Found</a>.\n\n"_ba);
        response.setHeader("Location"_ba, "/ui"_ba);
        r.respond(std::move(response));
    });

    SimStreamRoutes::install(host);
    SimInferenceRoutes::install(host);
}

} // namespace boo
