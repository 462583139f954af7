#include "core/protocol/loglinesplitter.h"

#include <algorithm>

namespace boo {

LogLineSplitter::LogLineSplitter(qsizetype maxLineLength)
    : m_maxLineLength(std::max<qsizetype>(16, maxLineLength))
{
}

LogLine LogLineSplitter::makeLine(QByteArrayView bytes, bool forcedBreak)
{
    if (bytes.endsWith('\r'))
        bytes.chop(1);
    LogLine line;
    line.text = QString::fromUtf8(bytes);
    line.plain = stripAnsi(line.text);
    line.forcedBreak = forcedBreak;
    return line;
}

QList<LogLine> LogLineSplitter::feed(const QString &chunk)
{
    return feed(QByteArrayView(chunk.toUtf8()));
}

QList<LogLine> LogLineSplitter::feed(QByteArrayView chunk)
{
    QList<LogLine> lines;
    while (!chunk.isEmpty()) {
        const qsizetype newline = chunk.indexOf('\n');
        const qsizetype take = newline < 0 ? chunk.size() : newline;
        const qsizetype room = m_maxLineLength - m_pending.size();
        if (take > room) {
            // Cut at the limit, but not inside a UTF-8 sequence: back up over continuation bytes.
            qsizetype cut = room;
            while (cut > 0 && cut < chunk.size() && (uchar(chunk[cut]) & 0xC0) == 0x80)
                --cut;
            if (cut == 0 && m_pending.isEmpty())
                cut = room;
            m_pending.append(chunk.first(cut));
            lines.append(makeLine(m_pending, true));
            m_pending.clear();
            chunk = chunk.sliced(cut);
            continue;
        }
        if (newline < 0) {
            m_pending.append(chunk);
            break;
        }
        m_pending.append(chunk.first(newline));
        lines.append(makeLine(m_pending));
        m_pending.clear();
        chunk = chunk.sliced(newline + 1);
    }
    return lines;
}

QList<LogLine> LogLineSplitter::flush()
{
    if (m_pending.isEmpty())
        return {};
    QList<LogLine> lines{makeLine(m_pending)};
    m_pending.clear();
    return lines;
}

QString LogLineSplitter::stripAnsi(const QString &text)
{
    constexpr char16_t Esc = 0x1B;
    if (!text.contains(QChar(Esc)))
        return text;
    QString out;
    out.reserve(text.size());
    const qsizetype n = text.size();
    qsizetype i = 0;
    while (i < n) {
        const char16_t c = text[i].unicode();
        if (c != Esc) {
            out.append(text[i]);
            ++i;
            continue;
        }
        if (i + 1 >= n)
            break;
        const char16_t kind = text[i + 1].unicode();
        if (kind == u'[') {
            // CSI: parameter and intermediate bytes 0x20..0x3F, then one final byte 0x40..0x7E.
            i += 2;
            while (i < n && text[i].unicode() >= 0x20 && text[i].unicode() <= 0x3F)
                ++i;
            if (i < n && text[i].unicode() >= 0x40 && text[i].unicode() <= 0x7E)
                ++i;
        } else if (kind == u']') {
            // OSC: up to BEL or ST (ESC \).
            i += 2;
            while (i < n) {
                if (text[i].unicode() == 0x07) {
                    ++i;
                    break;
                }
                if (text[i].unicode() == Esc && i + 1 < n && text[i + 1].unicode() == u'\\') {
                    i += 2;
                    break;
                }
                ++i;
            }
        } else {
            i += 2;
        }
    }
    return out;
}

} // namespace boo
