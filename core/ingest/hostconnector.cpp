#include "core/ingest/hostconnector.h"

#include "core/common/logging.h"
#include "core/fleet/fleetstate.h"
#include "core/ingest/eventlossmonitor.h"
#include "core/ingest/eventstream.h"
#include "core/ingest/logeventfeed.h"
#include "core/ingest/perfpoller.h"
#include "core/protocol/protocolclassifier.h"
#include "core/protocol/runningmodel.h"
#include "core/providers/secretresolver.h"

#include <QDateTime>
#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

bool modelStatesDiffer(const QList<HostedModel> &before, const QList<HostedModel> &after)
{
    if (before.size() != after.size())
        return true;
    for (qsizetype i = 0; i < before.size(); ++i) {
        if (before.at(i).id != after.at(i).id || before.at(i).state != after.at(i).state)
            return true;
    }
    return false;
}

} // namespace

namespace {
// Malformed frames are counted always, logged only this often per connection.
constexpr qint64 kMalformedLogEvery = 100;
} // namespace

HostConnector::HostConnector(ProviderConfig provider, QNetworkAccessManager *nam, FleetState *fleet, SecretResolver *secrets,
                             ConnectorTimings timings, QObject *parent)
    : QObject(parent)
    , m_provider(std::move(provider))
    , m_nam(nam)
    , m_fleet(fleet)
    , m_secrets(secrets)
    , m_timings(std::move(timings))
    , m_endpoint(m_provider.baseUrl, {})
    , m_stream(new EventStream(this))
    , m_sync(new ActivitySync(m_provider.id, nam, &m_endpoint, this))
    , m_loss(new EventLossMonitor(m_provider.id, nam, &m_endpoint, fleet, m_sync, this))
    , m_perf(new PerfPoller(m_provider.id, nam, &m_endpoint, this))
    , m_logs(new LogEventFeed(&m_endpoint, this))
    , m_backoff(m_timings.backoffMs)
    , m_resyncLimiter(m_timings.resync)
{
    m_retryTimer.setSingleShot(true);
    m_idleTimer.setSingleShot(true);
    m_runningTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &HostConnector::attempt);
    connect(&m_idleTimer, &QTimer::timeout, this, &HostConnector::onIdleCheck);
    connect(&m_runningTimer, &QTimer::timeout, this, &HostConnector::refreshRunning);
    connect(&m_catchUpTimer, &QTimer::timeout, m_sync, &ActivitySync::catchUp);
    m_resyncTimer.setSingleShot(true);
    connect(&m_resyncTimer, &QTimer::timeout, this, &HostConnector::resync);
    m_clock.start();
    m_loss->setQuietMs(m_timings.lossAuditQuietMs);
    m_loss->setRequestTimeoutMs(m_timings.requestTimeoutMs);
    connect(m_loss, &EventLossMonitor::lossDetected, this, &HostConnector::onEventLoss);

    m_sync->setRequestTimeoutMs(m_timings.requestTimeoutMs);
    m_sync->setCoalesceMs(m_timings.activityCoalesceMs);
    m_perf->setIntervalMs(m_timings.perfIntervalMs);
    m_perf->setRequestTimeoutMs(m_timings.requestTimeoutMs);

    connect(m_stream, &EventStream::opened, this, &HostConnector::onStreamOpened);
    connect(m_stream, &EventStream::received, this, &HostConnector::onEvent);
    connect(m_stream, &EventStream::lost, this, &HostConnector::onStreamLost);
    connect(m_stream, &EventStream::malformed, this, [this](const Error &error) {
        if (m_counters.malformedEvents++ % kMalformedLogEvery == 0)
            qCWarning(lcFleet).noquote() << m_provider.id << "malformed event (" << m_counters.malformedEvents
                                         << "so far):" << error.message;
    });

    m_logs->setHeaderTimeoutMs(m_timings.headerTimeoutMs);
    connect(m_logs, &LogEventFeed::opened, this, [this] {
        m_proxyLog.clear();
        m_upstreamLog.clear();
        m_proxyHistoryPending = m_upstreamHistoryPending = true;
    });
    connect(m_logs, &LogEventFeed::received, this, &HostConnector::onLogData);

    connect(m_sync, &ActivitySync::rowsFetched, this, [this](const QList<ActivityEntry> &rows) {
        m_counters.activityRows += rows.size();
        if (m_fleet)
            m_fleet->addActivity(m_provider.id, rows);
    });
    connect(m_sync, &ActivitySync::restartDetected, this, [this](const QString &reason) {
        qCInfo(lcFleet).noquote() << m_provider.id << "restarted:" << reason;
        reportIncident(u"restart"_s, reason);
    });
    connect(m_sync, &ActivitySync::gapSuspected, this, [this](const QString &reason) {
        qCWarning(lcFleet).noquote() << m_provider.id << "rows may have been lost:" << reason;
        if (m_fleet)
            m_fleet->setGapSuspected(m_provider.id, true, now());
        reportIncident(u"gap"_s, reason);
    });
    connect(m_sync, &ActivitySync::generationCorrected, this, [this](ProtocolGeneration generation) {
        m_generation = generation;
        if (m_fleet)
            m_fleet->setVersion(m_provider.id, m_version ? m_version->version : QString(), protocolGenerationName(generation));
    });
    connect(m_sync, &ActivitySync::fetchFailed, this,
            [this](const Error &error) { qCInfo(lcFleet).noquote() << m_provider.id << "activity fetch failed:" << error.message; });

    connect(m_perf, &PerfPoller::samples, this, [this](const QList<GpuSample> &samples) {
        m_counters.perfSamples += samples.size();
        if (m_fleet)
            m_fleet->addGpuSamples(m_provider.id, samples);
    });

    if (m_fleet)
        m_fleet->addHost(m_provider.id, m_provider.name, m_provider.baseUrl.toString());
}

