#include "core/gateway/consumerkey.h"

#include "core/common/civildate.h"
#include "core/common/jsonreader.h"
#include "core/common/rfc3339parser.h"
#include "core/gateway/routepolicy.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QSet>

#include <array>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

constexpr JsonErrorCodes kKeyCodes{"key.json", "key.field", "key.field"};
constexpr qsizetype kMaxNameLength = 64;
constexpr qint64 kMaxLimit = qint64(1) << 50; // far beyond any real limit, far from overflow

bool isNameCharacter(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'-' || c == u'_' || c == u'.';
}

Result<void> validateIdentifier(const QString &what, const QString &value, bool allowSlash)
{
    if (value.isEmpty())
        return makeError(u"key.field"_s, u"the %1 is empty"_s.arg(what));
    if (value.size() > kMaxNameLength)
        return makeError(u"key.field"_s, u"the %1 \"%2\" is longer than %3 characters"_s.arg(what, value).arg(kMaxNameLength));
    for (QChar c : value) {
        if (!isNameCharacter(c) && !(allowSlash && c == u'/'))
            return makeError(u"key.field"_s,
                             u"the %1 \"%2\" may only contain letters, digits, '-', '_' and '.'%3"_s.arg(
                                 what, value, allowSlash ? u" and '/'"_s : QString()));
    }
    return {};
}

Result<void> validateLimit(const char *what, const std::optional<qint64> &limit)
{
    if (limit && (*limit < 1 || *limit > kMaxLimit))
        return makeError(
            u"key.field"_s,
            u"%1 must be a whole number from 1 to %2 (leave it out for no limit)"_s.arg(QLatin1StringView(what)).arg(kMaxLimit));
    return {};
}

QJsonValue optionalJson(const std::optional<qint64> &value)
{
    return value ? QJsonValue(*value) : QJsonValue();
}

// An expiry given as epoch milliseconds or as text (see ConsumerKeySpec::parseExpiry).
std::optional<qint64> expiryField(JsonReader &f, const QString &key)
{
    const QJsonValue value = f.json().value(key);
    if (value.isString()) {
        auto parsed = ConsumerKeySpec::parseExpiry(value.toString());
        if (!parsed) {
            f.failValue(key, parsed.error().message);
            return std::nullopt;
        }
        return *parsed;
    }
    return f.integerIn(key, 0, std::numeric_limits<qint64>::max());
}

} // namespace

Result<qint64> ConsumerKeySpec::parseExpiry(const QString &text)
{
    const QString trimmed = text.trimmed();
    // A bare date: the start of that day, UTC.
    if (trimmed.size() == 10 && trimmed.at(4) == u'-' && trimmed.at(7) == u'-') {
        bool okYear = false, okMonth = false, okDay = false;
        const int year = trimmed.left(4).toInt(&okYear);
        const int month = trimmed.mid(5, 2).toInt(&okMonth);
        const int day = trimmed.mid(8, 2).toInt(&okDay);
        if (okYear && okMonth && okDay && year >= 1970 && month >= 1 && month <= 12 && day >= 1
            && day <= CivilDate::daysInMonth(year, month))
            return CivilDate::toDays(year, month, day) * 86'400'000;
        return makeError(u"key.expiry"_s, u"\"%1\" is not a date (YYYY-MM-DD)"_s.arg(text));
    }
    auto instant = Rfc3339Parser::parse(trimmed, Rfc3339Parser::kLenient);
    if (!instant)
        return makeError(u"key.expiry"_s,
                         u"\"%1\" is neither a date (YYYY-MM-DD, the start of that day in UTC) nor an RFC 3339 time"_s.arg(text));
    return instant->utcMs();
}

bool ConsumerKeySpec::isReservedName(const QString &name)
{
    // Compared without case: the same name typed differently should not be a way around it.
    return name.compare(u"usage"_s, Qt::CaseInsensitive) == 0;
}

Result<void> ConsumerKeySpec::validate() const
{
    if (auto valid = validateIdentifier(u"key name"_s, name, false); !valid)
        return valid;
    if (isReservedName(name))
        return makeError(u"key.field"_s,
                         u"the key name \"%1\" is reserved: /api/keys/%1 is the usage of every key; pick another name"_s.arg(name));
    // A source may itself look like "team/app"; the sub-source is added after another '/'.
    if (auto valid = validateIdentifier(u"source"_s, source, true); !valid)
        return valid;
    return validateSettings();
}

Result<void> ConsumerKeySpec::validateSettings() const
{
    for (const auto &[what, limit] : {std::pair{"rpm", rpm}, std::pair{"tpm", tpm}, std::pair{"tokens_per_day", tokensPerDay}}) {
        if (auto valid = validateLimit(what, limit); !valid)
            return valid;
    }
    for (const QString &pattern : models) {
        if (pattern.trimmed().isEmpty())
            return makeError(u"key.field"_s, u"a model pattern is empty"_s);
    }
    return {};
}

