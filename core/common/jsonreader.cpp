#include "core/common/jsonreader.h"

#include <QJsonParseError>

#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

QString code(const char *literal)
{
    return QString::fromLatin1(literal);
}

} // namespace

JsonReader::JsonReader(QJsonObject object, QString context, const JsonErrorCodes &codes, QString pathPrefix)
    : m_object(std::move(object))
    , m_context(std::move(context))
    , m_prefix(std::move(pathPrefix))
    , m_codes(codes)
{
}

Result<QJsonDocument> JsonReader::parseDocument(const QByteArray &body, const QString &what, const JsonErrorCodes &codes)
{
    if (body.trimmed().isEmpty())
        return makeError(code(codes.syntax), u"%1: the body is empty, expected JSON"_s.arg(what));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError) {
        return makeError(code(codes.syntax), u"%1: invalid JSON at byte %2: %3"_s.arg(what).arg(error.offset).arg(error.errorString()));
    }
    return document;
}

Result<QJsonObject> JsonReader::parseObject(const QByteArray &body, const QString &what, const JsonErrorCodes &codes)
{
    auto document = parseDocument(body, what, codes);
    if (!document)
        return document.error();
    if (!document->isObject()) {
        return makeError(code(codes.field),
                         u"%1: the document is %2, expected an object"_s.arg(what, document->isArray() ? u"an array"_s : u"a scalar"_s));
    }
    return document->object();
}

Result<QJsonArray> JsonReader::parseArray(const QByteArray &body, const QString &what, const JsonErrorCodes &codes)
{
    auto document = parseDocument(body, what, codes);
    if (!document)
        return document.error();
    if (!document->isArray()) {
        return makeError(code(codes.field),
                         u"%1: the document is %2, expected an array"_s.arg(what, document->isObject() ? u"an object"_s : u"a scalar"_s));
    }
    return document->array();
}

QString JsonReader::typeName(const QJsonValue &value)
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

bool JsonReader::has(const QString &key) const
{
    return m_object.contains(key);
}

bool JsonReader::isNull(const QString &key) const
{
    const QJsonValue value = m_object.value(key);
    return value.isNull() || value.isUndefined();
}

void JsonReader::failWith(const char *errorCode, const QString &key, const QString &problem)
{
    if (m_error)
        return;
    const QString where = u"field \"%1\" %2"_s.arg(path(key), problem);
    m_error = makeError(code(errorCode), m_context.isEmpty() ? where : m_context + u": "_s + where);
}

void JsonReader::fail(const QString &key, const QString &problem)
{
    failWith(m_codes.field, key, problem);
}

void JsonReader::failValue(const QString &key, const QString &problem)
{
    failWith(m_codes.value, key, problem);
}

void JsonReader::adopt(const Error &error)
{
    if (!m_error)
        m_error = error;
}

void JsonReader::failType(const QString &key, const QJsonValue &value, const char *expected)
{
    fail(key, u"is %1, expected %2"_s.arg(typeName(value), QLatin1StringView(expected)));
}

void JsonReader::failUnknownName(const QString &key, const QString &name, const QString &choices)
{
    // Quoted and cut short: the text comes from whoever sent the JSON.
    failValue(key, u"is \"%1\", must be one of %2"_s.arg(name.left(64), choices));
}

std::optional<QJsonValue> JsonReader::typed(const QString &key, QJsonValue::Type type, const char *expected, Presence presence)
{
    const QJsonValue value = m_object.value(key);
    if (value.isUndefined() || value.isNull()) {
        if (presence == Required)
            fail(key, value.isNull() ? u"is null, expected %1"_s.arg(QLatin1StringView(expected)) : u"is missing"_s);
        return std::nullopt;
    }
    if (value.type() != type) {
        failType(key, value, expected);
        return std::nullopt;
    }
    return value;
}

QString JsonReader::string(const QString &key, Presence presence)
{
    const auto value = typed(key, QJsonValue::String, "a string", presence);
    return value ? value->toString() : QString();
}

std::optional<QString> JsonReader::nullableString(const QString &key)
{
    const auto value = typed(key, QJsonValue::String, "a string", Optional);
    return value ? std::optional<QString>(value->toString()) : std::nullopt;
}

qint64 JsonReader::integer(const QString &key, Presence presence)
{
    return optionalIntegerImpl(key, presence).value_or(0);
}

std::optional<qint64> JsonReader::optionalInteger(const QString &key)
{
    return optionalIntegerImpl(key, Optional);
}

