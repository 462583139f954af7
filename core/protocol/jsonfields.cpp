#include "core/protocol/jsonfields.h"

#include "core/protocol/rfc3339.h"

#include <QJsonParseError>

#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace boo {

JsonFields::JsonFields(QJsonObject object, QString context, QString pathPrefix)
    : m_object(std::move(object)), m_context(std::move(context)), m_prefix(std::move(pathPrefix))
{
}

Result<QJsonDocument> JsonFields::parseDocument(const QByteArray &body, const QString &what)
{
    if (body.trimmed().isEmpty())
        return makeError(protocolerror::json(), u"%1: the body is empty, expected JSON"_s.arg(what));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError) {
        return makeError(protocolerror::json(), u"%1: invalid JSON at byte %2: %3"_s
                                                    .arg(what)
                                                    .arg(error.offset)
                                                    .arg(error.errorString()));
    }
    return document;
}

Result<QJsonObject> JsonFields::parseObject(const QByteArray &body, const QString &what)
{
    auto document = parseDocument(body, what);
    if (!document)
        return document.error();
    if (!document->isObject()) {
        return makeError(protocolerror::field(), u"%1: the document is %2, expected an object"_s
                                                     .arg(what, document->isArray() ? u"an array"_s : u"a scalar"_s));
    }
    return document->object();
}

Result<QJsonArray> JsonFields::parseArray(const QByteArray &body, const QString &what)
{
    auto document = parseDocument(body, what);
    if (!document)
        return document.error();
    if (!document->isArray()) {
        return makeError(protocolerror::field(), u"%1: the document is %2, expected an array"_s
                                                     .arg(what, document->isObject() ? u"an object"_s : u"a scalar"_s));
    }
    return document->array();
}

QString JsonFields::typeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null: return u"null"_s;
    case QJsonValue::Bool: return u"a boolean"_s;
    case QJsonValue::Double: return u"a number"_s;
    case QJsonValue::String: return u"a string"_s;
    case QJsonValue::Array: return u"an array"_s;
    case QJsonValue::Object: return u"an object"_s;
    case QJsonValue::Undefined: break;
    }
    return u"missing"_s;
}

bool JsonFields::has(const QString &key) const
{
    return m_object.contains(key);
}

bool JsonFields::isNull(const QString &key) const
{
    const QJsonValue value = m_object.value(key);
    return value.isNull() || value.isUndefined();
}

void JsonFields::fail(const QString &key, const QString &problem)
{
    if (m_error)
        return;
    m_error = makeError(protocolerror::field(), u"%1: field \"%2\" %3"_s.arg(m_context, path(key), problem));
}

void JsonFields::adopt(const Error &error)
{
    if (!m_error)
        m_error = error;
}

void JsonFields::failType(const QString &key, const QJsonValue &value, const char *expected)
{
    fail(key, u"is %1, expected %2"_s.arg(typeName(value), QLatin1StringView(expected)));
}

std::optional<QJsonValue> JsonFields::typed(const QString &key, QJsonValue::Type type, const char *expected,
                                            Presence presence)
{
    const QJsonValue value = m_object.value(key);
    if (value.isUndefined() || value.isNull()) {
        if (presence == Required)
            fail(key, value.isNull() ? u"is null, expected %1"_s.arg(QLatin1StringView(expected))
                                     : u"is missing"_s);
        return std::nullopt;
    }
    if (value.type() != type) {
        failType(key, value, expected);
        return std::nullopt;
    }
    return value;
}

QString JsonFields::string(const QString &key, Presence presence)
{
    const auto value = typed(key, QJsonValue::String, "a string", presence);
    return value ? value->toString() : QString();
}

std::optional<QString> JsonFields::nullableString(const QString &key)
{
    const auto value = typed(key, QJsonValue::String, "a string", Optional);
    return value ? std::optional<QString>(value->toString()) : std::nullopt;
}

qint64 JsonFields::integer(const QString &key, Presence presence)
{
    return optionalIntegerImpl(key, presence).value_or(0);
}

std::optional<qint64> JsonFields::optionalInteger(const QString &key)
{
    return optionalIntegerImpl(key, Optional);
}

std::optional<qint64> JsonFields::optionalIntegerImpl(const QString &key, Presence presence)
{
    const auto value = typed(key, QJsonValue::Double, "a number", presence);
    if (!value)
        return std::nullopt;
    // Go's ints always print as whole numbers; a fraction here means a different payload.
    constexpr qint64 notWhole = std::numeric_limits<qint64>::min();
    const qint64 whole = value->toInteger(notWhole);
    if (whole == notWhole) {
        fail(key, u"is %1, expected a whole number"_s.arg(value->toDouble()));
        return std::nullopt;
    }
    return whole;
}

