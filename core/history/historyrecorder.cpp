#include "core/history/historyrecorder.h"

#include "core/common/logging.h"
#include "core/fleet/fleetstate.h"
#include "core/history/historymapping.h"
#include "core/providers/providerregistry.h"
#include "core/store/historywriter.h"
#include "core/store/hoststable.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QString livenessDetail(const LivenessChanged &change)
{
    QString detail = livenessName(change.from) + u" -> "_s + livenessName(change.to);
    if (!change.error.isEmpty() && change.to != Liveness::Connected)
        detail += u": "_s + change.error;
    return detail;
}

} // namespace

HistoryRecorder::HistoryRecorder(FleetState *fleet, ProviderRegistry *registry, HistoryWriter *writer, Database *database,
                                 HistoryOptions options, QObject *parent)
    : QObject(parent)
    , m_fleet(fleet)
    , m_registry(registry)
    , m_writer(writer)
    , m_database(database)
    , m_options(std::move(options))
    , m_attributor(m_options.attribution)
{
    // A row that arrived while its gateway attempt was still running learns its source late.
    m_attributor.setLateSink([this](const RequestRow &row) {
        if (m_writer)
            m_writer->append(AttributedRequestRow{row});
    });
    connect(&m_retentionTimer, &QTimer::timeout, this, [this] {
        m_retentionTimer.setInterval(m_options.retentionIntervalMs);
        if (m_writer)
            m_writer->runRetention(m_options.retention, nowMs());
    });
    connect(&m_statusTimer, &QTimer::timeout, this, &HistoryRecorder::writeHostStatuses);
    if (m_fleet)
        connect(m_fleet, &FleetState::changed, this, &HistoryRecorder::onChanged);
}

Result<void> HistoryRecorder::recordProviders()
{
    if (!m_database || !m_registry)
        return {};
    QList<HostRecord> hosts;
    for (const ProviderConfig &provider : m_registry->providers())
        hosts << toHostRecord(provider);
    return HostsTable::upsertConfigured(*m_database, hosts, nowMs());
}

void HistoryRecorder::start()
{
    if (m_running)
        return;
    m_running = true;
    if (m_registry)
        connect(m_registry, &ProviderRegistry::providersChanged, this, &HistoryRecorder::onRegistryChanged);
    m_retentionTimer.start(m_options.firstRetentionDelayMs);
    m_statusTimer.start(m_options.hostStatusIntervalMs);
}

void HistoryRecorder::stop()
{
    if (!m_running)
        return;
    m_running = false;
    if (m_registry)
        disconnect(m_registry, nullptr, this, nullptr);
    m_retentionTimer.stop();
    m_statusTimer.stop();
    writeHostStatuses();
}

void HistoryRecorder::onChanged(const FleetDelta &delta)
{
    if (!m_writer)
        return;
    const QString &host = delta.hostId;
    if (const auto *finished = delta.as<RequestsFinished>()) {
        QList<RequestRow> requests;
        requests.reserve(finished->rows.size());
        for (const ActivityEntry &row : finished->rows)
            requests << toRequestRow(host, row);
        m_attributor.annotate(host, requests, nowMs());
        QList<HistoryRow> rows;
        rows.reserve(requests.size());
        for (RequestRow &row : requests)
            rows << std::move(row);
        m_writer->append(std::move(rows));
    } else if (const auto *perf = delta.as<GpuSampled>()) {
        QList<HistoryRow> rows;
        rows.reserve(perf->samples.size());
        for (const GpuSample &sample : perf->samples)
            rows << toPerfSampleRow(host, sample);
        m_writer->append(std::move(rows));
    } else if (const auto *liveness = delta.as<LivenessChanged>()) {
        m_writer->append(HostEventRow{host, liveness->atMs, u"liveness"_s, livenessDetail(*liveness)});
        writeHostStatus(host);
    } else if (const auto *model = delta.as<ModelStateChanged>()) {
        m_writer->append(ModelEventRow{host, model->model, modelStateName(model->to),
                                       model->from == ModelState::None ? QString() : modelStateName(model->from), model->atMs});
    } else if (const auto *incident = delta.as<HostIncident>()) {
        m_writer->append(HostEventRow{host, incident->atMs, incident->kind, incident->detail});
        writeHostStatus(host); // a suspected gap shows in control_hosts
    } else if (const auto *started = delta.as<GatewayAttemptStarted>()) {
        m_attributor.attemptStarted(host, started->model);
    } else if (const auto *ended = delta.as<GatewayAttemptEnded>()) {
        if (ended->reachedHost)
            m_attributor.attemptEnded(host, ended->model, ended->source, ended->status, ended->startedMs, ended->endedMs);
        else
            m_attributor.attemptAbandoned(host, ended->model);
    } else if (const auto *dispatch = delta.as<DispatchFinished>()) {
        m_writer->append(dispatch->record);
    }
}

void HistoryRecorder::onRegistryChanged(const RegistryChange &change)
{
    if (!m_database || (change.added.isEmpty() && change.changed.isEmpty()))
        return;
    QList<HostRecord> hosts;
    for (const ProviderConfig &provider : change.added + change.changed)
        hosts << toHostRecord(provider);
    if (auto upserted = HostsTable::upsertConfigured(*m_database, hosts, nowMs()); !upserted)
        qCWarning(lcStore).noquote() << "cannot record provider changes:" << upserted.error().message;
}

void HistoryRecorder::writeHostStatus(const QString &hostId)
{
    if (!m_writer || !m_fleet || !m_registry)
        return;
    const auto state = m_fleet->host(hostId);
    const auto provider = m_registry->provider(hostId);
    if (state && provider)
        m_writer->append(toHostStatusRow(*provider, *state));
}

void HistoryRecorder::writeHostStatuses()
{
    if (!m_fleet)
        return;
    const QStringList ids = m_fleet->hostIds();
    for (const QString &id : ids)
        writeHostStatus(id);
}

} // namespace boo
