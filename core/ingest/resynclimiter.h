#pragma once

#include <QtGlobal>

namespace boo {

// The bounds of ResyncLimiter (tests shorten them).
struct ResyncLimits
{
    int minIntervalMs = 5000;
    int maxIntervalMs = 60000;
};

// How soon a connector may resynchronise with its host again (reconnect its event stream for a
// fresh snapshot). A resync costs the host a snapshot (with up to 200 KiB of log history) and
// us a reconcile: a host that loses events all the time must not be reconnected in a tight
// loop. After each resync the next one waits `minIntervalMs`; a resync that follows the last one
// within twice the current interval (the host keeps losing) doubles it, up to `maxIntervalMs`;
// one that comes later starts again at the minimum. Times are monotonic milliseconds.
class ResyncLimiter final
{
public:
    explicit ResyncLimiter(ResyncLimits limits = {});

    // How long a resync wanted at `nowMs` must wait (0: it may run now).
    qint64 delayMs(qint64 nowMs) const;
    void recordResync(qint64 nowMs);
    qint64 intervalMs() const { return m_intervalMs; }

private:
    ResyncLimits m_limits;
    qint64 m_lastMs = -1; // -1: none yet
    qint64 m_intervalMs;
};

} // namespace boo