quint64 JsonFields::unsignedInteger(const QString &key)
{
    const auto value = typed(key, QJsonValue::Double, "a number", Optional);
    if (!value)
        return 0;
    // Counters since boot are uint64 in Go; above 2^63 Qt keeps them only as a double.
    const double asDouble = value->toDouble();
    constexpr qint64 notWhole = std::numeric_limits<qint64>::min();
    const qint64 whole = value->toInteger(notWhole);
    if (whole != notWhole && whole >= 0)
        return quint64(whole);
    if (asDouble >= 9223372036854775808.0 && asDouble < 18446744073709551616.0 && std::trunc(asDouble) == asDouble)
        return quint64(asDouble);
    fail(key, u"is %1, expected a whole number >= 0"_s.arg(asDouble));
    return 0;
}

double JsonFields::number(const QString &key, Presence presence)
{
    const auto value = typed(key, QJsonValue::Double, "a number", presence);
    return value ? value->toDouble() : 0.0;
}

std::optional<double> JsonFields::optionalNumber(const QString &key)
{
    const auto value = typed(key, QJsonValue::Double, "a number", Optional);
    return value ? std::optional<double>(value->toDouble()) : std::nullopt;
}

bool JsonFields::boolean(const QString &key)
{
    const auto value = typed(key, QJsonValue::Bool, "a boolean", Optional);
    return value && value->toBool();
}

QJsonObject JsonFields::object(const QString &key, Presence presence)
{
    const auto value = typed(key, QJsonValue::Object, "an object", presence);
    return value ? value->toObject() : QJsonObject();
}

std::optional<QJsonObject> JsonFields::nullableObject(const QString &key)
{
    const auto value = typed(key, QJsonValue::Object, "an object", Optional);
    return value ? std::optional<QJsonObject>(value->toObject()) : std::nullopt;
}

QJsonArray JsonFields::array(const QString &key, Presence presence)
{
    const auto value = typed(key, QJsonValue::Array, "an array", presence);
    return value ? value->toArray() : QJsonArray();
}

std::optional<QJsonArray> JsonFields::nullableArray(const QString &key)
{
    const auto value = typed(key, QJsonValue::Array, "an array", Optional);
    return value ? std::optional<QJsonArray>(value->toArray()) : std::nullopt;
}

QStringList JsonFields::stringList(const QString &key)
{
    QStringList result;
    const QJsonArray items = array(key);
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QJsonValue item = items.at(i);
        if (!item.isString()) {
            fail(u"%1[%2]"_s.arg(key).arg(i), u"is %1, expected a string"_s.arg(typeName(item)));
            return {};
        }
        result << item.toString();
    }
    return result;
}

QMap<QString, QString> JsonFields::stringMap(const QString &key)
{
    return nullableStringMap(key).value_or(QMap<QString, QString>());
}

std::optional<QMap<QString, QString>> JsonFields::nullableStringMap(const QString &key)
{
    const auto object = nullableObject(key);
    if (!object)
        return std::nullopt;
    QMap<QString, QString> result;
    for (auto it = object->begin(); it != object->end(); ++it) {
        if (!it.value().isString()) {
            fail(key + u'.' + it.key(), u"is %1, expected a string"_s.arg(typeName(it.value())));
            return std::nullopt;
        }
        result.insert(it.key(), it.value().toString());
    }
    return result;
}

QMap<QString, bool> JsonFields::boolMap(const QString &key)
{
    QMap<QString, bool> result;
    const QJsonObject flags = object(key);
    for (auto it = flags.begin(); it != flags.end(); ++it) {
        if (!it.value().isBool()) {
            fail(key + u'.' + it.key(), u"is %1, expected a boolean"_s.arg(typeName(it.value())));
            return {};
        }
        result.insert(it.key(), it.value().toBool());
    }
    return result;
}

qint64 JsonFields::timestampMs(const QString &key, Presence presence)
{
    const auto text = typed(key, QJsonValue::String, "a string (RFC 3339 timestamp)", presence);
    if (!text)
        return 0;
    const auto ms = Rfc3339::toUtcMs(text->toString());
    if (!ms) {
        if (!m_error)
            m_error = makeError(protocolerror::value(), u"%1: field \"%2\": %3"_s.arg(m_context, path(key), ms.error().message));
        return 0;
    }
    return *ms;
}

std::optional<QByteArray> JsonFields::nullableBase64(const QString &key)
{
    const auto text = typed(key, QJsonValue::String, "a string (base64) or null", Optional);
    if (!text)
        return std::nullopt;
    const auto decoded = QByteArray::fromBase64Encoding(text->toString().toLatin1(),
                                                        QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded) {
        if (!m_error)
            m_error = makeError(protocolerror::value(), u"%1: field \"%2\" is not valid base64"_s.arg(m_context, path(key)));
        return std::nullopt;
    }
    return decoded.decoded;
}

JsonFields JsonFields::child(const QString &key, const QJsonObject &object) const
{
    return JsonFields(object, m_context, m_prefix + key + u'.');
}

} // namespace boo
