#include "core/protocol/capture.h"

#include "core/protocol/jsonfields.h"

using namespace Qt::StringLiterals;

namespace boo {

Result<Capture> Capture::fromJson(const QByteArray &body)
{
    const QString what = u"/api/captures"_s;
    auto object = JsonFields::parseObject(body, what);
    if (!object)
        return object.error();
    JsonFields f(*object, what);
    Capture c;
    c.id = f.integer(u"id"_s, JsonFields::Required);
    c.reqPath = f.string(u"req_path"_s);
    c.reqHeaders = f.stringMap(u"req_headers"_s);
    c.reqBody = f.nullableBase64(u"req_body"_s);
    c.respHeaders = f.nullableStringMap(u"resp_headers"_s);
    c.respBody = f.nullableBase64(u"resp_body"_s);
    if (f.failed())
        return f.error();
    return c;
}

} // namespace boo
