#include "core/bench/benchsample.h"

namespace boo {

QString benchErrorKindName(BenchErrorKind kind)
{
    return enumNameString(kBenchErrorKindNames, kind);
}

std::optional<double> BenchSample::tpotMs() const
{
    if (!ok() || !ttftMs || outputTokens < 2)
        return std::nullopt;
    return (e2eMs - *ttftMs) / double(outputTokens - 1);
}

} // namespace boo
