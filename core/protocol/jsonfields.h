#pragma once

#include "core/common/result.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>
#include <limits>
#include <type_traits>

namespace boo {

// Error codes of the protocol layer (Error::code). Messages always say where and what.
namespace protocolerror {
inline QString json() { return QStringLiteral("protocol.json"); }       // not JSON at all
inline QString field() { return QStringLiteral("protocol.field"); }     // missing / wrong JSON type
inline QString value() { return QStringLiteral("protocol.value"); }     // right type, unusable value
} // namespace protocolerror

// Reads the fields of one JSON object and remembers the FIRST problem, so a decoder can read all
// of its fields in a straight line and check once at the end. Every message carries the context
// ("activity row 3") and the dotted field path, e.g.
//   activity row 3: field "tokens.cache_tokens" is a string, expected a number
//
// Policy (kept in one place so all decoders behave alike, see docs/protocol.md):
//  * a missing or null field gets its empty value, unless it is read as Required — llama-swap
//    adds and drops fields between releases and a monitor must keep working;
//  * a field of the wrong JSON type is always an error: that is not a release difference, it is
//    a broken or foreign payload.
class JsonFields final
{
public:
    enum Presence { Optional, Required };

    JsonFields(QJsonObject object, QString context, QString pathPrefix = {});

    // Parses a whole body. `what` names the payload for the message ("/api/metrics/activity").
    static Result<QJsonDocument> parseDocument(const QByteArray &body, const QString &what);
    static Result<QJsonObject> parseObject(const QByteArray &body, const QString &what);
    static Result<QJsonArray> parseArray(const QByteArray &body, const QString &what);
    static QString typeName(const QJsonValue &value);

    bool has(const QString &key) const;
    bool isNull(const QString &key) const;

    QString string(const QString &key, Presence presence = Optional);
    std::optional<QString> nullableString(const QString &key);
    qint64 integer(const QString &key, Presence presence = Optional);
    std::optional<qint64> optionalInteger(const QString &key);
    quint64 unsignedInteger(const QString &key);
    double number(const QString &key, Presence presence = Optional);
    std::optional<double> optionalNumber(const QString &key);
    bool boolean(const QString &key);
    QJsonObject object(const QString &key, Presence presence = Optional);
    std::optional<QJsonObject> nullableObject(const QString &key);
    QJsonArray array(const QString &key, Presence presence = Optional);
    std::optional<QJsonArray> nullableArray(const QString &key);
    QStringList stringList(const QString &key);
    QMap<QString, QString> stringMap(const QString &key);
    std::optional<QMap<QString, QString>> nullableStringMap(const QString &key);
    QMap<QString, bool> boolMap(const QString &key);
    // An RFC 3339 timestamp converted to UTC epoch milliseconds.
    qint64 timestampMs(const QString &key, Presence presence = Required);
    std::optional<QByteArray> nullableBase64(const QString &key);

    // A reader for a nested object that reports into this one (path "tokens.cache_tokens").
    JsonFields child(const QString &key, const QJsonObject &object) const;
    // Adopts a failure found while decoding nested data (first error wins).
    void adopt(const Error &error);
    void fail(const QString &key, const QString &problem);

    bool failed() const { return m_error.has_value(); }
    const Error &error() const { return *m_error; }
    const QString &context() const { return m_context; }
    QString path(const QString &key) const { return m_prefix + key; }
    const QJsonObject &json() const { return m_object; }

private:
    // The value of `key` when it has the expected type; nullopt (and maybe an error) otherwise.
    std::optional<QJsonValue> typed(const QString &key, QJsonValue::Type type, const char *expected,
                                    Presence presence);
    void failType(const QString &key, const QJsonValue &value, const char *expected);
    std::optional<qint64> optionalIntegerImpl(const QString &key, Presence presence);

    QJsonObject m_object;
    QString m_context;
    QString m_prefix;
    std::optional<Error> m_error;
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
            return makeError(protocolerror::field(), context + QStringLiteral(" is ") + JsonFields::typeName(item)
                                                         + QStringLiteral(", expected an object"));
        }
        auto decoded = decode(item.toObject(), context);
        if (!decoded)
            return decoded.error();
        items.append(std::move(decoded).value());
    }
    return items;
}

} // namespace boo
