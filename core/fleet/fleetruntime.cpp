#include "core/fleet/fleetruntime.h"

#include "core/common/logging.h"
#include "core/fleet/actionqueue.h"
#include "core/fleet/fleetstate.h"
#include "core/fleet/hostaccess.h"
#include "core/fleet/providerregistry.h"
#include "core/store/database.h"
#include "core/store/historywriter.h"
#include "core/store/hoststable.h"
#include "core/store/migrations.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace boo {

FleetRuntime::FleetRuntime(std::unique_ptr<Database> database, DatabaseUrl url)
    : m_database(std::move(database))
    , m_url(std::move(url))
{
}

FleetRuntime::~FleetRuntime()
{
    stop();
    // Members go before QObject deletes the children, so the children that hold a pointer to
    // m_database (the ingest and the actions) are deleted here, while it still exists.
    qDeleteAll(findChildren<QObject *>(QString(), Qt::FindDirectChildrenOnly));
}

Result<std::unique_ptr<FleetRuntime>> FleetRuntime::create(const RuntimeOptions &options)
{
    auto database = Database::open(options.database, u"main"_s);
    if (!database)
        return database.error();
    auto version = Migrations::migrate(**database);
    if (!version)
        return version.error();
    qCInfo(lcApp).noquote() << "history database" << options.database.displayString() << "at schema version" << *version;

    std::unique_ptr<FleetRuntime> runtime(new FleetRuntime(std::move(database).value(), options.database));
    runtime->m_registry = new ProviderRegistry(options.providersPath, runtime.get());
    if (options.fixedProviders) {
        runtime->m_registry->replaceProviders(*options.fixedProviders);
    } else {
        runtime->m_registry->reload();
        runtime->m_watchFile = true;
    }
    QList<HostRecord> hosts;
    for (const ProviderConfig &provider : runtime->m_registry->providers())
        hosts << toHostRecord(provider);
    if (auto upserted = HostsTable::upsertConfigured(*runtime->m_database, hosts, QDateTime::currentMSecsSinceEpoch()); !upserted)
        return upserted.error();

    runtime->m_writer = new HistoryWriter(options.database, {}, runtime.get());
    runtime->m_fleet = new FleetState(runtime.get());
    runtime->m_ingest = new FleetIngest(runtime->m_registry, runtime->m_fleet, runtime->m_writer, runtime->m_database.get(),
                                        options.ingest, runtime.get());
    runtime->m_access = new HostAccess(HostAccess::connectorsOf(runtime->m_ingest), runtime->m_ingest->network(), runtime.get());
    runtime->m_actions = new ActionQueue(runtime->m_fleet, runtime->m_access, runtime.get());
    return runtime;
}

void FleetRuntime::start()
{
    m_writer->start();
    if (m_watchFile)
        m_registry->startWatching();
    m_ingest->start();
    qCInfo(lcApp) << "watching" << m_ingest->connectors().size() << "of" << m_registry->providers().size() << "providers";
}

void FleetRuntime::stop()
{
    if (m_ingest)
        m_ingest->stop();
    if (m_writer)
        m_writer->stop();
}

} // namespace boo
