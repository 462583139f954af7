#include "core/fleet/logtail.h"

namespace boo {

void LogTail::append(const QList<LogLine> &lines)
{
    const qsizetype first = std::max<qsizetype>(0, lines.size() - m_capacity);
    for (qsizetype i = first; i < lines.size(); ++i)
        m_lines.append(lines.at(i).text.toUtf8());
    // Erasing from the front of a Qt 6 list moves its begin, not the remaining elements.
    if (m_lines.size() > m_capacity)
        m_lines.remove(0, m_lines.size() - m_capacity);
}

QList<LogLine> LogTail::lines() const
{
    QList<LogLine> out;
    out.reserve(m_lines.size());
    for (const QByteArray &line : m_lines)
        out.append(LogLineSplitter::makeLine(line));
    return out;
}

} // namespace boo
