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

constexpr int kCaptureRetryMs = 300;

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
    // Never from inside annotate(): the answer comes on a later turn of the event loop.
    m_attributor.setCaptureRequest([this](const RequestRow &row) {
        QMetaObject::invokeMethod(
            this, [this, row] { readCapture(row, 1); }, Qt::QueuedConnection);
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
        m_attributor.attemptStarted(host, started->model, started->attemptId, started->source, started->startedMs);
    } else if (const auto *ended = delta.as<GatewayAttemptEnded>()) {
        if (ended->reachedHost)
            m_attributor.attemptEnded(host, ended->model, ended->attemptId, ended->status, ended->endedMs);
        else
            m_attributor.attemptAbandoned(host, ended->model, ended->attemptId);
    } else if (const auto *dispatch = delta.as<DispatchFinished>()) {
        m_writer->append(dispatch->record);
    }
}

void HistoryRecorder::readCapture(const RequestRow &row, int retries)
{
    if (!m_captureLookup) {
        m_attributor.captureRead(row, std::nullopt);
        return;
    }
    m_captureLookup(row.providerId, row.swapEntryId, this, [this, row, retries](Result<Capture> capture) {
        if (!capture) {
            // llama-swap stores the capture just after the row: one that is not there yet may be
            // in a moment. "capture.gone" is also what a host without captures answers.
            if (capture.error().code == u"capture.gone"_s && retries > 0) {
                QTimer::singleShot(kCaptureRetryMs, this, [this, row, retries] { readCapture(row, retries - 1); });
                return;
            }
            m_attributor.captureRead(row, std::nullopt);
            return;
        }
        QString dispatchId; // empty: the request did not come from a gateway
        for (auto it = capture->reqHeaders.cbegin(); it != capture->reqHeaders.cend(); ++it) {
            if (it.key().compare(SourceAttributor::kDispatchHeader, Qt::CaseInsensitive) == 0)
                dispatchId = it.value();
        }
        m_attributor.captureRead(row, dispatchId);
    });
}

QByteArray HistoryRecorder::attributionMetricsText() const
{
    const SourceAttributor::Counters &c = m_attributor.counters();
    QByteArray out;
    const auto family = [&out](const char *name, const char *help) {
        out += QByteArray("# HELP ") + name + ' ' + help + "\n# TYPE " + name + " counter\n";
    };
    const auto sample = [&out](const char *series, qint64 value) { out += QByteArray(series) + ' ' + QByteArray::number(value) + '\n'; };
    family("boo_attribution_rows_total", "Host activity rows given the source of the gateway consumer that sent them, by how.");
    sample("boo_attribution_rows_total{how=\"timing\"}", c.matched + c.matchedLate);
    sample("boo_attribution_rows_total{how=\"capture\"}", c.matchedByCapture);
    family("boo_attribution_ambiguous_rows_total",
           "Rows several gateway attempts fitted and no capture told apart: left without a source.");
    sample("boo_attribution_ambiguous_rows_total", c.ambiguous);
    family("boo_attribution_not_gateway_rows_total", "Rows gateway attempts fitted whose capture shows another client.");
    sample("boo_attribution_not_gateway_rows_total", c.notGateway);
    family("boo_attribution_expired_attempts_total", "Gateway attempts whose row never came.");
    sample("boo_attribution_expired_attempts_total", c.expired);
    return out;
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
