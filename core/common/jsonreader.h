#pragma once

#include "core/common/enumnames.h"
#include "core/common/result.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QMap>
#include <QString>
#include <QStringList>

#include <cstddef>
#include <optional>

namespace boo {

// The Error::code values a JsonReader reports; each layer has its own family ("protocol.field",
// "policy.field", ...) so callers and tests can tell whose input was wrong. Plain literals: a
// reader is built per decoded object and must not copy strings it only needs on failure.
struct JsonErrorCodes
{
    const char *syntax; // not JSON at all
    const char *field;  // missing, or of the wrong JSON type
    const char *value;  // the right type, an unusable value (unknown name, out of range)
};

// Reads the fields of one JSON object strictly and remembers the FIRST problem, so a decoder can
// read all of its fields in a straight line and check once at the end. Every message carries the
// context ("activity row 3") and the dotted field path, e.g.
//   activity row 3: field "tokens.cache_tokens" is a string, expected a number
//
// Policy (kept in one place so all readers behave alike, see docs/protocol.md):
//  * a missing or null field gets its empty value or the fallback the caller names, unless it is
//    read as Required — peers add and drop fields between releases and must keep working;
//  * a field of the wrong JSON type is always an error, never a default: `{"enabled":"no"}` read
//    with QJsonValue::toBool(true) would quietly mean "enabled".
//
// core/protocol's JsonFields is this reader with the protocol's error codes and RFC 3339
// timestamps; layers below protocol (store, http, sim) use JsonReader directly.
class JsonReader
{
public:
    enum Presence { Optional, Required };

    JsonReader(QJsonObject object, QString context, const JsonErrorCodes &codes, QString pathPrefix = {});

    // Parses a whole body. `what` names the payload for the message ("/api/metrics/activity").
    static Result<QJsonDocument> parseDocument(const QByteArray &body, const QString &what, const JsonErrorCodes &codes);
    static Result<QJsonObject> parseObject(const QByteArray &body, const QString &what, const JsonErrorCodes &codes);
    static Result<QJsonArray> parseArray(const QByteArray &body, const QString &what, const JsonErrorCodes &codes);
    static QString typeName(const QJsonValue &value);

    bool has(const QString &key) const;
    bool isNull(const QString &key) const;

    QString string(const QString &key, Presence presence = Optional);
    // Absent or null: nullopt (use value_or for a fallback).
    std::optional<QString> nullableString(const QString &key);
    qint64 integer(const QString &key, Presence presence = Optional);
    std::optional<qint64> optionalInteger(const QString &key);
    // A whole number in [min, max]; absent or null: nullopt.
    std::optional<qint64> integerIn(const QString &key, qint64 min, qint64 max);
    quint64 unsignedInteger(const QString &key);
    double number(const QString &key, Presence presence = Optional);
    std::optional<double> optionalNumber(const QString &key);
    // Absent or null: `fallback`.
    bool boolean(const QString &key, bool fallback = false);
    std::optional<bool> optionalBoolean(const QString &key, Presence presence = Optional);
    QJsonObject object(const QString &key, Presence presence = Optional);
    std::optional<QJsonObject> nullableObject(const QString &key);
    QJsonArray array(const QString &key, Presence presence = Optional);
    std::optional<QJsonArray> nullableArray(const QString &key);
    QStringList stringList(const QString &key);
    // Every element a whole number.
    QList<qint64> integerList(const QString &key);
    QMap<QString, QString> stringMap(const QString &key);
    std::optional<QMap<QString, QString>> nullableStringMap(const QString &key);
    QMap<QString, bool> boolMap(const QString &key);
    std::optional<QByteArray> nullableBase64(const QString &key);

    // A string that must be one of the names in `table` (enumnames.h); absent or null: nullopt.
    // Anything else fails with "... is \"x\", must be one of a, b or c".
    template <typename E, std::size_t N>
    std::optional<E> enumValue(const QString &key, const EnumName<E> (&table)[N], Presence presence = Optional)
    {
        const auto text = typed(key, QJsonValue::String, "a string", presence);
        if (!text)
            return std::nullopt;
        const QString name = text->toString();
        if (const auto value = enumFromName(table, name))
            return value;
        failUnknownName(key, name, enumChoices(table));
        return std::nullopt;
    }

    // Every element of array `key` as an object. A non-object element is an error, not {}.
    QList<QJsonObject> objectList(const QString &key, Presence presence = Optional);

    // A reader for a nested object that reports into this one (path "tokens.cache_tokens").
    JsonReader child(const QString &key, const QJsonObject &object) const;
    // Adopts a failure found while decoding nested data (first error wins).
    void adopt(const Error &error);
    // The field is present with the wrong shape (code `field`) / an unusable value (code `value`).
    void fail(const QString &key, const QString &problem);
    void failValue(const QString &key, const QString &problem);

    bool failed() const { return m_error.has_value(); }
    const Error &error() const { return *m_error; }
    const QString &context() const { return m_context; }
    QString path(const QString &key) const { return m_prefix + key; }
    const QJsonObject &json() const { return m_object; }
    const JsonErrorCodes &codes() const { return m_codes; }

protected:
    // The value of `key` when it has the expected type; nullopt (and maybe an error) otherwise.
    std::optional<QJsonValue> typed(const QString &key, QJsonValue::Type type, const char *expected, Presence presence);

private:
    void failWith(const char *code, const QString &key, const QString &problem);
    void failType(const QString &key, const QJsonValue &value, const char *expected);
    void failUnknownName(const QString &key, const QString &name, const QString &choices);
    std::optional<qint64> optionalIntegerImpl(const QString &key, Presence presence);

    QJsonObject m_object;
    QString m_context;
    QString m_prefix;
    JsonErrorCodes m_codes;
    std::optional<Error> m_error;
};

} // namespace boo
