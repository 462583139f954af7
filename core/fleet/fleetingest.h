#pragma once

#include "core/fleet/hostconnector.h"
#include "core/fleet/providerregistry.h"
#include "core/store/retention.h"

#include <QHash>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace boo {

class Database;
class FleetState;
class HistoryWriter;
class SecretResolver;

struct IngestOptions
{
    ConnectorTimings timings;
    RetentionPolicy retention;
    int retentionIntervalMs = 3600 * 1000;   // hourly
    int hostStatusIntervalMs = 30 * 1000;    // last_seen_at in control_hosts
};

// Runs the live ingest of the fleet: one HostConnector per enabled llama-swap provider, kept in
// step with the registry; liveness transitions and model state changes recorded as history;
// host status refreshed in control_hosts; retention run on schedule.
//
// `database` is a connection on this thread used to recover where each host's history ends
// (the newest stored activity row, the newest GPU sample) before its connector starts.
class FleetIngest final : public QObject
{
    Q_OBJECT

public:
    FleetIngest(ProviderRegistry *registry, FleetState *fleet, HistoryWriter *writer, Database *database,
                IngestOptions options = {}, QObject *parent = nullptr);
    ~FleetIngest() override;
    Q_DISABLE_COPY_MOVE(FleetIngest)

    void start();
    void stop();

    QList<HostConnector *> connectors() const { return m_connectors.values(); }
    HostConnector *connector(const QString &id) const { return m_connectors.value(id); }
    QNetworkAccessManager *network() { return &m_nam; }
    // Passed on to every connector, present and future (HostConnector::setRequestRowAnnotator).
    void setRequestRowAnnotator(HostConnector::RequestRowAnnotator annotator);
    SecretResolver *secrets() const { return m_secrets; }

    // Where the history of `providerId` ends, read from the database (empty when unknown).
    ConnectorStart resumePoint(const QString &providerId) const;

private:
    void applyRegistryChange(const RegistryChange &change);
    void addConnector(const ProviderConfig &provider);
    void removeConnector(const QString &id);
    void writeHostStatuses();

    QPointer<ProviderRegistry> m_registry;
    QPointer<FleetState> m_fleet;
    QPointer<HistoryWriter> m_writer;
    Database *m_database;
    IngestOptions m_options;
    QNetworkAccessManager m_nam;
    SecretResolver *m_secrets;
    QHash<QString, HostConnector *> m_connectors;
    QTimer m_retentionTimer;
    QTimer m_statusTimer;
    bool m_running = false;
    HostConnector::RequestRowAnnotator m_annotator;
};

} // namespace boo