HostConnector::~HostConnector()
{
    stop();
}

qint64 HostConnector::now() const
{
    return QDateTime::currentMSecsSinceEpoch();
}

void HostConnector::start(const ConnectorStart &start)
{
    m_sync->setAnchor(start.anchor);
    m_perf->setWatermarkMs(start.perfWatermarkMs);
    if (start.gapSuspectedMs && m_fleet)
        m_fleet->setGapSuspected(m_provider.id, true, *start.gapSuspectedMs);
    attempt();
}

void HostConnector::stop()
{
    m_phase = Phase::Stopped;
    m_retryTimer.stop();
    m_idleTimer.stop();
    m_runningTimer.stop();
    m_catchUpTimer.stop();
    m_resyncTimer.stop();
    m_loss->stop();
    m_stream->close();
    m_logs->stop();
    m_perf->stop();
    m_sync->streamLost();
}

// --------------------------------------------------------------------------------- connecting

void HostConnector::attempt()
{
    m_phase = Phase::Handshake;
    if (m_provider.apiKey && !m_keyResolved) {
        if (!m_secrets)
            return fail(makeError(u"secret.missing"_s, u"no secret store to read %1 from"_s.arg(m_provider.apiKey->toString())));
        m_secrets->resolve(*m_provider.apiKey, [self = QPointer(this)](Result<QString> key) {
            if (!self || self->m_phase != Phase::Handshake)
                return;
            if (!key)
                return self->fail(makeError(key.error().code, u"API key: "_s + key.error().message));
            self->m_endpoint.setApiKey(*key);
            self->m_keyResolved = true;
            self->attempt();
        });
        return;
    }
    m_endpoint.send(m_nam, "GET", u"/api/version"_s, {}, m_timings.requestTimeoutMs, this,
                    [this](Result<HostResponse> response) { onVersion(std::move(response)); });
}

void HostConnector::onVersion(Result<HostResponse> response)
{
    if (m_phase != Phase::Handshake)
        return;
    if (!response)
        return fail(response.error());
    const int status = response->status;
    if (status == 401 || status == 403) {
        return fail(makeError(u"net.unauthorized"_s,
                              m_provider.apiKey
                                  ? u"the host refused the API key from %1 (HTTP %2)"_s.arg(m_provider.apiKey->toString()).arg(status)
                                  : u"the host requires an API key (HTTP %1): add \"apiKey\" to the provider"_s.arg(status)));
    }
    if (status >= 500 || (status != 200 && status != 404))
        return fail(makeError(u"net.status"_s, u"GET /api/version: HTTP %1"_s.arg(status)), response->retryAfterSeconds * 1000);

    // Releases without /api/version (404) or with an unparsable answer are treated as dev builds;
    // the activity probe then tells what the host speaks.
    VersionInfo version;
    if (status == 200) {
        auto parsed = VersionInfo::fromJson(response->body);
        if (parsed)
            version = *parsed;
    }
    const bool changed = m_version && m_version->version != version.version;
    if (changed)
        reportIncident(u"version"_s, u"%1 -> %2"_s.arg(m_version->version, version.version));
    m_version = version;
    if (!m_generation || changed)
        return probeGeneration(version);
    openStream();
}

