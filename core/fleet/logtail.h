#pragma once

#include "core/protocol/loglinesplitter.h"

#include <QByteArray>
#include <QList>

namespace boo {

// The last N complete log lines of one host and source, for late joiners (a cockpit that opens
// the Logs tab, a client that attaches to a server).
//
// With hundreds of hosts, two sources and 2,000 lines each, the tails were most of the memory of
// a connected host (one QByteArray per line: ~60 bytes of list slot, header and allocator
// overhead on top of each ~100-byte line). They are written all the time and read rarely (a
// Logs tab opening, a client attaching), so lines are kept as UTF-8 in blocks of kBlockLines:
// the block being filled as plain bytes, the full ones zlib-compressed (log lines repeat a lot).
// LogLines (with the stripped text for search) are made when someone reads the tail.
class LogTail final
{
public:
    static constexpr int kDefaultCapacity = 2000;
    static constexpr int kBlockLines = 128;

    explicit LogTail(int capacity = kDefaultCapacity)
        : m_capacity(capacity)
    {
    }

    void append(const QList<LogLine> &lines);
    QList<LogLine> lines() const;
    qsizetype size() const { return m_count - m_dropped; }
    int capacity() const { return m_capacity; }
    void clear();
    // Bytes held for the lines (compressed blocks and the open one), for benchmarks.
    qsizetype heldBytes() const;

private:
    struct Block
    {
        QByteArray compressed; // length-prefixed lines, qCompress'ed
        int lines = 0;
    };
    void appendOne(QByteArrayView utf8);
    void sealOpenBlock();
    void dropOverflow();

    int m_capacity;
    QList<Block> m_sealed; // oldest first
    QByteArray m_open;     // length-prefixed lines of the newest block
    int m_openLines = 0;
    qsizetype m_count = 0;   // lines in m_sealed and m_open
    qsizetype m_dropped = 0; // lines at the start of the oldest block that are past the capacity
};

} // namespace boo
