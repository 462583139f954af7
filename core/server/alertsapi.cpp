#include "core/server/alertsapi.h"

#include "core/alerts/alertdelivery.h"
#include "core/http/httprequest.h"
#include "core/http/httpresponder.h"
#include "core/http/httpserver.h"
#include "core/server/apireply.h"

#include <QPointer>

using namespace Qt::StringLiterals;

namespace boo {

void AlertsApi::install(HttpServer *http, AlertDelivery *delivery)
{
    constexpr qint64 noBody = 0;
    http->route(
        "GET", u"/api/alerts"_s,
        [delivery = QPointer(delivery)](const HttpRequest &, HttpResponder responder) {
            if (!delivery)
                return responder.respond(apireply::error(503, u"stopping"_s, u"the server is stopping"_s));
            responder.respond(apireply::json(200, delivery->statusJson()));
        },
        noBody);
    http->route(
        "POST", u"/api/alerts/test"_s,
        [delivery = QPointer(delivery)](const HttpRequest &, HttpResponder responder) {
            if (!delivery)
                return responder.respond(apireply::error(503, u"stopping"_s, u"the server is stopping"_s));
            if (delivery->sinks().isEmpty()) {
                return responder.respond(apireply::error(409, u"no_sinks"_s,
                                                         u"no alert sinks are configured: start boocontrol --serve with "
                                                         u"--alerts FILE (docs/alerts.md)"_s));
            }
            const QString id = delivery->sendTest();
            responder.respond(apireply::json(202, QJsonObject{{u"alert"_s, delivery->record(id)->toJson()}}));
        },
        noBody);
}

} // namespace boo