void HostConnector::probeGeneration(const VersionInfo &version)
{
    m_endpoint.send(m_nam, "GET", u"/api/metrics/activity"_s, QUrlQuery{{u"limit"_s, u"1"_s}}, m_timings.requestTimeoutMs, this,
                    [this, version](Result<HostResponse> response) {
                        if (m_phase != Phase::Handshake)
                            return;
                        if (!response)
                            return fail(response.error());
                        ProtocolClassifier::Evidence evidence;
                        if (response->status == 404)
                            evidence.activityEndpoint = ProtocolClassifier::Endpoint::NotFound;
                        else if (response->status == 200)
                            evidence.activityEndpoint = ProtocolClassifier::Endpoint::Present;
                        m_generation = ProtocolClassifier::classify(version, evidence);
                        m_sync->setGeneration(*m_generation);
                        if (m_fleet)
                            m_fleet->setVersion(m_provider.id, version.version, protocolGenerationName(*m_generation));
                        openStream();
                    });
}

void HostConnector::openStream()
{
    m_stream->open(m_endpoint.streamRequest(u"/api/events"_s), m_timings.headerTimeoutMs);
}

void HostConnector::onStreamOpened()
{
    m_phase = Phase::Streaming;
    m_backoff.reset();
    ++m_counters.connects;
    m_proxyLog.clear();
    m_upstreamLog.clear();
    m_proxyHistoryPending = m_upstreamHistoryPending = true;
    setLiveness(Liveness::Connected);
    m_logs->mainStreamOpened(m_version);
    m_loss->connected();
    m_sync->reconcile();
    m_perf->start();
    m_idleTimer.start(m_timings.idleProbeMs);
    m_catchUpTimer.start(m_timings.catchUpMs);
    refreshRunning();
}

// ------------------------------------------------------------------------------------- events

void HostConnector::onEvent(const HostEvent &event)
{
    const qint64 t = now();
    ++m_counters.events;
    m_counters.lastEventMs = t;
    m_idleTimer.start(m_timings.idleProbeMs);
    if (!m_fleet)
        return;
    const QString &id = m_provider.id;
    m_fleet->markSeen(id, t);
    m_logs->observe(event);

    if (const auto *models = std::get_if<ModelStatusEvent>(&event)) {
        const auto before = m_fleet->host(id);
        m_fleet->applyModelStatus(id, models->models, t);
        // TTLs of newly loaded models. /running is a line in the host's access log each time:
        // only when a model's state (or the list of models, after a config change) changed.
        const auto after = m_fleet->host(id);
        if (!before || !after || modelStatesDiffer(before->models, after->models))
            m_runningTimer.start(m_timings.runningRefreshMs);
    } else if (const auto *log = std::get_if<LogDataEvent>(&event)) {
        onLogData(*log);
    } else if (const auto *ui = std::get_if<UiConfigEvent>(&event)) {
        m_fleet->setGlobalConcurrencyLimit(id, ui->globalConcurrencyLimit);
    } else if (const auto *profile = std::get_if<ProfileChangedEvent>(&event)) {
        m_fleet->setActiveProfile(id, profile->active);
    } else if (const auto *inflight = std::get_if<InFlightEvent>(&event)) {
        m_fleet->applyInFlight(id, inflight->update);
    } else if (const auto *activity = std::get_if<ActivityEvent>(&event)) {
        m_sync->announce(activity->id);
    } else if (const auto *metrics = std::get_if<MetricsEvent>(&event)) {
        m_sync->ingestPushed(metrics->entries);
    } else if (std::holds_alternative<UnknownEvent>(event)) {
        ++m_counters.unknownEvents;
    }
    m_loss->noteEvent(event); // after applying it: a loss it reveals resyncs what it left behind
    Q_EMIT eventApplied();
}

void HostConnector::onLogData(const LogDataEvent &log)
{
    if (!m_fleet)
        return;
    const bool upstream = log.source == LogDataEvent::Source::Upstream;
    LogLineSplitter &splitter = upstream ? m_upstreamLog : m_proxyLog;
    bool &historyPending = upstream ? m_upstreamHistoryPending : m_proxyHistoryPending;
    const QString source
        = log.source == LogDataEvent::Source::Other ? log.sourceText : enumNameString(LogDataEvent::kSourceNames, log.source);
    // The first chunk of each source after connecting is the host's whole history: it
    // replaces our tail rather than repeating lines we already hold.
    const bool replace = log.source != LogDataEvent::Source::Other && std::exchange(historyPending, false);
    m_fleet->appendLog(m_provider.id, source, splitter.feed(log.text), replace);
}

// ------------------------------------------------------------------------------ lost events

void HostConnector::onEventLoss(const QString &reason)
{
    ++m_counters.eventLosses;
    if (m_phase != Phase::Streaming || m_resyncTimer.isActive())
        return; // a resync is under way or waiting: it will restate this too
    m_resyncReason = reason;
    const qint64 wait = m_resyncLimiter.delayMs(m_clock.elapsed());
    if (wait > 0) {
        qCInfo(lcFleet).noquote() << m_provider.id << "lost events (" << reason << "); resynchronising in" << wait << "ms";
        m_resyncTimer.start(int(wait));
        return;
    }
    resync();
}

