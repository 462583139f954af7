#pragma once

#include "core/common/result.h"
#include "core/history/sourceattributor.h"
#include "core/protocol/capture.h"
#include "core/store/retention.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>

namespace boo {

class Database;
class FleetState;
class HistoryWriter;
class ProviderRegistry;
struct FleetDelta;
struct RegistryChange;

struct HistoryOptions
{
    RetentionPolicy retention;
    // The first pass soon after start, then hourly: a server restarted more often than the
    // interval (deploys, crashes, a desktop opened for an hour a day) would otherwise never prune.
    int firstRetentionDelayMs = 60 * 1000;
    int retentionIntervalMs = 3600 * 1000;
    int hostStatusIntervalMs = 30 * 1000; // last_seen_at in control_hosts
    SourceAttributor::Options attribution;
};

// The one writer of history (docs/architecture.md). It listens to FleetState, the single
// fan-out point, and decides which changes and facts become rows for the HistoryWriter:
// finished requests (attributed to the gateway's consumers), GPU samples, model state changes,
// liveness transitions and incidents, host status, and the gateway's dispatch log. It also
// keeps control_hosts in step with the provider registry and runs retention on schedule.
//
// `database` is a connection on this thread, used for the registry's hosts only: their rows
// must exist before the first history row names them.
class HistoryRecorder final : public QObject
{
    Q_OBJECT

public:
    HistoryRecorder(FleetState *fleet, ProviderRegistry *registry, HistoryWriter *writer, Database *database, HistoryOptions options = {},
                    QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(HistoryRecorder)

    // Records the providers of the registry in control_hosts now; fails when the database
    // refuses (at start-up that is fatal: nothing could be recorded).
    Result<void> recordProviders();
    void start();
    // Writes every host's status a last time; call before the connectors go.
    void stop();

    // Reads a host's capture (GET /api/captures/{id}) for the attribution of rows several gateway
    // attempts fit; the recorder does no network I/O itself, FleetRuntime gives it HostAccess's.
    // Without one such rows stay unattributed.
    using CaptureLookup
        = std::function<void(const QString &hostId, qint64 captureId, QObject *context, std::function<void(Result<Capture>)>)>;
    void setCaptureLookup(CaptureLookup lookup) { m_captureLookup = std::move(lookup); }

    const SourceAttributor::Counters &attribution() const { return m_attributor.counters(); }
    // The attribution counters in Prometheus text, for /metrics.
    QByteArray attributionMetricsText() const;

private:
    void onChanged(const FleetDelta &delta);
    void onRegistryChanged(const RegistryChange &change);
    void writeHostStatus(const QString &hostId);
    void writeHostStatuses();
    void readCapture(const RequestRow &row, int retries);

    QPointer<FleetState> m_fleet;
    QPointer<ProviderRegistry> m_registry;
    QPointer<HistoryWriter> m_writer;
    Database *m_database;
    HistoryOptions m_options;
    SourceAttributor m_attributor;
    CaptureLookup m_captureLookup;
    QTimer m_retentionTimer;
    QTimer m_statusTimer;
    bool m_running = false;
};

} // namespace boo
