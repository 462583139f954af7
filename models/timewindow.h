#pragma once

#include <QDateTime>

#include <algorithm>

namespace boo {

// The time range of a chart model. A live one ends now and moves with the clock, keeping its
// span; a fixed one (a custom range) stays where the user put it.
struct TimeWindow
{
    qint64 fromMs = 0;
    qint64 toMs = 0;
    bool live = true;

    qint64 spanMs() const { return toMs - fromMs; }
    // Live windows only: end at `nowMs`, never earlier than they already end.
    void followClock(qint64 nowMs = QDateTime::currentMSecsSinceEpoch())
    {
        if (!live)
            return;
        const qint64 span = spanMs();
        toMs = std::max(toMs, nowMs);
        fromMs = toMs - span;
    }
};

} // namespace boo
