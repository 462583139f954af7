#pragma once

#include "core/common/result.h"
#include "core/protocol/hostevent.h"
#include "core/protocol/sseevent.h"

#include <QByteArray>
#include <QJsonValue>

#include <functional>

namespace boo {

// Turns one SSE event of `/api/events` into a HostEvent.
//
// The wire format is an envelope `{"type": "...", "data": "<JSON text>"}` whose `data` is a JSON
// document serialised into a string (double encoding); we also accept `data` as plain JSON, which
// costs nothing and keeps us working should a release stop double-encoding.
//
// Results: a decoded event; an UnknownEvent for types this build does not know (counted, not an
// error); or an Error naming what was wrong. Nothing throws, whatever the input.
class EventDecoder final
{
public:
    Result<HostEvent> decode(const SseEvent &event);
    // The envelope alone, for callers that hold the `data:` payload without an SseEvent.
    Result<HostEvent> decodeEnvelope(const QByteArray &envelopeJson);

    qint64 decodedCount() const { return m_decoded; }
    qint64 unknownTypeCount() const { return m_unknown; }
    qint64 errorCount() const { return m_errors; }
    void resetCounters();

private:
    // The event of a known `type` from its inner document (read only for a known type).
    Result<HostEvent> decodeTyped(const QString &type, const std::function<Result<QJsonValue>()> &innerDocument);
    Result<HostEvent> count(Result<HostEvent> result);

    qint64 m_decoded = 0;
    qint64 m_unknown = 0;
    qint64 m_errors = 0;
};

} // namespace boo
