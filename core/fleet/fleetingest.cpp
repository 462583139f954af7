#include "core/fleet/fleetingest.h"

#include "core/common/logging.h"
#include "core/fleet/fleetstate.h"
#include "core/fleet/historymapping.h"
#include "core/fleet/secretresolver.h"
#include "core/store/database.h"
#include "core/store/historywriter.h"
#include "core/store/hoststable.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace boo {

FleetIngest::FleetIngest(ProviderRegistry *registry, FleetState *fleet, HistoryWriter *writer, Database *database,
                         IngestOptions options, QObject *parent)
    : QObject(parent)
    , m_registry(registry)
    , m_fleet(fleet)
    , m_writer(writer)
    , m_database(database)
    , m_options(std::move(options))
    , m_secrets(new SecretResolver(this))
{
    connect(&m_retentionTimer, &QTimer::timeout, this, [this] {
        if (m_writer)
            m_writer->runRetention(m_options.retention, QDateTime::currentMSecsSinceEpoch());
    });
    connect(&m_statusTimer, &QTimer::timeout, this, &FleetIngest::writeHostStatuses);

    // Liveness transitions and model state changes become history.
    connect(fleet, &FleetState::livenessChanged, this,
            [this](const QString &id, Liveness from, Liveness to, qint64 at, const QString &error) {
                if (!m_writer)
                    return;
                QString detail = livenessName(from) + u" -> "_s + livenessName(to);
                if (!error.isEmpty() && to != Liveness::Connected)
                    detail += u": "_s + error;
                m_writer->append(HostEventRow{id, at, u"liveness"_s, detail});
                writeHostStatuses();
            });
    connect(fleet, &FleetState::modelStateChanged, this,
            [this](const QString &id, const QString &model, ModelState from, ModelState to, qint64 at) {
                if (m_writer)
                    m_writer->append(ModelEventRow{id, model, modelStateName(to),
                                                   from == ModelState::None ? QString() : modelStateName(from), at});
            });
}

FleetIngest::~FleetIngest()
{
    stop();
}

void FleetIngest::start()
{
    if (m_running || !m_registry)
        return;
    m_running = true;
    connect(m_registry, &ProviderRegistry::providersChanged, this, &FleetIngest::applyRegistryChange);
    for (const ProviderConfig &provider : m_registry->providers())
        addConnector(provider);
    m_retentionTimer.start(m_options.retentionIntervalMs);
    m_statusTimer.start(m_options.hostStatusIntervalMs);
}

void FleetIngest::stop()
{
    if (!m_running)
        return;
    m_running = false;
    if (m_registry)
        disconnect(m_registry, nullptr, this, nullptr);
    m_retentionTimer.stop();
    m_statusTimer.stop();
    writeHostStatuses();
    const QStringList ids = m_connectors.keys();
    for (const QString &id : ids)
        removeConnector(id);
}

ConnectorStart FleetIngest::resumePoint(const QString &providerId) const
{
    ConnectorStart start;
    if (!m_database)
        return start;
    // The newest row we hold of the host: where its current run continues.
    auto newest = m_database->exec(u"SELECT swap_entry_id, ts FROM control_requests WHERE provider_id = ? "
                                   u"ORDER BY ts DESC, swap_entry_id DESC LIMIT 1"_s,
                                   {providerId});
    if (newest && newest->next())
        start.anchor = {newest->value(0).toLongLong(), newest->value(1).toLongLong()};
    else if (!newest)
        qCWarning(lcFleet).noquote() << providerId << "cannot read where its history ends:" << newest.error().message;
    auto watermark = m_database->exec(u"SELECT MAX(ts) FROM control_perf_samples WHERE provider_id = ?"_s, {providerId});
    if (watermark && watermark->next() && !watermark->value(0).isNull())
        start.perfWatermarkMs = watermark->value(0).toLongLong();
    return start;
}

void FleetIngest::applyRegistryChange(const RegistryChange &change)
{
    for (const ProviderConfig &provider : change.removed)
        removeConnector(provider.id);
    for (const ProviderConfig &provider : change.changed) {
        removeConnector(provider.id);
        addConnector(provider);
    }
    for (const ProviderConfig &provider : change.added)
        addConnector(provider);
    if (m_database && (!change.added.isEmpty() || !change.changed.isEmpty())) {
        QList<HostRecord> hosts;
        for (const ProviderConfig &provider : change.added + change.changed)
            hosts << toHostRecord(provider);
        if (auto upserted = HostsTable::upsertConfigured(*m_database, hosts, QDateTime::currentMSecsSinceEpoch()); !upserted)
            qCWarning(lcFleet).noquote() << "cannot record provider changes:" << upserted.error().message;
    }
}

void FleetIngest::addConnector(const ProviderConfig &provider)
{
    if (!provider.enabled || provider.kind != ProviderKind::LlamaSwap || m_connectors.contains(provider.id))
        return;
    auto *connector = new HostConnector(provider, &m_nam, m_fleet, m_writer, m_secrets, m_options.timings, this);
    connector->setRequestRowAnnotator(m_annotator);
    m_connectors.insert(provider.id, connector);
    connector->start(resumePoint(provider.id));
    qCInfo(lcFleet).noquote() << "watching" << provider.id << provider.baseUrl.toString();
}

void FleetIngest::setRequestRowAnnotator(HostConnector::RequestRowAnnotator annotator)
{
    m_annotator = std::move(annotator);
    for (HostConnector *connector : std::as_const(m_connectors))
        connector->setRequestRowAnnotator(m_annotator);
}

void FleetIngest::removeConnector(const QString &id)
{
    HostConnector *connector = m_connectors.take(id);
    if (!connector)
        return;
    connector->stop();
    delete connector;
    if (m_fleet)
        m_fleet->removeHost(id);
}

void FleetIngest::writeHostStatuses()
{
    if (!m_writer || !m_fleet)
        return;
    for (HostConnector *connector : std::as_const(m_connectors)) {
        if (const auto view = m_fleet->host(connector->provider().id))
            m_writer->append(toHostStatusRow(connector->provider(), *view));
    }
}

} // namespace boo
