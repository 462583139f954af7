#pragma once

#include "core/ingest/hostconnector.h"
#include "core/runtime/fleetruntime.h"
#include "core/sim/simconfig.h"
#include "core/store/databaseurl.h"

#include <QHash>
#include <QObject>
#include <QSet>

#include <memory>

namespace boo {
class ControlServer;
class Database;
class FleetIngest;
class FleetState;
class HistoryWriter;
class ProviderRegistry;
class SimFleet;
class SimHost;
} // namespace boo

namespace boo::test {

// Simulated llama-swap hosts, the whole live ingest (connectors, FleetState, HistoryWriter)
// and a control server, in one thread, plus the ground truth to judge them by: every activity
// row each simulated host ever finished, taken from the simulator itself.
class IngestHarness final : public QObject
{
    Q_OBJECT

public:
    using RowKey = std::pair<qint64, qint64>; // (activity id, finish time in UTC ms)

    struct HostReport
    {
        QString host;
        qsizetype produced = 0;      // rows the host ever finished
        qsizetype stored = 0;        // rows of that host in the database
        qsizetype lost = 0;          // produced but not stored
        qsizetype unknown = 0;       // stored but never produced (must be 0)
        qsizetype heldNotStored = 0; // rows the host still holds that are not stored (must be 0)
        bool gapSuspected = false;
    };

    static ConnectorTimings fastTimings();

    IngestHarness(DatabaseUrl database, QList<SimHostConfig> hosts, ConnectorTimings timings = fastTimings(), QObject *parent = nullptr);
    ~IngestHarness() override;

    Result<void> start();
    void stop();

    SimHost *host(const QString &name) const;
    QStringList hostNames() const;
    FleetRuntime *runtime() const { return m_runtime.get(); }
    // Null until start() succeeded.
    FleetState *fleet() const { return m_runtime ? m_runtime->fleet() : nullptr; }
    ProviderRegistry *registry() const { return m_runtime ? m_runtime->registry() : nullptr; }
    HistoryWriter *writer() const { return m_runtime ? m_runtime->writer() : nullptr; }
    FleetIngest *ingest() const { return m_runtime ? m_runtime->ingest() : nullptr; }
    HostAccess *access() const { return m_runtime ? m_runtime->access() : nullptr; }
    SecretResolver *secrets() const { return m_runtime ? m_runtime->secrets() : nullptr; }
    ControlServer *server() const { return m_server; }
    Database *database() const { return m_runtime ? m_runtime->database() : nullptr; }

    qsizetype producedCount() const;
    QSet<RowKey> storedKeys(const QString &host) const;
    // Every host connected, the writer idle, and every row each host still holds stored.
    bool settled(QString *why = nullptr) const;
    QList<HostReport> report() const;

private:
    RowKey keyOf(const SimHost *host, qint64 id) const;

    DatabaseUrl m_url;
    QList<SimHostConfig> m_configs;
    ConnectorTimings m_timings;
    SimFleet *m_sims = nullptr;
    std::unique_ptr<FleetRuntime> m_runtime;
    ControlServer *m_server = nullptr;
    QHash<QString, QSet<RowKey>> m_produced;
};

} // namespace boo::test
