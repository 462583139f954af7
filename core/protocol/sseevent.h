#pragma once

#include <QByteArray>

#include <optional>

namespace boo {

// One dispatched Server-Sent Event (WHATWG HTML "event stream interpretation").
struct SseEvent
{
    QByteArray event;           // the event type; "message" when the block named none
    QByteArray data;            // data lines joined with '\n' (no trailing '\n')
    QByteArray id;              // the last event id seen on the stream so far (spec: it persists)
    std::optional<int> retryMs; // a valid "retry:" inside this event's block, if any

    friend bool operator==(const SseEvent &, const SseEvent &) = default;
};

} // namespace boo
