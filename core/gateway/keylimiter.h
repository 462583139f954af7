#pragma once

#include "core/common/enumnames.h"
#include "core/gateway/consumerkey.h"

#include <QHash>
#include <QString>

#include <optional>

namespace boo {

// The limits a consumer key can run into; the names appear in error codes ("rate_limit_rpm"),
// the X-Boo-Limit header and the metrics' `limit` label.
enum class KeyLimit { Rpm, Tpm, DailyTokens };
inline constexpr EnumName<KeyLimit> kKeyLimitNames[] = {
    {KeyLimit::Rpm, u"rpm"},
    {KeyLimit::Tpm, u"tpm"},
    {KeyLimit::DailyTokens, u"daily_tokens"},
};

// A bucket that fills at a constant rate up to its capacity. The level may go below zero: tokens
// are only known after the answer, so a large answer leaves a debt that refilling pays back.
struct TokenBucket
{
    double capacity = 0;
    double perMs = 0; // refill rate
    double level = 0;
    qint64 atMs = 0; // when `level` was last brought up to date

    static TokenBucket full(double capacity, double perMinute, qint64 nowMs);
    void refill(qint64 nowMs);
    // Milliseconds until the level reaches `needed` (0 when it has).
    qint64 msUntil(double needed) const;
    // A new limit keeps what was used: the level stays, capped by the new capacity.
    void resize(double newCapacity, double perMinute);
};

// Why a request of a key may not go on, and when it may.
struct KeyRefusal
{
    KeyLimit limit;
    qint64 retryAfterMs = 0;
    QString message;

    // Retry-After in whole seconds, at least 1.
    qint64 retryAfterSeconds() const;
    QString code() const; // "rate_limit_rpm", ...
};

// The per-key limits of docs/keys.md, in memory, on the gateway's thread:
//   rpm            a bucket of `rpm` requests refilled over a minute; each admitted request takes one
//   tpm            a bucket of `tpm` tokens refilled over a minute; a request is admitted while the
//                  bucket is not in debt, and the host's reported usage is taken after the answer
//   tokens_per_day tokens since 00:00 UTC; admitted while below the budget
// Time is always passed in, so the arithmetic is tested without waiting.
class KeyLimiter final
{
public:
    // Checks every limit and, when all allow it, takes the request from the rpm bucket.
    std::optional<KeyRefusal> admit(const ConsumerKey &key, qint64 nowMs);
    // Tokens of an answer, from the host's usage: debits tpm and the day's budget.
    void charge(const ConsumerKey &key, qint64 tokens, qint64 nowMs);
    // Tokens already used today (from the database at start), so a restart keeps the budget.
    void seedDay(const QHash<QString, qint64> &tokensToday, qint64 nowMs);
    qint64 tokensToday(const QString &keyName, qint64 nowMs) const;
    // Drops the state of keys that no longer exist.
    void retain(const QList<ConsumerKey> &keys);

    static qint64 dayStartMs(qint64 nowMs);

private:
    struct State
    {
        std::optional<TokenBucket> rpm;
        std::optional<TokenBucket> tpm;
        qint64 dayMs = 0;
        qint64 tokensToday = 0;
    };
    State &stateFor(const ConsumerKey &key, qint64 nowMs);

    QHash<QString, State> m_states;
};

} // namespace boo
