#include "core/fleet/logtail.h"

namespace boo {

namespace {

// Each line is its length (LEB128) then its bytes: lines may hold any byte, "\n" included.
void writeLine(QByteArray &out, QByteArrayView line)
{
    quint64 n = quint64(line.size());
    do {
        const auto byte = char((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
        out.append(byte);
        n >>= 7;
    } while (n);
    out.append(line);
}

// Calls `take` with each line of a block, in order.
template <typename Take>
void readLines(const QByteArray &block, Take take)
{
    const char *p = block.constData();
    const char *end = p + block.size();
    while (p < end) {
        quint64 n = 0;
        int shift = 0;
        while (p < end) {
            const auto byte = quint8(*p++);
            n |= quint64(byte & 0x7f) << shift;
            shift += 7;
            if (!(byte & 0x80))
                break;
        }
        const auto length = qsizetype(std::min<quint64>(n, quint64(end - p)));
        take(QByteArrayView(p, length));
        p += length;
    }
}

} // namespace

void LogTail::append(const QList<LogLine> &lines)
{
    const qsizetype first = std::max<qsizetype>(0, lines.size() - m_capacity);
    for (qsizetype i = first; i < lines.size(); ++i)
        appendOne(lines.at(i).text.toUtf8());
    dropOverflow();
}

void LogTail::appendOne(QByteArrayView utf8)
{
    writeLine(m_open, utf8);
    ++m_openLines;
    ++m_count;
    if (m_openLines >= kBlockLines)
        sealOpenBlock();
}

void LogTail::sealOpenBlock()
{
    // Level 1: most of the gain of zlib on log text at a fraction of the CPU of the default.
    m_sealed.append(Block{qCompress(m_open, 1), m_openLines});
    m_open.clear();
    m_openLines = 0;
}

void LogTail::dropOverflow()
{
    if (size() <= m_capacity)
        return;
    m_dropped += size() - m_capacity;
    // Whole blocks past the capacity go; a partly dropped oldest block stays with an offset.
    while (!m_sealed.isEmpty() && m_dropped >= m_sealed.constFirst().lines) {
        m_dropped -= m_sealed.constFirst().lines;
        m_count -= m_sealed.constFirst().lines;
        m_sealed.removeFirst();
    }
    if (m_sealed.isEmpty() && m_dropped > 0) {
        // Only the open block is left (capacity below kBlockLines): rewrite it without the
        // dropped lines.
        QByteArray kept;
        qsizetype index = 0;
        readLines(m_open, [&](QByteArrayView line) {
            if (index++ >= m_dropped)
                writeLine(kept, line);
        });
        m_open = kept;
        m_openLines -= int(m_dropped);
        m_count -= m_dropped;
        m_dropped = 0;
    }
}

QList<LogLine> LogTail::lines() const
{
    QList<LogLine> out;
    out.reserve(size());
    qsizetype skip = m_dropped;
    const auto take = [&](QByteArrayView line) {
        if (skip > 0)
            --skip;
        else
            out.append(LogLineSplitter::makeLine(line));
    };
    for (const Block &block : m_sealed)
        readLines(qUncompress(block.compressed), take);
    readLines(m_open, take);
    return out;
}

void LogTail::clear()
{
    m_sealed.clear();
    m_open.clear();
    m_openLines = 0;
    m_count = 0;
    m_dropped = 0;
}

qsizetype LogTail::heldBytes() const
{
    qsizetype bytes = m_open.capacity();
    for (const Block &block : m_sealed)
        bytes += block.compressed.size();
    return bytes;
}

} // namespace boo
