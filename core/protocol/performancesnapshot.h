#pragma once

#include "core/common/result.h"
#include "core/protocol/gpusample.h"
#include "core/protocol/systemsample.h"

#include <QByteArray>
#include <QList>

#include <optional>

namespace boo {

// `GET /api/performance[?after=...]`.
//
// The arrays keep llama-swap's distinction between `null` (empty optional: an empty ring, asked
// without `after`) and `[]` (an empty list: nothing newer than `after`). A disabled monitor answers
// 503 `{"enabled":false}`: enabled is false and both arrays are null.
struct PerformanceSnapshot
{
    bool enabled = false;
    std::optional<QList<GpuSample>> gpuStats;
    std::optional<QList<SystemSample>> sysStats;

    // Decodes the body of a 200 or of the 503 "disabled" answer (the body says which).
    static Result<PerformanceSnapshot> fromJson(const QByteArray &body);

    friend bool operator==(const PerformanceSnapshot &, const PerformanceSnapshot &) = default;
};

} // namespace boo