// The host dropped events, and nothing replays them: reconnect the event stream, whose snapshot
// restates the models and the requests in flight. Activity rows are reconciled as after any
// connect. The host stays connected meanwhile; a failure to reopen is an ordinary lost stream.
void HostConnector::resync()
{
    if (m_phase != Phase::Streaming)
        return;
    m_resyncLimiter.recordResync(m_clock.elapsed());
    ++m_counters.resyncs;
    qCWarning(lcFleet).noquote()
        << m_provider.id << "lost events:" << m_resyncReason << "- reconnecting the event stream for a fresh snapshot"
        << u"(resync %1, next one no sooner than in %2 s)"_s.arg(m_counters.resyncs).arg(m_resyncLimiter.intervalMs() / 1000);
    reportIncident(u"resync"_s, m_resyncReason);
    m_phase = Phase::Handshake;
    m_stream->close();
    m_loss->stop();
    m_sync->streamLost();
    m_perf->stop();
    m_idleTimer.stop();
    m_catchUpTimer.stop();
    openStream();
}

void HostConnector::onStreamLost(const Error &error)
{
    if (m_phase == Phase::Stopped)
        return;
    m_sync->streamLost();
    fail(error);
}

void HostConnector::fail(const Error &error, int retryAfterMs)
{
    if (m_phase == Phase::Stopped)
        return;
    ++m_counters.failures;
    m_phase = Phase::Waiting;
    m_stream->close();
    m_logs->stop();
    m_perf->stop();
    m_idleTimer.stop();
    m_catchUpTimer.stop();
    m_resyncTimer.stop(); // the reconnect restates everything anyway
    m_loss->stop();
    if (error.code == u"net.unauthorized"_s || error.code.startsWith(u"secret."_s))
        m_keyResolved = false; // the key may have been fixed meanwhile: read it again next time

    if (retryAfterMs > 0)
        m_backoff.requireAtLeast(retryAfterMs);
    int delay = m_backoff.nextDelayMs();
    const bool down = m_backoff.failures() >= m_timings.downAfterFailures;
    if (down) {
        // Circuit open: a host that keeps failing is probed slowly, with jitter.
        delay = std::max(delay, int(m_timings.downProbeMs * (0.9 + 0.2 * QRandomGenerator::global()->generateDouble())));
    }
    setLiveness(down ? Liveness::Down : Liveness::Reconnecting, error.message);
    m_retryTimer.start(delay);
}

void HostConnector::setLiveness(Liveness liveness, const QString &error)
{
    if (m_fleet)
        m_fleet->setLiveness(m_provider.id, liveness, now(), error);
}

void HostConnector::onIdleCheck()
{
    if (m_phase != Phase::Streaming)
        return;
    // The stream has been quiet. llama-swap sends no heartbeat, so ask /health whether the host
    // is still there; a host that answers keeps its stream, one that does not loses it.
    const int probe = ++m_healthProbeGeneration;
    const qint64 quietMs = m_stream->quietMs();
    m_endpoint.send(
        m_nam, "GET", u"/health"_s, {}, m_timings.requestTimeoutMs, this, [this, probe, quietMs](Result<HostResponse> response) {
            if (probe != m_healthProbeGeneration || m_phase != Phase::Streaming)
                return;
            if (response && response->status == 200) {
                if (m_fleet)
                    m_fleet->markSeen(m_provider.id, now());
                m_idleTimer.start(m_timings.idleProbeMs);
                return;
            }
            const QString why = response ? u"HTTP %1"_s.arg(response->status) : response.error().message;
            m_stream->close();
            onStreamLost(
                makeError(u"net.silent"_s, u"the event stream was silent for %1 s and /health failed: %2"_s.arg(quietMs / 1000).arg(why)));
        });
}

void HostConnector::refreshRunning()
{
    m_endpoint.send(m_nam, "GET", u"/running"_s, {}, m_timings.requestTimeoutMs, this, [this](Result<HostResponse> response) {
        if (!response || response->status != 200 || !m_fleet)
            return;
        auto running = RunningModel::listFromJson(response->body);
        if (!running)
            return;
        QHash<QString, qint64> ttls;
        for (const RunningModel &model : *running)
            ttls.insert(model.model, model.ttlSeconds);
        m_fleet->setModelTtls(m_provider.id, ttls);
    });
}

// The HistoryRecorder stores incidents as host events.
void HostConnector::reportIncident(const QString &kind, const QString &detail)
{
    if (m_fleet)
        m_fleet->announce(m_provider.id, HostIncident{kind, detail, now()});
}

} // namespace boo
