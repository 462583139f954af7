#pragma once

#include "core/common/enumnames.h"
#include "core/common/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace boo {

// What a key can do at one instant. Revoked wins over disabled, disabled over expired: the
// answer names the operator's decision before the calendar's.
enum class ConsumerKeyState { Active, Expired, Disabled, Revoked };
inline constexpr EnumName<ConsumerKeyState> kConsumerKeyStateNames[] = {
    {ConsumerKeyState::Active, u"active"},
    {ConsumerKeyState::Expired, u"expired"},
    {ConsumerKeyState::Disabled, u"disabled"},
    {ConsumerKeyState::Revoked, u"revoked"},
};

// What an operator asks for when creating a key (`boocontrol keys create`, POST /api/keys).
// Limits are absent for "no limit"; a limit of 0 would refuse everything and is not accepted.
struct ConsumerKeySpec
{
    QString name;
    QString source;                     // what the key's requests are attributed to
    QStringList models;                 // patterns ('*', '?') of the requested model or policy; empty: any
    bool allowSubSource = false;        // X-Boo-Source then adds "<source>/<sub>"
    std::optional<qint64> rpm;          // requests per minute
    std::optional<qint64> tpm;          // tokens per minute, counted from the hosts' usage
    std::optional<qint64> tokensPerDay; // per UTC day
    std::optional<qint64> expiresAtMs;

    // "2027-01-31" (the start of that day, UTC) or an RFC 3339 time, as epoch milliseconds.
    static Result<qint64> parseExpiry(const QString &text);
    // Names that are the literal segments of routes under /api/keys (`/api/keys/usage`): a key
    // of that name would be ambiguous in a URL, so none can be created. Older keys of such a name
    // stay reachable through the routes that cannot clash (PATCH, DELETE, .../rotate, .../usage).
    static bool isReservedName(const QString &name);
    // Names and sources become label values, log fields and path segments: a small alphabet.
    // Then the settings, as validateSettings().
    Result<void> validate() const;
    // The limits and model patterns alone (what an edit can change).
    Result<void> validateSettings() const;
    // The body of POST /api/keys, strictly: unknown fields and wrong types are refused.
    static Result<ConsumerKeySpec> fromJson(const QJsonObject &object);
};

// One consumer key as stored in `consumer_keys` (docs/keys.md). The key itself is never
// kept: only its SHA-256 (to recognise it) and its first characters (to tell keys apart in a list).
struct ConsumerKey
{
    static constexpr QLatin1StringView kPrefix{"boo_sk_"};
    static constexpr int kRandomBytes = 32;
    static constexpr int kShownPrefixLength = 12; // "boo_sk_" and five characters of the secret

    ConsumerKeySpec spec;
    QByteArray keyHash; // hex SHA-256 of the key's UTF-8 text; never leaves the server
    QString keyPrefix;
    bool disabled = false;
    std::optional<qint64> revokedAtMs;
    qint64 createdAtMs = 0;
    qint64 updatedAtMs = 0;
    std::optional<qint64> lastUsedAtMs;

    const QString &name() const { return spec.name; }
    ConsumerKeyState state(qint64 nowMs) const;
    // Whether the key may ask for `requestedModel` (a virtual model, a policy or <provider>/<model>).
    bool allowsModel(const QString &requestedModel) const;
    // The source a request is attributed to: the key's own, or "<source>/<sub>" when the key
    // allows sub-sources and the client sent X-Boo-Source (already sanitised; the key's own
    // source in front of it is not repeated).
    QString attributedSource(const QString &clientSource) const;

    // For the control API and the desktop: never the hash. `nowMs` gives the state.
    QJsonObject toJson(qint64 nowMs) const;
    static Result<ConsumerKey> fromJson(const QJsonObject &object);

    // A new random key ("boo_sk_" + base64url of 32 bytes from the system's CSPRNG).
    static QString generateSecret();
    static QByteArray hashSecret(QStringView secret);
    // The same for the bytes a client sent, as they came (no decoding that could merge two).
    static QByteArray hashPresented(QByteArrayView bytes);
    // Compares two hashes in time independent of where they differ.
    static bool sameHash(const QByteArray &a, const QByteArray &b);
};

} // namespace boo
