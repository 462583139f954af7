#pragma once

#include "core/common/enumnames.h"

#include <QString>

#include <optional>

namespace boo {

// How BooControl currently reaches a host (reference: architecture.md, HostConnector).
//   Connected     the event stream is open (or the host answered recently)
//   Reconnecting  the stream broke; we are retrying with backoff (also the state before the
//                 first connection succeeds)
//   Down          retries keep failing; the circuit breaker slows probing down
enum class Liveness { Reconnecting, Connected, Down };

// Names on the wire (HostState JSON), in /metrics and in host events.
inline constexpr EnumName<Liveness> kLivenessNames[] = {
    {Liveness::Reconnecting, u"reconnecting"},
    {Liveness::Connected, u"connected"},
    {Liveness::Down, u"down"},
};

QString livenessName(Liveness liveness);
std::optional<Liveness> livenessFromName(QStringView name);

} // namespace boo
