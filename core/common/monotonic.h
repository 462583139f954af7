#pragma once

#include <QtGlobal>

#include <chrono>

namespace boo {

// Nanoseconds on the monotonic clock (CLOCK_MONOTONIC on Linux), from an unspecified origin:
// for durations, deadlines and timers, never for timestamps that leave the process. One
// definition, so that every reading in a process comes from the same clock and can be compared.
inline qint64 steadyNs() noexcept
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

} // namespace boo
