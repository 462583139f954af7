#pragma once

#include "core/common/jsonreader.h"

#include <type_traits>

namespace boo {

// Error codes of the protocol layer (Error::code). Messages always say where and what.
namespace protocolerror {
inline constexpr JsonErrorCodes kCodes{"protocol.json", "protocol.field", "protocol.value"};
inline QString json()
{
    return QString::fromLatin1(kCodes.syntax);
} // not JSON at all
inline QString field()
{
    return QString::fromLatin1(kCodes.field);
} // missing / wrong JSON type
inline QString value()
{
    return QString::fromLatin1(kCodes.value);
} // right type, unusable value
} // namespace protocolerror

// The strict JsonReader (core/common/jsonreader.h) with the protocol layer's error codes, plus
// what only the protocol knows: RFC 3339 timestamps. Decoders of llama-swap payloads and of our
// own wire forms above this layer use it; the policy on missing vs wrong-typed fields is
// JsonReader's (see there and docs/protocol.md).
class JsonFields final : public JsonReader
{
public:
    JsonFields(QJsonObject object, QString context, QString pathPrefix = {});

    static Result<QJsonDocument> parseDocument(const QByteArray &body, const QString &what);
    static Result<QJsonObject> parseObject(const QByteArray &body, const QString &what);
    static Result<QJsonArray> parseArray(const QByteArray &body, const QString &what);

    // An RFC 3339 timestamp converted to UTC epoch milliseconds.
    qint64 timestampMs(const QString &key, Presence presence = Required);

    // A reader for a nested object that reports into this one (path "tokens.cache_tokens").
    JsonFields child(const QString &key, const QJsonObject &object) const;
};

// Decodes every element of `array` as an object with `decode(object, context)`, where the context
// is `itemContext` with %1 replaced by the element's index ("activity row %1" -> "activity row 3").
template <typename Decode>
auto decodeEach(const QJsonArray &array, const QString &itemContext, Decode decode)
    -> Result<QList<std::decay_t<decltype(decode(QJsonObject(), QString()).value())>>>
{
    QList<std::decay_t<decltype(decode(QJsonObject(), QString()).value())>> items;
    items.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString context = itemContext.arg(i);
        const QJsonValue item = array.at(i);
        if (!item.isObject()) {
            return makeError(protocolerror::field(),
                             context + QStringLiteral(" is ") + JsonFields::typeName(item) + QStringLiteral(", expected an object"));
        }
        auto decoded = decode(item.toObject(), context);
        if (!decoded)
            return decoded.error();
        items.append(std::move(decoded).value());
    }
    return items;
}

} // namespace boo
