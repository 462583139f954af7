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

// How to reach a llama-swap host's config file over SSH (the "ssh" object of a provider;
// docs/remote.md). Kept as written: core/remote parses the target and the reload method.
struct ProviderSsh
{
    QString target;                           // user@host:port
    QString identityFile;                     // a key file; never the key itself
    QString configPath;                       // the llama-swap config file on the host
    QString reload = QStringLiteral("watch"); // sighup | watch | systemctl restart UNIT | command: ...
    QString processName = QStringLiteral("llama-swap");
    int keepBackups = 10;
    int healthTimeoutSeconds = 60;

    friend bool operator==(const ProviderSsh &, const ProviderSsh &) = default;
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
    std::optional<ProviderSsh> ssh;

    friend bool operator==(const ProviderConfig &, const ProviderConfig &) = default;
};

} // namespace boo

Q_DECLARE_METATYPE(boo::ProviderConfig)
