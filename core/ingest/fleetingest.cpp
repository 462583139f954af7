#include "core/ingest/fleetingest.h"

#include "core/common/logging.h"
#include "core/fleet/fleetstate.h"
#include "core/providers/providerregistry.h"
#include "core/providers/secretresolver.h"

using namespace Qt::StringLiterals;

namespace boo {

FleetIngest::FleetIngest(ProviderRegistry *registry, FleetState *fleet, SecretResolver *secrets, ResumeLookup resume, IngestOptions options,
                         QObject *parent)
    : QObject(parent)
    , m_registry(registry)
    , m_fleet(fleet)
    , m_secrets(secrets)
    , m_resume(std::move(resume))
    , m_options(std::move(options))
{
}

FleetIngest::~FleetIngest()
{
    stop();
}

void FleetIngest::start()
{
    if (m_running || !m_registry)
        return;
    m_running = true;
    connect(m_registry, &ProviderRegistry::providersChanged, this, &FleetIngest::applyRegistryChange);
    for (const ProviderConfig &provider : m_registry->providers())
        addConnector(provider);
}

void FleetIngest::stop()
{
    if (!m_running)
        return;
    m_running = false;
    if (m_registry)
        disconnect(m_registry, nullptr, this, nullptr);
    const QStringList ids = m_connectors.keys();
    for (const QString &id : ids)
        removeConnector(id);
}

std::optional<HostEndpoint> FleetIngest::endpoint(const QString &providerId) const
{
    const HostConnector *connector = m_connectors.value(providerId);
    if (!connector)
        return std::nullopt;
    return connector->endpoint();
}

void FleetIngest::applyRegistryChange(const RegistryChange &change)
{
    for (const ProviderConfig &provider : change.removed)
        removeConnector(provider.id);
    for (const ProviderConfig &provider : change.changed) {
        removeConnector(provider.id);
        addConnector(provider);
    }
    for (const ProviderConfig &provider : change.added)
        addConnector(provider);
}

void FleetIngest::addConnector(const ProviderConfig &provider)
{
    if (!provider.enabled || provider.kind != ProviderKind::LlamaSwap || m_connectors.contains(provider.id))
        return;
    auto *connector = new HostConnector(provider, &m_nam, m_fleet, m_secrets, m_options.timings, this);
    m_connectors.insert(provider.id, connector);
    connector->start(m_resume ? m_resume(provider.id) : ConnectorStart{});
    qCInfo(lcFleet).noquote() << "watching" << provider.id << provider.baseUrl.toString();
}

void FleetIngest::removeConnector(const QString &id)
{
    HostConnector *connector = m_connectors.take(id);
    if (!connector)
        return;
    connector->stop();
    delete connector;
    if (m_fleet)
        m_fleet->removeHost(id);
}

} // namespace boo
