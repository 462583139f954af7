#pragma once

#include "core/common/enumnames.h"

#include <QString>

namespace boo {

// Which shape of the activity API a host speaks (reference §12). The rule that picks one is in
// ProtocolClassifier and docs/protocol.md.
enum class ProtocolGeneration {
    // after v250: /api/metrics/activity honours min_id/max_id (and start/end, repeated model);
    // fetch only new rows by id range.
    Current,
    // v236 .. v250: /api/metrics/activity pages (limit/page/sort/order, one model); id filters are
    // silently ignored, so sync by paging from the newest row and deduplicating by id.
    Paged236to250,
    // <= v235: no SQLite store; GET /api/metrics returns the in-memory ring as a plain array
    // (ids from 0, nanosecond timestamps) and the SSE stream sends `metrics` instead of `activity`.
    Legacy235,
};

// What HostState.generation carries (the cockpit shows it; an attached cockpit gets it as text).
inline constexpr EnumName<ProtocolGeneration> kProtocolGenerationNames[] = {
    {ProtocolGeneration::Current, u"current"},
    {ProtocolGeneration::Paged236to250, u"v236-v250"},
    {ProtocolGeneration::Legacy235, u"legacy (<= v235)"},
};

QString protocolGenerationName(ProtocolGeneration generation);

} // namespace boo
