#pragma once

#include "core/protocol/activitypage.h"
#include "core/protocol/protocolgeneration.h"
#include "core/protocol/versioninfo.h"

#include <optional>

namespace boo {

// Decides the ProtocolGeneration of a host from its /api/version and from probe evidence.
//
// Evidence beats the version string, because dev builds say "0"/"unknown" and forks or
// back-ports may say anything:
//   1. `GET /api/metrics/activity` answered 404              -> Legacy235
//   2. a `min_id`/`max_id` query answered with rows outside the range (or a `total` larger than
//      the range can hold)                                   -> Paged236to250
//   3. a `min_id`/`max_id` query answered only rows inside it -> Current
//   4. no decisive evidence: the version string —
//        release <= 235                                      -> Legacy235
//        236 <= release < 250, or exactly "v250"             -> Paged236to250
//        "v250-N-g…" (N > 0) or release > 250                -> Current
//        dev build ("0", "unknown", no release number)       -> Current, to be corrected by a probe
//      (an activity endpoint that answered 200 lifts a version that says <= 235 to Paged236to250).
class ProtocolClassifier final
{
public:
    enum class Endpoint { NotProbed, Present, NotFound };
    enum class IdFilter { NotProbed, Honoured, Ignored };

    struct Evidence
    {
        Endpoint activityEndpoint = Endpoint::NotProbed;
        IdFilter idFilter = IdFilter::NotProbed;
    };

    static ProtocolGeneration classify(const VersionInfo &version, const Evidence &evidence);
    static ProtocolGeneration classifyVersion(const VersionInfo &version);

    // Judges the answer to `?min_id=<minId>&max_id=<maxId>`. An empty page proves nothing
    // (NotProbed): both generations return no rows from an empty store.
    static IdFilter judgeIdFilter(const ActivityPage &page, qint64 minId, qint64 maxId);
};

} // namespace boo
