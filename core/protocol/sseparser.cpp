#include "core/protocol/sseparser.h"

#include <algorithm>
#include <limits>

namespace boo {

namespace {

constexpr char Bom[] = {'\xEF', '\xBB', '\xBF'};

} // namespace

SseParser::SseParser(qsizetype maxLineSize)
    : m_maxLineSize(std::max<qsizetype>(1, maxLineSize))
{
}

void SseParser::setMaxLineSize(qsizetype bytes)
{
    m_maxLineSize = std::max<qsizetype>(1, bytes);
}

void SseParser::reset()
{
    m_line.clear();
    m_lineOversized = false;
    m_skipLf = false;
    m_bomBytesSeen = 0;
    m_atStreamStart = true;
    clearEvent();
    m_lastEventId.clear();
    m_reconnectionTimeMs.reset();
}

QList<SseEvent> SseParser::feed(QByteArrayView chunk)
{
    QList<SseEvent> out;
    qsizetype pos = 0;

    // The spec ignores one leading UTF-8 BOM; it may itself arrive split over several chunks.
    while (m_atStreamStart && pos < chunk.size()) {
        if (chunk[pos] == Bom[m_bomBytesSeen]) {
            ++pos;
            if (++m_bomBytesSeen == 3)
                m_atStreamStart = false;
            continue;
        }
        m_atStreamStart = false;
        // Not a BOM after all: the bytes held back belong to the first line.
        appendToLine(QByteArrayView(Bom, m_bomBytesSeen));
    }

    const char *const begin = chunk.data();
    while (pos < chunk.size()) {
        if (m_skipLf) {
            m_skipLf = false;
            if (chunk[pos] == '\n') {
                ++pos;
                continue;
            }
        }
        const char *const from = begin + pos;
        const char *const end = begin + chunk.size();
        const char *const lineEnd = std::find_if(from, end, [](char c) { return c == '\n' || c == '\r'; });
        appendToLine(QByteArrayView(from, lineEnd - from));
        pos = lineEnd - begin;
        if (lineEnd == end)
            break;
        // A '\r' may be the first half of "\r\n" whose '\n' is in the next chunk.
        m_skipLf = *lineEnd == '\r';
        ++pos;
        endOfLine(out);
    }
    return out;
}

void SseParser::appendToLine(QByteArrayView bytes)
{
    if (bytes.isEmpty() || m_lineOversized)
        return;
    if (m_line.size() + bytes.size() > m_maxLineSize) {
        // Stop buffering now and skip the rest of this line as it streams in; the event is lost.
        m_lineOversized = true;
        m_line = QByteArray();
        if (!m_eventOversized) {
            m_eventOversized = true;
            ++m_droppedEvents;
        }
        m_data = QByteArray();
        return;
    }
    m_line.append(bytes);
}

void SseParser::endOfLine(QList<SseEvent> &out)
{
    if (m_lineOversized) {
        m_lineOversized = false;
        return;
    }
    const QByteArray line = std::exchange(m_line, QByteArray());
    if (line.isEmpty()) {
        dispatch(out);
        return;
    }
    if (line.startsWith(':'))
        return; // comment (servers use them as keep-alives)
    const qsizetype colon = line.indexOf(':');
    if (colon < 0) {
        processField(line, QByteArrayView());
        return;
    }
    QByteArrayView value = QByteArrayView(line).sliced(colon + 1);
    if (value.startsWith(' '))
        value = value.sliced(1);
    processField(QByteArrayView(line).first(colon), value);
}

void SseParser::processField(QByteArrayView field, QByteArrayView value)
{
    if (field == "data") {
        if (m_eventOversized)
            return;
        const qsizetype needed = m_data.size() + (m_hasData ? 1 : 0) + value.size();
        if (needed > m_maxLineSize) {
            m_eventOversized = true;
            ++m_droppedEvents;
            m_data = QByteArray();
            return;
        }
        if (m_hasData)
            m_data.append('\n');
        m_data.append(value);
        m_hasData = true;
    } else if (field == "event") {
        m_eventType = value.toByteArray();
    } else if (field == "id") {
        // The spec ignores ids containing NUL (they could not be sent back in a header).
        if (!value.contains('\0'))
            m_lastEventId = value.toByteArray();
    } else if (field == "retry") {
        if (value.isEmpty() || !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return;
        qint64 ms = 0;
        for (const char c : value) {
            ms = ms * 10 + (c - '0');
            if (ms > std::numeric_limits<int>::max())
                return; // absurd; ignoring it keeps the previous (sane) value
        }
        m_reconnectionTimeMs = int(ms);
        m_eventRetryMs = int(ms);
    }
    // Any other field name is ignored, as the spec requires.
}

void SseParser::dispatch(QList<SseEvent> &out)
{
    // A block without data lines is not an event (spec), and an oversized one was counted already.
    if (m_hasData && !m_eventOversized) {
        SseEvent event;
        event.event = m_eventType.isEmpty() ? QByteArray("message") : m_eventType;
        event.data = m_data;
        event.id = m_lastEventId;
        event.retryMs = m_eventRetryMs;
        out.append(std::move(event));
        ++m_dispatchedEvents;
    }
    clearEvent();
}

void SseParser::clearEvent()
{
    m_eventType.clear();
    m_data = QByteArray();
    m_hasData = false;
    m_eventOversized = false;
    m_eventRetryMs.reset();
}

} // namespace boo
