#include "core/common/backoff.h"

#include <QRandomGenerator>

#include <algorithm>

namespace boo {

Backoff::Backoff(QList<int> stepsMs, double jitterFraction)
    : m_steps(stepsMs.isEmpty() ? defaultStepsMs() : std::move(stepsMs))
    , m_jitter(std::clamp(jitterFraction, 0.0, 1.0))
{
}

int Backoff::nextDelayMs()
{
    const int base = m_steps.at(std::min<qsizetype>(m_failures, m_steps.size() - 1));
    ++m_failures;
    const double spread = base * m_jitter;
    const double jittered = base - spread + QRandomGenerator::global()->generateDouble() * 2 * spread;
    const int delay = std::max(int(jittered), m_floorMs);
    m_floorMs = 0;
    return std::max(1, delay);
}

} // namespace boo
