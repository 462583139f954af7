#include "core/sim/simlogmonitor.h"

namespace boo {

SimLogMonitor::SimLogMonitor(qsizetype capacity, QObject *parent)
    : QObject(parent)
    , m_capacity(capacity)
{
}

void SimLogMonitor::write(const QByteArray &chunk)
{
    if (chunk.isEmpty())
        return;
    m_chunks.push_back(chunk);
    m_size += chunk.size();
    while (m_size > m_capacity && !m_chunks.empty()) {
        QByteArray &front = m_chunks.front();
        const qsizetype excess = m_size - m_capacity;
        if (front.size() <= excess) {
            m_size -= front.size();
            m_chunks.pop_front();
        } else {
            front.remove(0, excess);
            m_size -= excess;
        }
    }
    Q_EMIT written(chunk);
}

QByteArray SimLogMonitor::history() const
{
    QByteArray out;
    out.reserve(m_size);
    for (const QByteArray &c : m_chunks)
        out += c;
    return out;
}

void SimLogMonitor::clear()
{
    m_chunks.clear();
    m_size = 0;
}

} // namespace boo
