#include "core/fleet/logtail.h"

namespace boo {

void LogTail::append(const QList<LogLine> &lines)
{
    if (lines.size() >= m_capacity) {
        m_lines = lines.mid(lines.size() - m_capacity);
        return;
    }
    m_lines.append(lines);
    // Erasing from the front of a Qt 6 list moves its begin, not the remaining elements.
    if (m_lines.size() > m_capacity)
        m_lines.remove(0, m_lines.size() - m_capacity);
}

} // namespace boo
