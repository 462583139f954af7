#pragma once

#include "core/protocol/sseevent.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <optional>

namespace boo {

// Bytes in, events out: a push parser for text/event-stream that is indifferent to how the
// network cuts the stream (a chunk may end anywhere, even between "\r" and "\n").
//
// Memory is bounded by maxLineSize(): a line longer than that is not buffered — its bytes are
// discarded as they arrive and the event it belongs to is dropped and counted
// (droppedEventCount()). The same bound applies to the joined data of one event, so many short
// data lines cannot grow a buffer without limit either.
class SseParser final
{
public:
    static constexpr qsizetype DefaultMaxLineSize = 8 * 1024 * 1024;

    explicit SseParser(qsizetype maxLineSize = DefaultMaxLineSize);

    // Consumes `chunk` and returns the events completed by it, in stream order.
    QList<SseEvent> feed(QByteArrayView chunk);
    // Forgets a partial event and all stream state (the id too): call before reading a new
    // connection. Counters are kept.
    void reset();

    qsizetype maxLineSize() const { return m_maxLineSize; }
    void setMaxLineSize(qsizetype bytes);

    // Events dropped because a line or the event's data exceeded maxLineSize().
    qint64 droppedEventCount() const { return m_droppedEvents; }
    qint64 dispatchedEventCount() const { return m_dispatchedEvents; }
    // The last valid "retry:" value of the stream (the reconnection time the server asked for).
    std::optional<int> reconnectionTimeMs() const { return m_reconnectionTimeMs; }
    // Bytes currently buffered for an incomplete line / event (for tests and diagnostics).
    qsizetype bufferedBytes() const { return m_line.size() + m_data.size(); }

private:
    void appendToLine(QByteArrayView bytes);
    void endOfLine(QList<SseEvent> &out);
    void processField(QByteArrayView field, QByteArrayView value);
    void dispatch(QList<SseEvent> &out);
    void clearEvent();

    qsizetype m_maxLineSize;
    QByteArray m_line;
    bool m_lineOversized = false; // the current line passed the limit: its bytes are skipped
    bool m_skipLf = false;        // the previous byte was a '\r' that already ended a line
    int m_bomBytesSeen = 0;       // how much of a leading UTF-8 BOM has been matched (0..3)
    bool m_atStreamStart = true;

    // The event being assembled.
    QByteArray m_eventType;
    QByteArray m_data;
    bool m_hasData = false;
    bool m_eventOversized = false;
    std::optional<int> m_eventRetryMs;

    QByteArray m_lastEventId;
    std::optional<int> m_reconnectionTimeMs;
    qint64 m_droppedEvents = 0;
    qint64 m_dispatchedEvents = 0;
};

} // namespace boo
