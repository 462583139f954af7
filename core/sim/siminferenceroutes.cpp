#include "core/http/httpserver.h"
#include "core/sim/simcompletion.h"
#include "core/sim/simhost.h"
#include "core/sim/simmodelmanager.h"
#include "core/sim/simpipeline.h"
#include "core/sim/simroutes.h"

#include <QRegularExpression>

#include <memory>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

// What llama-server itself answers on the few paths a browser or probe would try.
HttpResponse upstreamAnswer(const SimModelConfig &model, const QString &path)
{
    if (path == u"/")
        return HttpResponse(200, "text/html; charset=utf-8"_ba,
                            "<!doctype html><html><head><title>llama.cpp - chat</title></head><body>" + model.id.toHtmlEscaped().toUtf8()
                                + "</body></html>\n");
    if (path == u"/health")
        return HttpResponse(200, "application/json; charset=utf-8"_ba, "{\"status\":\"ok\"}"_ba);
    if (path == u"/props")
        return HttpResponse(200, "application/json; charset=utf-8"_ba,
                            "{\"default_generation_settings\":{\"n_ctx\":" + QByteArray::number(model.contextLength)
                                + "},\"total_slots\":1,\"model_path\":\"/models/" + model.id.toUtf8() + ".gguf\"}");
    return HttpResponse(404, "application/json; charset=utf-8"_ba,
                        "{\"error\":{\"code\":404,\"message\":\"File Not Found\",\"type\":\"not_found_error\"}}"_ba);
}

void upstream(SimHost *host, const HttpRequest &request, HttpResponder r)
{
    // The longest run of leading segments that names a model wins: ids may contain '/'.
    const QString rest = request.pathParam(u"model");
    const QStringList segments = rest.split(u'/');
    const SimModelConfig *model = nullptr;
    qsizetype used = 0;
    for (qsizetype k = segments.size(); k > 0 && !model; --k) {
        model = host->models()->resolve(segments.mid(0, k).join(u'/'));
        if (model)
            used = k;
    }
    if (!model) {
        r.respond(host->errorResponse(request, 404, u"model not found"_s));
        return;
    }
    const QString name = segments.mid(0, used).join(u'/');
    if (used == segments.size()) {
        // "/upstream/<model>" without the slash: Go's redirect, query kept.
        const bool safe = request.method() == "GET" || request.method() == "HEAD";
        HttpResponse response(safe ? 301 : 308);
        QByteArray location = request.rawPath() + '/';
        if (request.hasQuery())
            location += '?' + request.rawQuery();
        response.setHeader("Location"_ba, location);
        r.respond(std::move(response));
        return;
    }
    const QString path = u"/"_s + segments.mid(used).join(u'/');
    static const QRegularExpression ignorePaths(u".*\\.(js|json|css|png|gif|jpg|jpeg|ico|txt)$"_s);
    if (ignorePaths.match(path).hasMatch() && host->models()->state(model->id) != SimModelState::Ready) {
        r.respond(host->errorResponse(request, 409, u"model %1 is not loaded; path matches upstream.ignorePaths"_s.arg(model->id)));
        return;
    }
    if (request.method() == "POST") {
        if (const auto endpoint = enumFromName(kSimEndpointPaths, path)) {
            host->pipeline()->handleHttp(request, std::move(r), *endpoint, path);
            return;
        }
    }
    // Anything else loads the model like a request would, then reaches the model's own server.
    const QString id = model->id;
    auto held = std::make_shared<HttpResponder>(std::move(r));
    host->models()->acquire(id, [host, held, id, path, request](bool ok, const QString &error) {
        if (!ok) {
            held->respond(host->errorResponse(request, 500, error));
            return;
        }
        held->respond(upstreamAnswer(*host->models()->resolve(id), path));
        host->models()->endRequest(id);
    });
}

} // namespace

void SimInferenceRoutes::install(SimHost *host)
{
    HttpServer *s = host->server();
    const auto add = [&](const QString &path, SimEndpoint endpoint) {
        s->route("POST"_ba, path, [host, endpoint](const HttpRequest &request, HttpResponder r) {
            host->pipeline()->handleHttp(request, std::move(r), endpoint);
        });
    };
    for (const EnumName<SimEndpoint> &path : kSimEndpointPaths)
        add(path.name.toString(), path.value);

    s->route("GET"_ba, u"/upstream"_s, [](const HttpRequest &, HttpResponder r) {
        HttpResponse response(302);
        response.setHeader("Location"_ba, "/ui/models"_ba);
        r.respond(std::move(response));
    });
    s->route(QByteArray(), u"/upstream/{model...}"_s,
             [host](const HttpRequest &request, HttpResponder r) { upstream(host, request, std::move(r)); });
}

} // namespace boo
