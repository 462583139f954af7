#include "core/sim/simcapture.h"

#include "core/sim/gojsonwriter.h"

namespace boo {

namespace {

void writeHeaders(GoJsonWriter &w, const SimCapture::Headers &headers)
{
    w.beginObject();
    for (const auto &[name, value] : headers)
        w.key(QString::fromLatin1(name)).str(QString::fromLatin1(value));
    w.endObject();
}

} // namespace

QByteArray SimCapture::toJson() const
{
    GoJsonWriter w;
    w.beginObject();
    w.key(u"id").integer(id);
    w.key(u"req_path").str(reqPath);
    w.key(u"req_headers");
    writeHeaders(w, reqHeaders);
    w.key(u"req_body");
    if (reqBody)
        w.raw(QByteArray('"' + reqBody->toBase64() + '"'));
    else
        w.null();
    w.key(u"resp_headers");
    if (respHeaders)
        writeHeaders(w, *respHeaders);
    else
        w.null();
    w.key(u"resp_body");
    if (respBody)
        w.raw(QByteArray('"' + respBody->toBase64() + '"'));
    else if (renderRespBody)
        w.raw(QByteArray('"' + renderRespBody().toBase64() + '"'));
    else
        w.null();
    w.endObject();
    return w.take();
}

} // namespace boo
