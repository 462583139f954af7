#pragma once

#include "core/protocol/loglinesplitter.h"

#include <QByteArray>
#include <QList>

namespace boo {

// The last N complete log lines of one host and source, for late joiners (a cockpit that opens
// the Logs tab, a client that attaches to a server).
//
// Lines are kept as UTF-8 text only: with 50 hosts, two sources and 2,000 lines each, keeping
// QString text plus its ANSI-stripped copy would cost several times the memory of the lines
// themselves. LogLines (with the stripped text for search) are made when someone reads the tail.
class LogTail final
{
public:
    static constexpr int kDefaultCapacity = 2000;

    explicit LogTail(int capacity = kDefaultCapacity)
        : m_capacity(capacity)
    {
    }

    void append(const QList<LogLine> &lines);
    QList<LogLine> lines() const;
    qsizetype size() const { return m_lines.size(); }
    int capacity() const { return m_capacity; }
    void clear() { m_lines.clear(); }

private:
    int m_capacity;
    QList<QByteArray> m_lines;
};

} // namespace boo
