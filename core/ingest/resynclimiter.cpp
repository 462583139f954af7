#include "core/ingest/resynclimiter.h"

#include <algorithm>

namespace boo {

ResyncLimiter::ResyncLimiter(ResyncLimits limits)
    : m_limits(limits)
    , m_intervalMs(limits.minIntervalMs)
{
}

qint64 ResyncLimiter::delayMs(qint64 nowMs) const
{
    if (m_lastMs < 0)
        return 0;
    return std::max<qint64>(0, m_lastMs + m_intervalMs - nowMs);
}

void ResyncLimiter::recordResync(qint64 nowMs)
{
    if (m_lastMs >= 0 && nowMs - m_lastMs < 2 * m_intervalMs)
        m_intervalMs = std::min<qint64>(2 * m_intervalMs, m_limits.maxIntervalMs);
    else
        m_intervalMs = m_limits.minIntervalMs;
    m_lastMs = nowMs;
}

} // namespace boo
