#include "core/server/apireply.h"

#include "core/http/httprequest.h"
#include "core/protocol/rfc3339.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace boo::apireply {

HttpResponse json(int status, const QJsonObject &body)
{
    HttpResponse response = HttpResponse::json(status, QJsonDocument(body).toJson(QJsonDocument::Compact));
    response.setHeader("Cache-Control", "no-store");
    return response;
}

HttpResponse keysetPage(const QString &itemsKey, const QJsonArray &items, std::optional<qint64> nextBeforeId)
{
    return json(200, QJsonObject{{itemsKey, items}, {u"next_before_id"_s, nextBeforeId ? QJsonValue(*nextBeforeId) : QJsonValue()}});
}

HttpResponse error(int status, const QString &code, const QString &message)
{
    return json(status, QJsonObject{{u"error"_s, QJsonObject{{u"message"_s, message}, {u"code"_s, code}}}});
}

HttpResponse queryError(const Error &failure)
{
    const bool clients = failure.code == u"query.cursor"_s || failure.code == u"query.range"_s;
    return error(clients ? 400 : 503, clients ? u"bad_request"_s : u"database"_s, failure.message);
}

Result<std::optional<qint64>> integerParam(const HttpRequest &request, const QString &name, qint64 min, qint64 max)
{
    if (!request.hasQueryItem(name))
        return std::optional<qint64>();
    bool ok = false;
    const qint64 value = request.queryValue(name).toLongLong(&ok);
    if (!ok || value < min || value > max)
        return makeError(u"bad_request"_s, u"'%1' must be an integer from %2 to %3"_s.arg(name).arg(min).arg(max));
    return std::optional<qint64>(value);
}

Result<std::optional<qint64>> timeParam(const HttpRequest &request, const QString &name)
{
    if (!request.hasQueryItem(name))
        return std::optional<qint64>();
    const QString text = request.queryValue(name).trimmed();
    bool isNumber = false;
    const qint64 ms = text.toLongLong(&isNumber);
    if (isNumber)
        return std::optional<qint64>(ms);
    auto parsed = Rfc3339::toUtcMs(text);
    if (!parsed)
        return makeError(u"bad_request"_s,
                         u"'%1' must be epoch milliseconds or an RFC 3339 time (e.g. 2026-08-22T18:40:55Z; "
                         u"percent-encode a '+' offset as %2B)"_s.arg(name));
    return std::optional<qint64>(*parsed);
}

} // namespace boo::apireply
