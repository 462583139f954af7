#pragma once

#include "core/protocol/inflightupdate.h"

#include <QString>

#include <optional>

namespace boo {

// Recognises, in the messages that did arrive on one event-stream connection, the traces of
// messages the host dropped. llama-swap queues 1,024 messages per subscriber and silently drops
// what finds the queue full (reference §3.1): no sequence number says so, but two counters do.
// Messages of one type keep their order, so
//   * `activity` ids announce every stored row, one by one: a jump means announcements were lost;
//   * in-flight ids are a counter and each request's first upsert comes before any other of its
//     messages: a new id beyond the next one, or a remove of an id never seen, means messages of
//     those requests were lost (their removes with them, so FleetState may hold requests the
//     host finished long ago).
// Tracking starts anew with every connection, and for in-flight ids with every snapshot: ids
// below the first one seen after it may belong to requests that finished before it was taken.
// Pure bookkeeping; the connector decides what to do about a loss.
class EventSequenceCheck final
{
public:
    void reset();

    // An `activity` event (or one row a <= v235 host pushed). Returns why messages were lost.
    std::optional<QString> activityAnnounced(qint64 id);
    std::optional<QString> inFlight(const InFlightUpdate &update);

    // The newest activity id announced on this connection (-1: none yet).
    qint64 lastAnnouncedId() const { return m_lastAnnounced; }

private:
    qint64 m_lastAnnounced = -1;
    qint64 m_maxInFlightId = 0; // 0: not tracking (no new id seen since the last snapshot)
};

} // namespace boo
