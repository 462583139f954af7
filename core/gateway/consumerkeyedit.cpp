#include "core/gateway/consumerkeyedit.h"

#include "core/common/jsonreader.h"

#include <QJsonArray>
#include <QSet>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

constexpr JsonErrorCodes kEditCodes{"key.json", "key.field", "key.field"};

// A limit field: absent leaves it, null clears it, a number sets it (checked by validate).
ConsumerKeyEdit::Limit limitField(JsonReader &f, const QJsonObject &object, const QString &key)
{
    if (!object.contains(key))
        return std::nullopt;
    if (object.value(key).isNull())
        return std::optional<qint64>();
    const std::optional<qint64> value = f.optionalInteger(key);
    return value;
}

QJsonValue limitJson(const std::optional<qint64> &value)
{
    return value ? QJsonValue(*value) : QJsonValue();
}

} // namespace

bool ConsumerKeyEdit::isEmpty() const
{
    return !rpm && !tpm && !tokensPerDay && !expiresAtMs && !models && !allowSubSource && !disabled;
}

Result<ConsumerKey> ConsumerKeyEdit::appliedTo(ConsumerKey key) const
{
    if (rpm)
        key.spec.rpm = *rpm;
    if (tpm)
        key.spec.tpm = *tpm;
    if (tokensPerDay)
        key.spec.tokensPerDay = *tokensPerDay;
    if (expiresAtMs)
        key.spec.expiresAtMs = *expiresAtMs;
    if (models)
        key.spec.models = *models;
    if (allowSubSource)
        key.spec.allowSubSource = *allowSubSource;
    if (disabled)
        key.disabled = *disabled;
    // The settings only: a key of a name reserved since its creation stays editable.
    if (auto valid = key.spec.validateSettings(); !valid)
        return valid.error();
    return key;
}

Result<ConsumerKeyEdit> ConsumerKeyEdit::fromJson(const QJsonObject &object)
{
    static const QSet<QString> known{u"rpm"_s,     u"tpm"_s, u"tokens_per_day"_s, u"expires_at"_s, u"models"_s, u"allow_sub_source"_s,
                                     u"disabled"_s};
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        if (it.key() == u"name"_s || it.key() == u"source"_s)
            return makeError(u"key.field"_s, u"the %1 of a key cannot be changed: create a new key (and revoke this one)"_s.arg(it.key()));
        if (!known.contains(it.key()))
            return makeError(u"key.field"_s,
                             u"unknown field \"%1\" (a key's rpm, tpm, tokens_per_day, expires_at, models, "
                             u"allow_sub_source and disabled can be changed)"_s.arg(it.key()));
    }
    JsonReader f(object, QString(), kEditCodes);
    ConsumerKeyEdit edit;
    edit.rpm = limitField(f, object, u"rpm"_s);
    edit.tpm = limitField(f, object, u"tpm"_s);
    edit.tokensPerDay = limitField(f, object, u"tokens_per_day"_s);
    if (object.contains(u"expires_at"_s)) {
        const QJsonValue value = object.value(u"expires_at"_s);
        if (value.isNull()) {
            edit.expiresAtMs = std::optional<qint64>();
        } else if (value.isString()) {
            auto parsed = ConsumerKeySpec::parseExpiry(value.toString());
            if (!parsed)
                return makeError(u"key.field"_s, u"expires_at: "_s + parsed.error().message);
            edit.expiresAtMs = std::optional<qint64>(*parsed);
        } else {
            edit.expiresAtMs = f.integerIn(u"expires_at"_s, 0, std::numeric_limits<qint64>::max());
        }
    }
    if (object.contains(u"models"_s))
        edit.models = f.stringList(u"models"_s);
    if (object.contains(u"allow_sub_source"_s))
        edit.allowSubSource = f.optionalBoolean(u"allow_sub_source"_s, JsonReader::Required);
    if (object.contains(u"disabled"_s))
        edit.disabled = f.optionalBoolean(u"disabled"_s, JsonReader::Required);
    if (f.failed())
        return f.error();
    if (edit.isEmpty())
        return makeError(u"key.field"_s,
                         u"nothing to change: give at least one of rpm, tpm, tokens_per_day, expires_at, models, "
                         u"allow_sub_source, disabled"_s);
    return edit;
}

QJsonObject ConsumerKeyEdit::toJson() const
{
    QJsonObject o;
    if (rpm)
        o.insert(u"rpm"_s, limitJson(*rpm));
    if (tpm)
        o.insert(u"tpm"_s, limitJson(*tpm));
    if (tokensPerDay)
        o.insert(u"tokens_per_day"_s, limitJson(*tokensPerDay));
    if (expiresAtMs)
        o.insert(u"expires_at"_s, limitJson(*expiresAtMs));
    if (models)
        o.insert(u"models"_s, QJsonArray::fromStringList(*models));
    if (allowSubSource)
        o.insert(u"allow_sub_source"_s, *allowSubSource);
    if (disabled)
        o.insert(u"disabled"_s, *disabled);
    return o;
}

} // namespace boo
