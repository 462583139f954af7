#include "core/sim/simerrors.h"

#include "core/http/httprequest.h"
#include "core/sim/gojsonwriter.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace boo {

QString SimErrors::errorType(int status)
{
    if (status == 401 || status == 403)
        return u"authentication_error"_s;
    if (status == 429)
        return u"rate_limit_error"_s;
    if (status >= 500)
        return u"server_error"_s;
    return u"invalid_request_error"_s;
}

QString SimErrors::errorCode(int status)
{
    switch (status) {
    case 400: return u"bad_request"_s;
    case 401: return u"unauthorized"_s;
    case 403: return u"forbidden"_s;
    case 404: return u"not_found"_s;
    case 409: return u"conflict"_s;
    case 429: return u"rate_limit_exceeded"_s;
    case 502: return u"bad_gateway"_s;
    case 503: return u"service_unavailable"_s;
    case 504: return u"gateway_timeout"_s;
    default: break;
    }
    return status >= 500 ? u"internal_error"_s : u"invalid_request"_s;
}

QByteArray SimErrors::jsonBody(SimCompat compat, int status, const QString &message, const QString &codeOverride)
{
    GoJsonWriter w;
    w.beginObject();
    w.key(u"src").str(u"llama-swap");
    if (compat == SimCompat::V250 || compat == SimCompat::V235) {
        // Up to v250 the error was a plain string.
        w.key(u"error").str(message);
    } else {
        w.key(u"error").beginObject();
        w.key(u"message").str(message);
        w.key(u"type").str(errorType(status));
        w.key(u"param").null();
        w.key(u"code").str(codeOverride.isEmpty() ? errorCode(status) : codeOverride);
        w.endObject();
    }
    w.endObject();
    return w.take();
}

HttpResponse SimErrors::response(const HttpRequest &request, SimCompat compat, int status, const QString &message)
{
    return response(request.headerValues("accept").join(','), compat, status, message);
}

QString SimErrors::extractMessage(int status, const QByteArray &body)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    if (doc.isObject()) {
        const QJsonObject o = doc.object();
        QString found;
        if (o.value(u"error"_s).isObject() && o.value(u"error"_s).toObject().value(u"message"_s).isString())
            found = o.value(u"error"_s).toObject().value(u"message"_s).toString();
        else if (o.value(u"error"_s).isString())
            found = o.value(u"error"_s).toString();
        else if (o.value(u"message"_s).isString())
            found = o.value(u"message"_s).toString();
        else if (o.value(u"detail"_s).isString())
            found = o.value(u"detail"_s).toString();
        if (!found.isEmpty())
            return found.size() > 500 ? found.left(500) + u"..."_s : found;
    }
    return u"%1 %2"_s.arg(status).arg(QString::fromLatin1(HttpResponse::reasonPhrase(status)));
}

HttpResponse SimErrors::response(const QByteArray &accept, SimCompat compat, int status, const QString &message,
                                 const QString &codeOverride)
{
    if (accept.contains("text/plain"))
        return HttpResponse(status, "text/plain"_ba, "llama-swap: " + message.toUtf8());
    if (accept.contains("text/html")) {
        QString escaped = message.toHtmlEscaped();
        escaped.replace(u'\'', u"&#39;"_s);
        escaped.replace(u"&quot;"_s, u"&#34;"_s); // Go's html.EscapeString
        return HttpResponse(status, "text/html"_ba, "<html><body><h1>llama-swap</h1><p>" + escaped.toUtf8() + "</p></body></html>");
    }
    return HttpResponse(status, "application/json"_ba, jsonBody(compat, status, message, codeOverride));
}

} // namespace boo
