#include "core/runtime/fleetruntime.h"

#include "core/actions/accessgate.h"
#include "core/actions/actionqueue.h"
#include "core/actions/hostaccess.h"
#include "core/actions/leasebook.h"
#include "core/common/logging.h"
#include "core/fleet/fleetstate.h"
#include "core/providers/providerregistry.h"
#include "core/providers/secretresolver.h"
#include "core/store/database.h"
#include "core/store/historyend.h"
#include "core/store/migrations.h"

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
    // m_database (the recorder, the ingest's resume lookup, the actions) are deleted here,
    // while it still exists.
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
    FleetRuntime *r = runtime.get();
    r->m_registry = new ProviderRegistry(options.providersPath, r);
    if (options.fixedProviders) {
        r->m_registry->replaceProviders(*options.fixedProviders);
    } else {
        r->m_registry->reload();
        r->m_watchFile = true;
    }
    r->m_writer = new HistoryWriter(options.database, options.writer, r);
    r->m_fleet = new FleetState(r);
    r->m_recorder = new HistoryRecorder(r->m_fleet, r->m_registry, r->m_writer, r->m_database.get(), options.history, r);
    if (auto recorded = r->m_recorder->recordProviders(); !recorded)
        return recorded.error();
    r->m_secrets = new SecretResolver(r);
    r->m_ingest = new FleetIngest(r->m_registry, r->m_fleet, r->m_secrets, resumeFrom(r->m_database.get()), options.ingest, r);
    const auto endpoints
        = [ingest = QPointer<FleetIngest>(r->m_ingest)](const QString &id) { return ingest ? ingest->endpoint(id) : std::nullopt; };
    r->m_access = new HostAccess(endpoints, r->m_ingest->network(), r);
    // The recorder reads captures (exact attribution of gateway traffic) through HostAccess.
    r->m_recorder->setCaptureLookup([access = QPointer<HostAccess>(r->m_access)](const QString &hostId, qint64 captureId, QObject *context,
                                                                                 std::function<void(Result<Capture>)> done) {
        if (!access)
            return done(makeError(u"capture.failed"_s, u"no access to the hosts"_s));
        access->fetchCapture(hostId, captureId, context, std::move(done));
    });
    r->m_actions = new ActionQueue(r->m_fleet, r->m_access, r);
    r->m_leases = new LeaseBook(r->m_database.get(), r);
    r->m_actions->setLeaseBook(r->m_leases);
    r->m_gate = new AccessGate(r->m_fleet, r->m_leases, r->m_database.get(), r);
    return runtime;
}

FleetIngest::ResumeLookup FleetRuntime::resumeFrom(Database *database)
{
    return [database](const QString &providerId) {
        ConnectorStart start;
        if (!database)
            return start;
        // Without the newest row the connector reads what the host still holds again (stored
        // once, but more work); without the newest sample, the host's whole perf window.
        if (auto request = HistoryEnd::lastRequest(*database, providerId); !request)
            qCWarning(lcFleet).noquote() << providerId << "cannot read where its requests end:" << request.error().message;
        else if (*request)
            start.anchor = {(*request)->swapEntryId, (*request)->ts};
        if (auto sample = HistoryEnd::lastPerfSampleMs(*database, providerId); !sample)
            qCWarning(lcFleet).noquote() << providerId << "cannot read where its GPU samples end:" << sample.error().message;
        else
            start.perfWatermarkMs = *sample;
        if (auto gap = HistoryEnd::unacknowledgedGapMs(*database, providerId); !gap)
            qCWarning(lcFleet).noquote() << providerId << "cannot read whether it has a suspected gap:" << gap.error().message;
        else
            start.gapSuspectedMs = *gap;
        return start;
    };
}

void FleetRuntime::start()
{
    m_writer->start();
    m_recorder->start();
    if (m_watchFile)
        m_registry->startWatching();
    m_ingest->start();
    qCInfo(lcApp) << "watching" << m_ingest->connectors().size() << "of" << m_registry->providers().size() << "providers";
}

void FleetRuntime::stop()
{
    // The hosts' last status is recorded while FleetState still holds them.
    if (m_recorder)
        m_recorder->stop();
    if (m_ingest)
        m_ingest->stop();
    if (m_writer)
        m_writer->stop();
}

} // namespace boo