std::optional<qint64> JsonReader::optionalIntegerImpl(const QString &key, Presence presence)
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

std::optional<qint64> JsonReader::integerIn(const QString &key, qint64 min, qint64 max)
{
    const auto value = optionalIntegerImpl(key, Optional);
    if (!value)
        return std::nullopt;
    if (*value < min || *value > max) {
        failValue(key, u"is %1, must be between %2 and %3"_s.arg(*value).arg(min).arg(max));
        return std::nullopt;
    }
    return value;
}

quint64 JsonReader::unsignedInteger(const QString &key)
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

double JsonReader::number(const QString &key, Presence presence)
{
    const auto value = typed(key, QJsonValue::Double, "a number", presence);
    return value ? value->toDouble() : 0.0;
}

std::optional<double> JsonReader::optionalNumber(const QString &key)
{
    const auto value = typed(key, QJsonValue::Double, "a number", Optional);
    return value ? std::optional<double>(value->toDouble()) : std::nullopt;
}

bool JsonReader::boolean(const QString &key, bool fallback)
{
    return optionalBoolean(key).value_or(fallback);
}

std::optional<bool> JsonReader::optionalBoolean(const QString &key, Presence presence)
{
    const auto value = typed(key, QJsonValue::Bool, "a boolean", presence);
    return value ? std::optional<bool>(value->toBool()) : std::nullopt;
}

QJsonObject JsonReader::object(const QString &key, Presence presence)
{
    const auto value = typed(key, QJsonValue::Object, "an object", presence);
    return value ? value->toObject() : QJsonObject();
}

std::optional<QJsonObject> JsonReader::nullableObject(const QString &key)
{
    const auto value = typed(key, QJsonValue::Object, "an object", Optional);
    return value ? std::optional<QJsonObject>(value->toObject()) : std::nullopt;
}

QJsonArray JsonReader::array(const QString &key, Presence presence)
{
    const auto value = typed(key, QJsonValue::Array, "an array", presence);
    return value ? value->toArray() : QJsonArray();
}

std::optional<QJsonArray> JsonReader::nullableArray(const QString &key)
{
    const auto value = typed(key, QJsonValue::Array, "an array", Optional);
    return value ? std::optional<QJsonArray>(value->toArray()) : std::nullopt;
}

QList<QJsonObject> JsonReader::objectList(const QString &key, Presence presence)
{
    QList<QJsonObject> result;
    const QJsonArray items = array(key, presence);
    result.reserve(items.size());
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QJsonValue item = items.at(i);
        if (!item.isObject()) {
            fail(u"%1[%2]"_s.arg(key).arg(i), u"is %1, expected an object"_s.arg(typeName(item)));
            return {};
        }
        result << item.toObject();
    }
    return result;
}

QStringList JsonReader::stringList(const QString &key)
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

QList<qint64> JsonReader::integerList(const QString &key)
{
    QList<qint64> result;
    const QJsonArray items = array(key);
    result.reserve(items.size());
    constexpr qint64 notWhole = std::numeric_limits<qint64>::min();
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QJsonValue item = items.at(i);
        const qint64 whole = item.toInteger(notWhole);
        if (!item.isDouble() || whole == notWhole) {
            fail(u"%1[%2]"_s.arg(key).arg(i),
                 item.isDouble() ? u"is %1, expected a whole number"_s.arg(item.toDouble())
                                 : u"is %1, expected a number"_s.arg(typeName(item)));
            return {};
        }
        result << whole;
    }
    return result;
}

QMap<QString, QString> JsonReader::stringMap(const QString &key)
{
    return nullableStringMap(key).value_or(QMap<QString, QString>());
}

std::optional<QMap<QString, QString>> JsonReader::nullableStringMap(const QString &key)
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

QMap<QString, bool> JsonReader::boolMap(const QString &key)
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

std::optional<QByteArray> JsonReader::nullableBase64(const QString &key)
{
    const auto text = typed(key, QJsonValue::String, "a string (base64) or null", Optional);
    if (!text)
        return std::nullopt;
    const auto decoded = QByteArray::fromBase64Encoding(text->toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded) {
        failWith(m_codes.value, key, u"is not valid base64"_s);
        return std::nullopt;
    }
    return decoded.decoded;
}

JsonReader JsonReader::child(const QString &key, const QJsonObject &object) const
{
    return JsonReader(object, m_context, m_codes, m_prefix + key + u'.');
}

} // namespace boo
