#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

namespace boo {

// One complete log line. `text` keeps ANSI escape sequences (colours) for rendering; `plain` is
// the same line without them, for search and filters.
struct LogLine
{
    QString text;
    QString plain;
    bool forcedBreak = false; // the line was longer than the limit and was cut here

    friend bool operator==(const LogLine &, const LogLine &) = default;
};

// Reassembles lines from log chunks that are not line-aligned (logData messages,
// /logs/stream): feed chunks, get the lines they complete; the partial last line is kept for the
// next chunk. Lines end at "\n"; a "\r" before it is dropped. Bytes are split before they are
// decoded, so a UTF-8 sequence cut between chunks is reassembled intact.
//
// A line longer than maxLineLength() is emitted in pieces (forcedBreak) so a stream without
// newlines cannot grow the buffer without bound.
class LogLineSplitter final
{
public:
    static constexpr qsizetype DefaultMaxLineLength = 1024 * 1024;

    explicit LogLineSplitter(qsizetype maxLineLength = DefaultMaxLineLength);

    QList<LogLine> feed(QByteArrayView chunk);
    QList<LogLine> feed(const QString &chunk);
    // The pending partial line as a final line (end of stream); empty list when nothing is pending.
    QList<LogLine> flush();
    void clear() { m_pending.clear(); }

    qsizetype pendingBytes() const { return m_pending.size(); }
    qsizetype maxLineLength() const { return m_maxLineLength; }

    // Removes ANSI/VT escape sequences: CSI (ESC [ ... final byte), OSC (ESC ] ... BEL or ESC \),
    // and two-byte escapes; a lone ESC at the end is dropped as well.
    static QString stripAnsi(const QString &text);
    static LogLine makeLine(QByteArrayView bytes, bool forcedBreak = false);

private:
    qsizetype m_maxLineLength;
    QByteArray m_pending;
};

} // namespace boo
