#include "tests/common/ingestharness.h"

#include "core/fleet/fleetstate.h"
#include "core/ingest/fleetingest.h"
#include "core/providers/providerregistry.h"
#include "core/server/controlserver.h"
#include "core/sim/simactivitystore.h"
#include "core/sim/simfleet.h"
#include "core/sim/simhost.h"
#include "core/sim/siminflighttracker.h"
#include "core/sim/simtrafficgenerator.h"
#include "core/store/database.h"
#include "core/store/historywriter.h"
#include "core/store/migrations.h"

using namespace Qt::StringLiterals;

namespace boo::test {

ConnectorTimings IngestHarness::fastTimings()
{
    ConnectorTimings t;
    t.backoffMs = {50, 100, 200, 400};
    t.downAfterFailures = 3;
    t.downProbeMs = 600;
    t.idleProbeMs = 800;
    t.requestTimeoutMs = 1000;
    t.headerTimeoutMs = 1000;
    t.perfIntervalMs = 500;
    t.runningRefreshMs = 50;
    t.activityCoalesceMs = 100;
    return t;
}

IngestHarness::IngestHarness(DatabaseUrl database, QList<SimHostConfig> hosts, ConnectorTimings timings, QObject *parent)
    : QObject(parent)
    , m_url(std::move(database))
    , m_configs(std::move(hosts))
    , m_timings(std::move(timings))
{
}

IngestHarness::~IngestHarness()
{
    stop();
    delete m_server; // it watches the runtime's objects: it goes first
}

Result<void> IngestHarness::start()
{
    m_sims = new SimFleet(this);
    for (const SimHostConfig &config : std::as_const(m_configs)) {
        SimHost *host = m_sims->addHost(config);
        if (!host)
            return makeError(u"harness"_s, u"duplicate simulated host "_s + config.name);
        connect(host, &SimHost::activityRecorded, this, [this, host](qint64 id) { m_produced[host->name()].insert(keyOf(host, id)); });
    }
    if (auto started = m_sims->startAll(); !started)
        return started.error();

    QList<ProviderConfig> providers;
    for (SimHost *host : m_sims->hosts()) {
        ProviderConfig provider;
        provider.id = host->name();
        provider.name = host->name();
        provider.baseUrl = host->baseUrl();
        providers << provider;
    }
    RuntimeOptions options;
    options.database = m_url;
    options.fixedProviders = providers;
    options.ingest.timings = m_timings;
    options.writer.flushIntervalMs = 20;
    options.writer.retryMinMs = 100;
    options.writer.retryMaxMs = 500;
    auto runtime = FleetRuntime::create(options);
    if (!runtime)
        return runtime.error();
    m_runtime = std::move(runtime).value();
    m_server = new ControlServer(fleet(), ingest(), writer(), database(),
                                 {ListenAddress{QHostAddress(QHostAddress::LocalHost), 0}, {}, m_url.displayString(), {}}, this);
    if (auto listening = m_server->start(); !listening)
        return listening.error();
    m_runtime->start();
    return {};
}

void IngestHarness::stop()
{
    if (m_runtime)
        m_runtime->stop();
    if (m_sims)
        m_sims->stopAll();
}

SimHost *IngestHarness::host(const QString &name) const
{
    return m_sims ? m_sims->host(name) : nullptr;
}

QStringList IngestHarness::hostNames() const
{
    QStringList names;
    for (const SimHostConfig &config : m_configs)
        names << config.name;
    return names;
}

IngestHarness::RowKey IngestHarness::keyOf(const SimHost *host, qint64 id) const
{
    const SimActivityRow *row = host->activity().find(id);
    if (!row)
        return {id, -1};
    // <= v235 kept nanoseconds; later releases store whole seconds.
    const qint64 ms = host->compat() == SimCompat::V235 ? row->timestampNs / 1'000'000 : row->timestampNs / 1'000'000'000 * 1000;
    return {id, ms};
}

qsizetype IngestHarness::producedCount() const
{
    qsizetype n = 0;
    for (const QSet<RowKey> &keys : m_produced)
        n += keys.size();
    return n;
}

QSet<IngestHarness::RowKey> IngestHarness::storedKeys(const QString &host) const
{
    QSet<RowKey> keys;
    auto q = database()->exec(u"SELECT swap_entry_id, ts FROM control_requests WHERE provider_id = ?"_s, {host});
    while (q && q->next())
        keys.insert({q->value(0).toLongLong(), q->value(1).toLongLong()});
    return keys;
}

bool IngestHarness::settled(QString *why) const
{
    auto fail = [why](const QString &reason) {
        if (why)
            *why = reason;
        return false;
    };
    const HistoryWriterStats stats = writer()->stats();
    if (stats.queued > 0 || stats.spilled > 0 || !stats.databaseUp)
        return fail(u"writer: %1 queued, %2 spilled, database %3"_s.arg(stats.queued)
                        .arg(stats.spilled)
                        .arg(stats.databaseUp ? u"up"_s : u"down"_s));
    for (SimHost *host : m_sims->hosts()) {
        // A request still running would add a row after this check: nothing may be on its way.
        if (host->traffic()->pending() > 0 || host->inflight()->count() > 0)
            return fail(host->name() + u": generated traffic still running"_s);
        const auto view = fleet()->host(host->name());
        if (!view || view->liveness != Liveness::Connected)
            return fail(host->name() + u" is not connected"_s);
        const QSet<RowKey> stored = storedKeys(host->name());
        for (const SimActivityRow &row : host->activity().rows()) {
            if (!stored.contains(keyOf(host, row.id)))
                return fail(u"%1: row %2 not stored yet"_s.arg(host->name()).arg(row.id));
        }
    }
    return true;
}

QList<IngestHarness::HostReport> IngestHarness::report() const
{
    QList<HostReport> reports;
    for (SimHost *host : m_sims->hosts()) {
        HostReport r;
        r.host = host->name();
        const QSet<RowKey> produced = m_produced.value(host->name());
        const QSet<RowKey> stored = storedKeys(host->name());
        r.produced = produced.size();
        r.stored = stored.size();
        r.lost = (produced - stored).size();
        r.unknown = (stored - produced).size();
        for (const SimActivityRow &row : host->activity().rows()) {
            if (!stored.contains(keyOf(host, row.id)))
                ++r.heldNotStored;
        }
        const auto view = fleet()->host(host->name());
        r.gapSuspected = view && view->gapSuspected;
        reports << r;
    }
    return reports;
}

} // namespace boo::test
