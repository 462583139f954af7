#include "core/protocol/jsonfields.h"

#include "core/protocol/rfc3339.h"

using namespace Qt::StringLiterals;

namespace boo {

JsonFields::JsonFields(QJsonObject object, QString context, QString pathPrefix)
    : JsonReader(std::move(object), std::move(context), protocolerror::kCodes, std::move(pathPrefix))
{
}

Result<QJsonDocument> JsonFields::parseDocument(const QByteArray &body, const QString &what)
{
    return JsonReader::parseDocument(body, what, protocolerror::kCodes);
}

Result<QJsonObject> JsonFields::parseObject(const QByteArray &body, const QString &what)
{
    return JsonReader::parseObject(body, what, protocolerror::kCodes);
}

Result<QJsonArray> JsonFields::parseArray(const QByteArray &body, const QString &what)
{
    return JsonReader::parseArray(body, what, protocolerror::kCodes);
}

qint64 JsonFields::timestampMs(const QString &key, Presence presence)
{
    const auto text = typed(key, QJsonValue::String, "a string (RFC 3339 timestamp)", presence);
    if (!text)
        return 0;
    const auto ms = Rfc3339::toUtcMs(text->toString());
    if (!ms) {
        adopt(makeError(protocolerror::value(), u"%1: field \"%2\": %3"_s.arg(context(), path(key), ms.error().message)));
        return 0;
    }
    return *ms;
}

JsonFields JsonFields::child(const QString &key, const QJsonObject &object) const
{
    return JsonFields(object, context(), path(key) + u'.');
}

} // namespace boo
