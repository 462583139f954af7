#pragma once

#include "core/common/result.h"
#include "core/history/historyrecorder.h"
#include "core/ingest/fleetingest.h"
#include "core/store/databaseurl.h"
#include "core/store/historywriter.h"

#include <QObject>

#include <memory>
#include <optional>

namespace boo {

class AccessGate;
class ActionQueue;
class Database;
class FleetState;
class HostAccess;
class LeaseBook;
class ProviderRegistry;
class SecretResolver;

struct RuntimeOptions
{
    DatabaseUrl database;
    QString providersPath;
    // Providers given by the program instead of a file (the simulated fleet of --demo).
    std::optional<QList<ProviderConfig>> fixedProviders;
    IngestOptions ingest;
    HistoryOptions history;
    HistoryWriterOptions writer;
};

// The live fleet in one process, wired as docs/architecture.md draws it: the history database
// (a connection on this thread for reads, the writer thread for writes), the provider registry,
// FleetState, the ingest that reports into it, the HistoryRecorder that stores what it
// announces, and the access to the hosts with the queue of the operator's actions. The headless
// server and the desktop cockpit both run one; the server adds its listener and the gateway.
class FleetRuntime final : public QObject
{
    Q_OBJECT

public:
    // Opens and migrates the database, reads the registry and records the providers; the error
    // names what failed (the database URL with its password masked, the registry file).
    static Result<std::unique_ptr<FleetRuntime>> create(const RuntimeOptions &options);
    ~FleetRuntime() override;
    Q_DISABLE_COPY_MOVE(FleetRuntime)

    void start();
    // Stops the connectors, then lets the writer store (or spill) what it holds.
    void stop();

    Database *database() const { return m_database.get(); }
    ProviderRegistry *registry() const { return m_registry; }
    HistoryWriter *writer() const { return m_writer; }
    FleetState *fleet() const { return m_fleet; }
    HistoryRecorder *recorder() const { return m_recorder; }
    SecretResolver *secrets() const { return m_secrets; }
    FleetIngest *ingest() const { return m_ingest; }
    HostAccess *access() const { return m_access; }
    ActionQueue *actions() const { return m_actions; }
    LeaseBook *leases() const { return m_leases; }
    AccessGate *accessGate() const { return m_gate; }
    const DatabaseUrl &databaseUrl() const { return m_url; }

    // Where each host's stored history ends, read from `database` (on the caller's thread).
    static FleetIngest::ResumeLookup resumeFrom(Database *database);

private:
    FleetRuntime(std::unique_ptr<Database> database, DatabaseUrl url);

    std::unique_ptr<Database> m_database;
    DatabaseUrl m_url;
    ProviderRegistry *m_registry = nullptr;
    HistoryWriter *m_writer = nullptr;
    FleetState *m_fleet = nullptr;
    HistoryRecorder *m_recorder = nullptr;
    SecretResolver *m_secrets = nullptr;
    FleetIngest *m_ingest = nullptr;
    HostAccess *m_access = nullptr;
    ActionQueue *m_actions = nullptr;
    LeaseBook *m_leases = nullptr;
    AccessGate *m_gate = nullptr;
    bool m_watchFile = false;
};

} // namespace boo
