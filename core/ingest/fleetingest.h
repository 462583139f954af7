#pragma once

#include "core/http/hostendpoint.h"
#include "core/ingest/hostconnector.h"

#include <QHash>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

namespace boo {

class FleetState;
class ProviderRegistry;
class SecretResolver;
struct RegistryChange;

struct IngestOptions
{
    ConnectorTimings timings;
};

// Runs the live ingest of the fleet: one HostConnector per enabled llama-swap provider, kept in
// step with the registry. The connectors report into FleetState; what becomes history is the
// HistoryRecorder's to decide.
class FleetIngest final : public QObject
{
    Q_OBJECT

public:
    // Where the history of a host ends (the newest stored activity row, the newest GPU sample),
    // so that its connector continues there instead of fetching everything again.
    using ResumeLookup = std::function<ConnectorStart(const QString &providerId)>;

    FleetIngest(ProviderRegistry *registry, FleetState *fleet, SecretResolver *secrets, ResumeLookup resume, IngestOptions options = {},
                QObject *parent = nullptr);
    ~FleetIngest() override;
    Q_DISABLE_COPY_MOVE(FleetIngest)

    void start();
    void stop();

    QList<HostConnector *> connectors() const { return m_connectors.values(); }
    HostConnector *connector(const QString &id) const { return m_connectors.value(id); }
    QNetworkAccessManager *network() { return &m_nam; }
    // The endpoint (base URL and resolved API key) of a watched host: what HostAccess reaches
    // the hosts with.
    std::optional<HostEndpoint> endpoint(const QString &providerId) const;

private:
    void applyRegistryChange(const RegistryChange &change);
    void addConnector(const ProviderConfig &provider);
    void removeConnector(const QString &id);

    QPointer<ProviderRegistry> m_registry;
    QPointer<FleetState> m_fleet;
    QPointer<SecretResolver> m_secrets;
    ResumeLookup m_resume;
    IngestOptions m_options;
    QNetworkAccessManager m_nam;
    QHash<QString, HostConnector *> m_connectors;
    bool m_running = false;
};

} // namespace boo
