#include "core/server/modelpreferenceapi.h"

#include "core/common/jsonreader.h"
#include "core/http/httprequest.h"
#include "core/http/httpresponder.h"
#include "core/http/httpserver.h"
#include "core/server/apireply.h"
#include "core/store/modelpreferencestore.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace boo {

void ModelPreferenceApi::install(HttpServer *http, Database *database)
{
    constexpr qint64 noBody = 0;
    constexpr qint64 smallBody = 16 * 1024; // one preference
    http->route(
        "GET", u"/api/model-preferences"_s,
        [database](const HttpRequest &, HttpResponder responder) {
            auto loaded = ModelPreferenceStore::load(*database);
            if (!loaded)
                return responder.respond(apireply::queryError(loaded.error()));
            QJsonArray out;
            for (const ModelPreference &p : *loaded)
                out.append(p.toJson());
            responder.respond(apireply::json(200, QJsonObject{{u"preferences"_s, out}}));
        },
        noBody);
    http->route(
        "PUT", u"/api/model-preferences"_s,
        [database](const HttpRequest &request, HttpResponder responder) {
            static constexpr JsonErrorCodes codes{"bad_request", "bad_request", "bad_request"};
            auto body = JsonReader::parseObject(request.body(), u"PUT /api/model-preferences"_s, codes);
            if (!body)
                return responder.respond(apireply::error(400, u"bad_request"_s, body.error().message));
            auto preference = ModelPreference::fromJson(*body);
            if (!preference)
                return responder.respond(apireply::error(400, u"bad_request"_s, preference.error().message));
            // The server's clock orders the marks of several cockpits, not theirs.
            preference->updatedAtMs = QDateTime::currentMSecsSinceEpoch();
            if (auto saved = ModelPreferenceStore::save(*database, *preference); !saved)
                return responder.respond(apireply::error(503, u"db_unavailable"_s, saved.error().message));
            responder.respond(apireply::json(200, QJsonObject{{u"preference"_s, preference->toJson()}}));
        },
        smallBody);
}

} // namespace boo
