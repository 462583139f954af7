#pragma once

#include <QList>

namespace boo {

// Reconnect delays as data: the n-th consecutive failure waits steps[n] (the last step
// repeats), spread by +/- jitter so that many hosts (or many cockpits) do not retry in lockstep.
// A server's Retry-After raises the next delay.
class Backoff final
{
public:
    static QList<int> defaultStepsMs() { return {500, 1000, 2000, 4000, 8000, 15000, 30000}; }

    explicit Backoff(QList<int> stepsMs = defaultStepsMs(), double jitterFraction = 0.2);

    // Counts a failure and returns how long to wait before the next attempt.
    int nextDelayMs();
    void reset()
    {
        m_failures = 0;
        m_floorMs = 0;
    }
    int failures() const { return m_failures; }
    // The server asked us to wait at least this long (Retry-After).
    void requireAtLeast(int delayMs) { m_floorMs = delayMs; }

private:
    QList<int> m_steps;
    double m_jitter;
    int m_failures = 0;
    int m_floorMs = 0;
};

} // namespace boo
