#include "core/gateway/keylimitwatch.h"

using namespace Qt::StringLiterals;

namespace boo {

namespace {

QString limitText(const ConsumerKey &key, KeyLimit limit)
{
    switch (limit) {
    case KeyLimit::Rpm: return u"requests per minute (%1)"_s.arg(key.spec.rpm.value_or(0));
    case KeyLimit::Tpm: return u"tokens per minute (%1)"_s.arg(key.spec.tpm.value_or(0));
    case KeyLimit::DailyTokens: return u"tokens per day (%1)"_s.arg(key.spec.tokensPerDay.value_or(0));
    }
    return {};
}

} // namespace

std::optional<KeyLimitBurst> KeyLimitWatch::refused(const ConsumerKey &key, KeyLimit limit, qint64 nowMs)
{
    State &state = m_keys[key.name()];
    // A window that has passed (or a clock that went back) starts a new count.
    if (nowMs < state.windowStartMs || nowMs - state.windowStartMs >= m_options.windowMs) {
        state.windowStartMs = nowMs;
        state.count = 0;
    }
    ++state.count;
    if (state.count < m_options.threshold || nowMs < state.quietUntilMs)
        return std::nullopt;
    KeyLimitBurst burst{key.name(), key.spec.source, limit, state.count, m_options.windowMs, {}};
    burst.detail = u"refused %1 times in %2 s, last by its %3; source %4"_s.arg(state.count)
                       .arg(m_options.windowMs / 1000)
                       .arg(limitText(key, limit), key.spec.source);
    state.quietUntilMs = nowMs + m_options.cooldownMs;
    state.windowStartMs = nowMs;
    state.count = 0;
    return burst;
}

} // namespace boo
