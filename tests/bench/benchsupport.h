#pragma once

#include "core/ingest/fleetingest.h"
#include "core/runtime/fleetruntime.h"
#include "core/store/databaseurl.h"

#include <QList>
#include <QProcess>
#include <QUrl>

#include <functional>
#include <memory>

namespace boo {
class Database;
class FleetState;
class HistoryWriter;
class ProviderRegistry;
} // namespace boo

namespace boo::bench {

// Resident memory of this process (VmRSS), 0 where /proc is not available.
qint64 residentBytes();
// Runs the event loop until `done` holds or `timeoutMs` passes; true when it held.
bool waitFor(const std::function<bool()> &done, int timeoutMs);
double percentile(QList<double> values, double p);
// "12,345": numbers a reader can take in at a glance.
QString grouped(double value);

// boo-simfleet in a process of its own (next to boo-bench), so that what a benchmark measures
// in this process is BooControl alone: the hosts cost the same CPU, but not our memory, and
// their work does not show up in our profiles.
class ExternalSimFleet
{
public:
    ~ExternalSimFleet();
    Result<QList<ProviderConfig>> start(const QStringList &hostSpecs);
    // POSTs `body` to the control API (e.g. "/traffic").
    Result<void> post(const QString &path, const QByteArray &body);
    // Sum of a numeric field over GET /hosts (e.g. "lastActivityId").
    qint64 sumOverHosts(const QString &field);
    void stop();

private:
    QProcess *m_process = nullptr;
    QUrl m_control;
};

// The live ingest of boocontrol (FleetRuntime: connectors, FleetState, recorder, writer) over
// given providers, without a listener: what the ingest benchmarks measure.
struct IngestStack
{
    std::unique_ptr<QObject> owner; // context of connections made by a benchmark
    std::unique_ptr<FleetRuntime> runtime;
    Database *database = nullptr;
    ProviderRegistry *registry = nullptr;
    HistoryWriter *writer = nullptr;
    FleetState *fleet = nullptr;
    FleetIngest *ingest = nullptr;

    static Result<std::unique_ptr<IngestStack>> create(const DatabaseUrl &url, const QList<ProviderConfig> &providers,
                                                       const ConnectorTimings &timings = {});
    void start();
    void stop();
    bool allConnected() const;
    ~IngestStack();
};

} // namespace boo::bench
