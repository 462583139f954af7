#pragma once

#include "core/protocol/loglinesplitter.h"

#include <QList>

namespace boo {

// The last N complete log lines of one host and source, for late joiners (a cockpit that opens
// the Logs tab, a client that attaches to a server).
class LogTail final
{
public:
    static constexpr int kDefaultCapacity = 2000;

    explicit LogTail(int capacity = kDefaultCapacity) : m_capacity(capacity) {}

    void append(const QList<LogLine> &lines);
    const QList<LogLine> &lines() const { return m_lines; }
    int capacity() const { return m_capacity; }
    void clear() { m_lines.clear(); }

private:
    int m_capacity;
    QList<LogLine> m_lines;
};

} // namespace boo
