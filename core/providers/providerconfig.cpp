#include "core/providers/providerconfig.h"

using namespace Qt::StringLiterals;

namespace boo {

QString providerKindName(ProviderKind kind)
{
    switch (kind) {
    case ProviderKind::LlamaSwap: return u"llama-swap"_s;
    case ProviderKind::OpenAi: return u"openai"_s;
    case ProviderKind::BooControlGateway: return u"boocontrol-gateway"_s;
    }
    Q_UNREACHABLE();
    return {};
}

std::optional<ProviderKind> providerKindFromName(const QString &name)
{
    for (ProviderKind kind : {ProviderKind::LlamaSwap, ProviderKind::OpenAi, ProviderKind::BooControlGateway}) {
        if (providerKindName(kind) == name)
            return kind;
    }
    return std::nullopt;
}

QString ApiKeyRef::toString() const
{
    return (store == Store::Environment ? u"env:"_s : u"keychain:"_s) + name;
}

} // namespace boo
