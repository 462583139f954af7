#include "core/sim/simcapturestore.h"

#include <algorithm>

namespace boo {

SimCaptureStore::SimCaptureStore(qint64 capacityBytes)
    : m_capacity(capacityBytes)
{
}

void SimCaptureStore::add(SimCapture capture)
{
    if (m_capacity <= 0 || capture.sizeEstimate > m_capacity)
        return;
    m_bytes += capture.sizeEstimate;
    m_captures.push_back(std::move(capture));
    while (m_bytes > m_capacity && !m_captures.empty()) {
        m_bytes -= m_captures.front().sizeEstimate;
        m_captures.pop_front();
    }
}

const SimCapture *SimCaptureStore::find(qint64 id) const
{
    const auto it = std::lower_bound(m_captures.begin(), m_captures.end(), id, [](const SimCapture &c, qint64 v) { return c.id < v; });
    return (it != m_captures.end() && it->id == id) ? &*it : nullptr;
}

void SimCaptureStore::clear()
{
    m_captures.clear();
    m_bytes = 0;
}

} // namespace boo
