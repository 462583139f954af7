#include "tests/common/livefleet.h"

#include "core/fleet/fleetstate.h"
#include "core/sim/simfleet.h"
#include "core/sim/simhost.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace boo::test {

ConnectorTimings LiveFleet::fastTimings()
{
    ConnectorTimings t;
    t.backoffMs = {30, 60, 120};
    t.downAfterFailures = 2;
    t.downProbeMs = 200;
    t.idleProbeMs = 2000;
    t.requestTimeoutMs = 2000;
    t.headerTimeoutMs = 2000;
    t.perfIntervalMs = 100;
    t.runningRefreshMs = 20;
    return t;
}

std::unique_ptr<LiveFleet> LiveFleet::start(const QList<SimHostConfig> &hosts, QString *error)
{
    auto fail = [error](const QString &message) -> std::unique_ptr<LiveFleet> {
        if (error)
            *error = message;
        return nullptr;
    };
    std::unique_ptr<LiveFleet> live(new LiveFleet);
    live->m_sims = std::make_unique<SimFleet>();
    for (const SimHostConfig &config : hosts) {
        if (!live->m_sims->addHost(config))
            return fail(u"duplicate simulated host "_s + config.name);
    }
    if (auto started = live->m_sims->startAll(); !started)
        return fail(started.error().message);

    RuntimeOptions options;
    live->m_url.dialect = SqlDialect::Sqlite;
    live->m_url.sqlitePath = live->m_dir.filePath(u"history.sqlite"_s);
    options.database = live->m_url;
    options.providersPath = live->m_dir.filePath(u"providers.json"_s);
    options.ingest.timings = fastTimings();
    QList<ProviderConfig> providers;
    for (const SimHost *host : live->m_sims->hosts()) {
        ProviderConfig provider;
        provider.id = host->name();
        provider.name = host->name();
        provider.baseUrl = host->baseUrl();
        providers << provider;
    }
    options.fixedProviders = providers;
    auto runtime = FleetRuntime::create(options);
    if (!runtime)
        return fail(runtime.error().message);
    live->m_runtime = std::move(runtime).value();
    live->m_runtime->start();
    return live;
}

LiveFleet::~LiveFleet()
{
    if (m_runtime)
        m_runtime->stop();
    m_runtime.reset();
    m_sims.reset();
}

FleetState *LiveFleet::fleet() const
{
    return m_runtime->fleet();
}

SimHost *LiveFleet::host(const QString &name) const
{
    return m_sims->host(name);
}

bool LiveFleet::waitConnected(int timeoutMs) const
{
    return QTest::qWaitFor(
        [this] {
            const QStringList ids = fleet()->hostIds();
            if (ids.size() != m_sims->hosts().size())
                return false;
            return std::all_of(ids.cbegin(), ids.cend(),
                               [this](const QString &id) { return fleet()->host(id)->liveness == Liveness::Connected; });
        },
        timeoutMs);
}

} // namespace boo::test
