#pragma once

#include "core/sim/simcapture.h"

#include <deque>

namespace boo {

// The capture buffer: a byte budget (captureBuffer, default 5 MB), oldest evicted first, a
// capture bigger than the whole budget is not kept.
class SimCaptureStore final
{
public:
    explicit SimCaptureStore(qint64 capacityBytes = 5 * 1000 * 1000);

    void add(SimCapture capture);
    bool contains(qint64 id) const { return find(id) != nullptr; }
    const SimCapture *find(qint64 id) const;
    void clear();
    qsizetype count() const { return qsizetype(m_captures.size()); }
    qint64 bytes() const { return m_bytes; }
    bool enabled() const { return m_capacity > 0; }

private:
    qint64 m_capacity;
    qint64 m_bytes = 0;
    std::deque<SimCapture> m_captures; // ascending ids
};

} // namespace boo
