#include "core/gateway/openaierror.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace boo::openaierror {

QString typeForStatus(int status)
{
    if (status == 401 || status == 403)
        return u"authentication_error"_s;
    if (status == 429)
        return u"rate_limit_error"_s;
    if (status >= 500)
        return u"server_error"_s;
    return u"invalid_request_error"_s;
}

QByteArray body(int status, const QString &code, const QString &message, const QString &param)
{
    const QJsonObject error{{u"message"_s, message},
                            {u"type"_s, typeForStatus(status)},
                            {u"param"_s, param.isEmpty() ? QJsonValue() : QJsonValue(param)},
                            {u"code"_s, code}};
    return QJsonDocument(QJsonObject{{u"error"_s, error}}).toJson(QJsonDocument::Compact);
}

HttpResponse response(int status, const QString &code, const QString &message, const QString &param)
{
    HttpResponse r = HttpResponse::json(status, body(status, code, message, param));
    if (status == 401)
        r.setHeader("WWW-Authenticate", "Bearer");
    return r;
}

QByteArray streamEvent(int status, const QString &code, const QString &message)
{
    return "data: " + body(status, code, message) + "\n\ndata: [DONE]\n\n";
}

} // namespace boo::openaierror
