#include "core/providers/providerconfig.h"

using namespace Qt::StringLiterals;

namespace boo {

QString providerKindName(ProviderKind kind)
{
    return enumNameString(kProviderKindNames, kind);
}

std::optional<ProviderKind> providerKindFromName(const QString &name)
{
    return enumFromName(kProviderKindNames, name);
}

QString ApiKeyRef::toString() const
{
    return enumName(kStoreNames, store) + u':' + name;
}

} // namespace boo
