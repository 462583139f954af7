#pragma once

#include "core/common/result.h"
#include "core/providers/providerconfig.h"
#include "core/remote/remoteconfigfile.h"

#include <QUrl>

namespace boo {

// One llama-swap host as the config pipeline reaches it: over SSH for the file, over HTTP for
// the health wait.
struct ConfigHost
{
    QString providerId;
    SshSettings ssh;
    QString configPath;
    ReloadMethod reload; // Watch: llama-swap -watch-config picks the file up by itself
    QString processName = QStringLiteral("llama-swap");
    QUrl baseUrl;
    QString apiKey;
    int keepBackups = 10; // on the host, next to the file; the database keeps every one
    int healthTimeoutMs = 60000;

    // From a provider's "ssh" settings (the registry), with BooControl's own known_hosts file
    // and the provider's resolved API key. Errors (code "remote.settings") name the field.
    static Result<ConfigHost> fromProvider(const ProviderConfig &provider, const QString &knownHostsFile, const QString &apiKey);
    // BooControl's own known_hosts file, in the user's data directory: never ~/.ssh/known_hosts.
    static QString defaultKnownHostsFile();
};

} // namespace boo
