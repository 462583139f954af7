#pragma once

#include "core/common/result.h"

#include <QJsonArray>
#include <QList>

namespace boo {

// What finished in the rate window: the one reading every "now" figure of the cockpit shows
// (host cards, status bar, fleet summary, /metrics, the Performance tab).
struct RateReading
{
    qint64 requests = 0;
    qint64 inputTokens = 0;
    qint64 outputTokens = 0;

    double requestsPerSecond() const;
    double outputTokensPerSecond() const;
    RateReading &operator+=(const RateReading &other);
    friend bool operator==(const RateReading &, const RateReading &) = default;
};

// The one definition of a request rate: requests that finished in the last 60 s, counted in
// whole seconds of their finish time, so that a reading taken every second moves smoothly
// instead of dropping to zero at each minute boundary as a "current minute" bucket does.
//
// Finish times are the host's (activity rows), the same clock the per-minute history uses; the
// window is judged against the reader's clock. Only the last 60 s of seconds are kept, so the
// value is small enough to travel with every HostState.
class RequestRate
{
public:
    static constexpr qint64 kWindowMs = 60'000;

    void count(qint64 finishedMs, qint64 inputTokens, qint64 outputTokens);
    // Requests that finished in the 60 whole seconds up to and including the one of `nowMs`.
    RateReading at(qint64 nowMs) const;
    bool isEmpty() const { return m_seconds.isEmpty(); }

    // [[epoch second, requests, input tokens, output tokens], ...], oldest first.
    QJsonArray toJson() const;
    static Result<RequestRate> fromJson(const QJsonArray &array);
    friend bool operator==(const RequestRate &, const RequestRate &) = default;

private:
    struct Second
    {
        qint64 second = 0;
        RateReading reading;
        friend bool operator==(const Second &, const Second &) = default;
    };
    QList<Second> m_seconds; // ascending, at most the window's worth
};

} // namespace boo
