#pragma once

#include "core/common/backoff.h"
#include "core/fleet/liveness.h"
#include "core/http/hostendpoint.h"
#include "core/ingest/activitysync.h"
#include "core/ingest/resynclimiter.h"
#include "core/protocol/hostevent.h"
#include "core/protocol/loglinesplitter.h"
#include "core/protocol/versioninfo.h"
#include "core/providers/providerconfig.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <optional>

class QNetworkAccessManager;

namespace boo {

class EventLossMonitor;
class EventStream;
class FleetState;
class LogEventFeed;
class PerfPoller;
class SecretResolver;

// Timings of one connector; tests shorten them.
struct ConnectorTimings
{
    QList<int> backoffMs = Backoff::defaultStepsMs();
    int downAfterFailures = 4;   // consecutive failed attempts before the host counts as down
    int downProbeMs = 30000;     // circuit breaker: how often a down host is probed
    int idleProbeMs = 20000;     // a silent stream is checked with /health after this long
    int requestTimeoutMs = 5000; // probes, polls, fetches
    int headerTimeoutMs = 5000;  // the event stream must answer within this
    // Announced rows are fetched in one id-range query per this long (not one per request): each
    // fetch is a line in the host's access log, and the rows are history, not a live view.
    int activityCoalesceMs = 1000;
    int perfIntervalMs = 5000;
    int runningRefreshMs = 300;  // /running (TTLs) after model changes settle
    int catchUpMs = 60000;       // fetch new activity rows even without an event
    int lossAuditQuietMs = 1000; // after this long without events, check that none were lost
    ResyncLimits resync;
};

// What the database already holds of a host when its connector starts.
struct ConnectorStart
{
    ActivitySync::Anchor anchor;
    std::optional<qint64> perfWatermarkMs;
    std::optional<qint64> gapSuspectedMs; // a gap nobody has acknowledged yet, and since when
};

// Watches one llama-swap host: holds /api/events open, keeps liveness
// (connected | reconnecting | down, with backoff, jitter and a circuit breaker), reconciles
// activity rows after every (re)connect and on every `activity` event, polls performance, and
// reports all of it to FleetState (the HistoryRecorder stores what becomes history).
class HostConnector final : public QObject
{
    Q_OBJECT

public:
    struct Counters
    {
        qint64 events = 0;
        qint64 malformedEvents = 0;
        qint64 unknownEvents = 0;
        qint64 activityRows = 0;
        qint64 perfSamples = 0;
        qint64 connects = 0;
        qint64 failures = 0;
        qint64 eventLosses = 0; // times the host was found to have dropped events
        qint64 resyncs = 0;     // event-stream reconnects for a fresh snapshot after a loss
        qint64 lastEventMs = 0; // wall clock of the last event (0 = none yet)
    };

    HostConnector(ProviderConfig provider, QNetworkAccessManager *nam, FleetState *fleet, SecretResolver *secrets,
                  ConnectorTimings timings = {}, QObject *parent = nullptr);
    ~HostConnector() override;
    Q_DISABLE_COPY_MOVE(HostConnector)

    const ProviderConfig &provider() const { return m_provider; }
    const HostEndpoint &endpoint() const { return m_endpoint; }
    const Counters &counters() const { return m_counters; }
    std::optional<ProtocolGeneration> generation() const { return m_generation; }

    void start(const ConnectorStart &start = {});
    void stop();

Q_SIGNALS:
    // Every decoded event, after it was applied (benchmarks measure event-to-state latency).
    void eventApplied();

private:
    enum class Phase { Stopped, Handshake, Streaming, Waiting };

    void attempt();
    void onVersion(Result<HostResponse> response);
    void probeGeneration(const VersionInfo &version);
    void openStream();
    void onStreamOpened();
    void onEvent(const HostEvent &event);
    void onStreamLost(const Error &error);
    void onLogData(const LogDataEvent &log);
    void onEventLoss(const QString &reason);
    void resync();
    void fail(const Error &error, int retryAfterMs = 0);
    void setLiveness(Liveness liveness, const QString &error = {});
    void onIdleCheck();
    void refreshRunning();
    void reportIncident(const QString &kind, const QString &detail);
    qint64 now() const;

    ProviderConfig m_provider;
    QNetworkAccessManager *m_nam;
    QPointer<FleetState> m_fleet;
    QPointer<SecretResolver> m_secrets;
    ConnectorTimings m_timings;
    HostEndpoint m_endpoint;
    EventStream *m_stream;
    ActivitySync *m_sync;
    EventLossMonitor *m_loss;
    PerfPoller *m_perf;
    LogEventFeed *m_logs; // v259+: logs on their own stream
    Backoff m_backoff;
    QTimer m_retryTimer;
    QTimer m_idleTimer;
    QTimer m_runningTimer;
    QTimer m_catchUpTimer;
    QTimer m_resyncTimer;   // a resync the limiter made wait
    QString m_resyncReason; // why, for the log
    QElapsedTimer m_clock;  // monotonic time for the limiter
    ResyncLimiter m_resyncLimiter;
    Phase m_phase = Phase::Stopped;
    bool m_keyResolved = false;
    std::optional<VersionInfo> m_version;
    std::optional<ProtocolGeneration> m_generation;
    LogLineSplitter m_proxyLog;
    LogLineSplitter m_upstreamLog;
    bool m_proxyHistoryPending = false;
    bool m_upstreamHistoryPending = false;
    Counters m_counters;
    int m_healthProbeGeneration = 0;
};

} // namespace boo
