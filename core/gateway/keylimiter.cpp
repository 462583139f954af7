#include "core/gateway/keylimiter.h"

#include <QSet>

#include <cmath>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

constexpr qint64 kDayMs = 86'400'000;
constexpr double kMinuteMs = 60'000.0;

void fitBucket(std::optional<TokenBucket> &bucket, const std::optional<qint64> &limit, qint64 nowMs)
{
    if (!limit) {
        bucket.reset();
        return;
    }
    if (!bucket) {
        bucket = TokenBucket::full(double(*limit), double(*limit), nowMs);
        return;
    }
    bucket->refill(nowMs);
    if (bucket->capacity != double(*limit))
        bucket->resize(double(*limit), double(*limit));
}

} // namespace

TokenBucket TokenBucket::full(double capacity, double perMinute, qint64 nowMs)
{
    return TokenBucket{capacity, perMinute / kMinuteMs, capacity, nowMs};
}

void TokenBucket::refill(qint64 nowMs)
{
    if (nowMs <= atMs)
        return; // the clock went back: never refill from it, never drain either
    level = std::min(capacity, level + double(nowMs - atMs) * perMs);
    atMs = nowMs;
}

qint64 TokenBucket::msUntil(double needed) const
{
    if (level >= needed)
        return 0;
    if (perMs <= 0)
        return std::numeric_limits<qint64>::max();
    return qint64(std::ceil((needed - level) / perMs));
}

void TokenBucket::resize(double newCapacity, double perMinute)
{
    capacity = newCapacity;
    perMs = perMinute / kMinuteMs;
    level = std::min(level, capacity);
}

qint64 KeyRefusal::retryAfterSeconds() const
{
    return std::max<qint64>(1, (retryAfterMs + 999) / 1000);
}

QString KeyRefusal::code() const
{
    return u"rate_limit_"_s + enumNameString(kKeyLimitNames, limit);
}

qint64 KeyLimiter::dayStartMs(qint64 nowMs)
{
    return nowMs - ((nowMs % kDayMs) + kDayMs) % kDayMs;
}

KeyLimiter::State &KeyLimiter::stateFor(const ConsumerKey &key, qint64 nowMs)
{
    State &s = m_states[key.name()];
    fitBucket(s.rpm, key.spec.rpm, nowMs);
    fitBucket(s.tpm, key.spec.tpm, nowMs);
    const qint64 today = dayStartMs(nowMs);
    if (s.dayMs != today) {
        s.dayMs = today;
        s.tokensToday = 0;
    }
    return s;
}

std::optional<KeyRefusal> KeyLimiter::admit(const ConsumerKey &key, qint64 nowMs)
{
    State &s = stateFor(key, nowMs);
    const QString &name = key.name();
    if (key.spec.tokensPerDay && s.tokensToday >= *key.spec.tokensPerDay) {
        return KeyRefusal{KeyLimit::DailyTokens, s.dayMs + kDayMs - nowMs,
                          u"the key \"%1\" has used its budget of %2 tokens for today (UTC); it renews at 00:00 UTC"_s.arg(name).arg(
                              *key.spec.tokensPerDay)};
    }
    if (s.tpm && s.tpm->level <= 0) {
        return KeyRefusal{KeyLimit::Tpm, std::max<qint64>(1, s.tpm->msUntil(1)),
                          u"the key \"%1\" is over its limit of %2 tokens per minute"_s.arg(name).arg(*key.spec.tpm)};
    }
    if (s.rpm) {
        if (s.rpm->level < 1) {
            return KeyRefusal{KeyLimit::Rpm, s.rpm->msUntil(1),
                              u"the key \"%1\" is over its limit of %2 requests per minute"_s.arg(name).arg(*key.spec.rpm)};
        }
        s.rpm->level -= 1;
    }
    return std::nullopt;
}

void KeyLimiter::charge(const ConsumerKey &key, qint64 tokens, qint64 nowMs)
{
    if (tokens <= 0)
        return;
    State &s = stateFor(key, nowMs);
    if (s.tpm)
        s.tpm->level -= double(tokens);
    s.tokensToday += tokens;
}

void KeyLimiter::seedDay(const QHash<QString, qint64> &tokensToday, qint64 nowMs)
{
    const qint64 today = dayStartMs(nowMs);
    for (auto it = tokensToday.cbegin(); it != tokensToday.cend(); ++it) {
        State &s = m_states[it.key()];
        s.dayMs = today;
        s.tokensToday = it.value();
    }
}

qint64 KeyLimiter::tokensToday(const QString &keyName, qint64 nowMs) const
{
    const auto it = m_states.constFind(keyName);
    return it == m_states.cend() || it->dayMs != dayStartMs(nowMs) ? 0 : it->tokensToday;
}

void KeyLimiter::retain(const QList<ConsumerKey> &keys)
{
    QSet<QString> names;
    for (const ConsumerKey &k : keys)
        names.insert(k.name());
    m_states.removeIf([&names](const auto &entry) { return !names.contains(entry.key()); });
}

} // namespace boo
