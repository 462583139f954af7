#pragma once

#include "core/common/enumnames.h"

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace boo {

enum class ProviderKind {
    LlamaSwap,         // a llama-swap host: watched, recorded, steerable
    OpenAi,            // a cloud or other OpenAI-compatible endpoint (gateway candidate only)
    BooControlGateway, // another BooControl --serve
};
// The `kind` of llama-providers.json, also control_hosts.kind.
inline constexpr EnumName<ProviderKind> kProviderKindNames[] = {
    {ProviderKind::LlamaSwap, u"llama-swap"},
    {ProviderKind::OpenAi, u"openai"},
    {ProviderKind::BooControlGateway, u"boocontrol-gateway"},
};

QString providerKindName(ProviderKind kind);
std::optional<ProviderKind> providerKindFromName(const QString &name);

// Where a provider's API key lives. The registry file never holds the secret itself.
struct ApiKeyRef
{
    enum class Store { Environment, Keychain };
    // The prefix before the ':' in the providers file.
    static constexpr EnumName<Store> kStoreNames[] = {{Store::Environment, u"env"}, {Store::Keychain, u"keychain"}};
    Store store = Store::Environment;
    QString name;

    QString toString() const; // "env:NAME" / "keychain:NAME"
    friend bool operator==(const ApiKeyRef &, const ApiKeyRef &) = default;
};

// One entry of llama-providers.json.
struct ProviderConfig
{
    QString id; // stable key in the database and in gateway model ids (<id>/<model>)
    QString name;
    ProviderKind kind = ProviderKind::LlamaSwap;
    QUrl baseUrl; // no trailing slash
    bool enabled = true;
    std::optional<ApiKeyRef> apiKey;
    QStringList tags;

    friend bool operator==(const ProviderConfig &, const ProviderConfig &) = default;
};

} // namespace boo

Q_DECLARE_METATYPE(boo::ProviderConfig)
