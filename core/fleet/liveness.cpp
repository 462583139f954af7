#include "core/fleet/liveness.h"

namespace boo {

QString livenessName(Liveness liveness)
{
    return enumNameString(kLivenessNames, liveness);
}

std::optional<Liveness> livenessFromName(QStringView name)
{
    return enumFromName(kLivenessNames, name);
}

} // namespace boo