Result<ConsumerKeySpec> ConsumerKeySpec::fromJson(const QJsonObject &object)
{
    static const QSet<QString> known{u"name"_s, u"source"_s, u"models"_s,         u"allow_sub_source"_s,
                                     u"rpm"_s,  u"tpm"_s,    u"tokens_per_day"_s, u"expires_at"_s};
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        if (!known.contains(it.key()))
            return makeError(u"key.field"_s, u"unknown field \"%1\""_s.arg(it.key()));
    }
    JsonReader f(object, QString(), kKeyCodes);
    ConsumerKeySpec spec;
    spec.name = f.string(u"name"_s, JsonReader::Required);
    spec.source = f.string(u"source"_s, JsonReader::Required);
    spec.models = f.stringList(u"models"_s);
    spec.allowSubSource = f.boolean(u"allow_sub_source"_s);
    spec.rpm = f.optionalInteger(u"rpm"_s);
    spec.tpm = f.optionalInteger(u"tpm"_s);
    spec.tokensPerDay = f.optionalInteger(u"tokens_per_day"_s);
    spec.expiresAtMs = expiryField(f, u"expires_at"_s);
    if (f.failed())
        return f.error();
    if (auto valid = spec.validate(); !valid)
        return valid.error();
    return spec;
}

ConsumerKeyState ConsumerKey::state(qint64 nowMs) const
{
    if (revokedAtMs)
        return ConsumerKeyState::Revoked;
    if (disabled)
        return ConsumerKeyState::Disabled;
    if (spec.expiresAtMs && nowMs >= *spec.expiresAtMs)
        return ConsumerKeyState::Expired;
    return ConsumerKeyState::Active;
}

bool ConsumerKey::allowsModel(const QString &requestedModel) const
{
    if (spec.models.isEmpty())
        return true;
    return std::any_of(spec.models.cbegin(), spec.models.cend(), [&](const QString &p) { return globMatch(p, requestedModel); });
}

QString ConsumerKey::attributedSource(const QString &clientSource) const
{
    if (!spec.allowSubSource || clientSource.isEmpty() || clientSource == u"unknown"_s)
        return spec.source;
    const QString own = spec.source + u'/';
    if (clientSource.startsWith(own) && clientSource.size() > own.size())
        return clientSource;
    if (clientSource == spec.source)
        return spec.source;
    return own + clientSource;
}

QJsonObject ConsumerKey::toJson(qint64 nowMs) const
{
    return QJsonObject{{u"name"_s, spec.name},
                       {u"source"_s, spec.source},
                       {u"key_prefix"_s, keyPrefix},
                       {u"models"_s, QJsonArray::fromStringList(spec.models)},
                       {u"allow_sub_source"_s, spec.allowSubSource},
                       {u"rpm"_s, optionalJson(spec.rpm)},
                       {u"tpm"_s, optionalJson(spec.tpm)},
                       {u"tokens_per_day"_s, optionalJson(spec.tokensPerDay)},
                       {u"expires_at"_s, optionalJson(spec.expiresAtMs)},
                       {u"disabled"_s, disabled},
                       {u"revoked_at"_s, optionalJson(revokedAtMs)},
                       {u"created_at"_s, createdAtMs},
                       {u"updated_at"_s, updatedAtMs},
                       {u"last_used_at"_s, optionalJson(lastUsedAtMs)},
                       {u"state"_s, enumNameString(kConsumerKeyStateNames, state(nowMs))}};
}

Result<ConsumerKey> ConsumerKey::fromJson(const QJsonObject &object)
{
    JsonReader f(object, u"consumer key"_s, kKeyCodes);
    ConsumerKey key;
    key.spec.name = f.string(u"name"_s, JsonReader::Required);
    key.spec.source = f.string(u"source"_s, JsonReader::Required);
    key.keyPrefix = f.string(u"key_prefix"_s);
    key.spec.models = f.stringList(u"models"_s);
    key.spec.allowSubSource = f.boolean(u"allow_sub_source"_s);
    key.spec.rpm = f.optionalInteger(u"rpm"_s);
    key.spec.tpm = f.optionalInteger(u"tpm"_s);
    key.spec.tokensPerDay = f.optionalInteger(u"tokens_per_day"_s);
    key.spec.expiresAtMs = f.optionalInteger(u"expires_at"_s);
    key.disabled = f.boolean(u"disabled"_s);
    key.revokedAtMs = f.optionalInteger(u"revoked_at"_s);
    key.createdAtMs = f.integer(u"created_at"_s);
    key.updatedAtMs = f.integer(u"updated_at"_s);
    key.lastUsedAtMs = f.optionalInteger(u"last_used_at"_s);
    f.enumValue(u"state"_s, kConsumerKeyStateNames); // checked, then derived again from the times
    if (f.failed())
        return f.error();
    return key;
}

QString ConsumerKey::generateSecret()
{
    std::array<quint32, kRandomBytes / sizeof(quint32)> words{};
    QRandomGenerator::system()->fillRange(words.data(), qsizetype(words.size()));
    const QByteArray random(reinterpret_cast<const char *>(words.data()), kRandomBytes);
    return kPrefix + QString::fromLatin1(random.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QByteArray ConsumerKey::hashSecret(QStringView secret)
{
    return hashPresented(secret.toUtf8());
}

QByteArray ConsumerKey::hashPresented(QByteArrayView bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
}

bool ConsumerKey::sameHash(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false; // sizes are public: every hash is 64 hex digits
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a.at(i) ^ b.at(i));
    return diff == 0;
}

} // namespace boo
