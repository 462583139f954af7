#include "core/protocol/inflightrequest.h"

#include "core/protocol/jsonfields.h"

using namespace Qt::StringLiterals;

namespace boo {

Result<InFlightRequest> InFlightRequest::fromJsonObject(const QJsonObject &object, const QString &context)
{
    JsonFields f(object, context);
    InFlightRequest r;
    // The id is a decimal string; accept a number too rather than lose the whole list over it.
    const QJsonValue id = object.value(u"id"_s);
    if (id.isDouble() && id.toInteger(-1) >= 0)
        r.id = QString::number(id.toInteger());
    else
        r.id = f.string(u"id"_s, JsonFields::Required);
    r.timestampMs = f.timestampMs(u"timestamp"_s, JsonFields::Optional);
    r.model = f.string(u"model"_s);
    r.reqPath = f.string(u"req_path"_s);
    r.method = f.string(u"method"_s);
    r.reqHeaders = f.stringMap(u"req_headers"_s);
    r.remoteIp = f.string(u"remote_ip"_s);
    r.respHeaders = f.stringMap(u"resp_headers"_s);
    r.respBytes = f.optionalInteger(u"resp_bytes"_s);
    r.elapsedMs = f.optionalInteger(u"elapsed_ms"_s);
    r.metadata = f.stringMap(u"metadata"_s);
    if (f.failed())
        return f.error();
    return r;
}

} // namespace boo
