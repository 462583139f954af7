#include "core/server/gapacknowledgement.h"

#include "core/fleet/fleetstate.h"
#include "core/http/httprequest.h"
#include "core/http/httpresponder.h"
#include "core/http/httpserver.h"
#include "core/server/apireply.h"

#include <QDateTime>
#include <QPointer>

using namespace Qt::StringLiterals;

namespace boo {

void GapAcknowledgement::install(HttpServer *http, FleetState *fleet)
{
    constexpr qint64 noBody = 0;
    http->route(
        "POST", u"/api/hosts/{host}/gap/acknowledge"_s,
        [fleet = QPointer(fleet)](const HttpRequest &request, HttpResponder responder) {
            const QString host = request.pathParam(u"host");
            const qint64 now = QDateTime::currentMSecsSinceEpoch();
            const QString by = u"the control API (%1)"_s.arg(request.peerAddress().toString());
            if (!fleet || !fleet->acknowledgeGap(host, now, by))
                return responder.respond(apireply::error(404, u"host_unknown"_s, u"no watched host '%1'"_s.arg(host)));
            responder.respond(apireply::json(200, QJsonObject{{u"host"_s, fleet->host(host)->toJson(now)}}));
        },
        noBody);
}

} // namespace boo
