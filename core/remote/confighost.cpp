#include "core/remote/confighost.h"

#include <QDir>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace boo {

Result<ConfigHost> ConfigHost::fromProvider(const ProviderConfig &provider, const QString &knownHostsFile, const QString &apiKey)
{
    const auto fail
        = [&](const QString &message) { return makeError(u"remote.settings"_s, u"provider \"%1\": %2"_s.arg(provider.id, message)); };
    if (provider.kind != ProviderKind::LlamaSwap)
        return fail(u"only llama-swap hosts have a config file to edit"_s);
    if (!provider.ssh)
        return fail(u"no \"ssh\" settings in the providers file (target, identityFile, configPath, reload)"_s);
    const ProviderSsh &s = *provider.ssh;
    auto target = SshTarget::parse(s.target);
    if (!target)
        return fail(u"ssh.target: "_s + target.error().message);
    auto reload = ReloadMethod::parse(s.reload);
    if (!reload)
        return fail(u"ssh.reload: "_s + reload.error().message);
    if (!s.configPath.startsWith(u'/'))
        return fail(u"ssh.configPath must be an absolute path on the host"_s);
    ConfigHost host;
    host.providerId = provider.id;
    host.ssh.target = *target;
    host.ssh.identityFile = s.identityFile.startsWith(u"~/"_s) ? QDir::homePath() + s.identityFile.mid(1) : s.identityFile;
    host.ssh.knownHostsFile = knownHostsFile;
    host.configPath = s.configPath;
    host.reload = *reload;
    host.processName = s.processName;
    host.baseUrl = provider.baseUrl;
    host.apiKey = apiKey;
    host.keepBackups = s.keepBackups;
    host.healthTimeoutMs = s.healthTimeoutSeconds * 1000;
    return host;
}

QString ConfigHost::defaultKnownHostsFile()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/known_hosts"_s;
}

} // namespace boo
