#pragma once

#include "core/common/result.h"
#include "core/http/httpresponse.h"
#include "core/sim/simactivitystore.h"
#include "core/sim/simcapturestore.h"
#include "core/sim/simconfig.h"
#include "core/sim/simtrafficspec.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QTimer>
#include <QUrl>

namespace boo {

class HttpRequest;
class HttpServer;
class SimInflightTracker;
class SimListener;
class SimLogMonitor;
class SimModelManager;
class SimPerfMonitor;
class SimPipeline;
class SimStreamGroup;
class SimTrafficGenerator;
enum class SimModelState;

enum class SimMalformedEvent {
    BadJson,     // envelope fine, its `data` string is not JSON
    BadEnvelope, // the data line itself is not JSON
    HugeLine,    // one valid logData message of N bytes
    InvalidUtf8, // raw invalid UTF-8 bytes inside a data line
};
std::optional<SimMalformedEvent> simMalformedEventFromName(QStringView name);

// The head of a request the host received, as it arrived (before auth and routing): for tests
// that judge how a client presents itself, and how much it asks.
struct SimReceivedRequest
{
    QByteArray method;
    QByteArray target; // path and query
    QByteArray userAgent;
};

// One simulated llama-swap host on its own loopback port: llama-swap's routes, payload
// shapes, framing, status codes and quirks (reference §14), driven by real HTTP clients or by
// internal traffic, plus fault injection for tests. Lives in one thread; no global state.
class SimHost final : public QObject
{
    Q_OBJECT

public:
    // nginx's "client closed request": what v260 records when the client left before any response
    // was written (llama-swap #1040); it is never sent.
    static constexpr int kClientClosedStatus = 499;

    explicit SimHost(SimHostConfig config, QObject *parent = nullptr);
    ~SimHost() override;
    Q_DISABLE_COPY_MOVE(SimHost)

    // Listens (on config().port, 0 = any) and starts sampling and background traffic.
    Result<void> start();
    void stop();
    bool isUp() const;
    quint16 port() const { return m_port; }
    QUrl baseUrl() const;
    QString name() const { return m_config.name; }
    const SimHostConfig &config() const { return m_config; }
    SimCompat compat() const { return m_config.compat; }
    QString version() const { return m_version; }

    void generateTraffic(const SimTrafficSpec &spec);

    // Faults.
    void dropStreams();                                            // reset every SSE and log-stream connection
    void reloadConfig();                                           // llama-swap config reload
    void restart(int downMs = -1, const QString &newVersion = {}); // process restart
    void goDown();                                                 // unreachable (connection refused), state kept
    Result<void> comeUp();
    // Accept, answer nothing; event listeners get nothing either: their messages queue (1,024
    // each, then dropped, as in llama-swap) and are sent when the stall ends.
    void setStalled(bool stalled);
    // The model's server process dies (llama-swap itself stays up): its streams end cleanly
    // without [DONE], as llama-swap ends them, and the model goes ready -> stopped. Compare
    // goDown() and restart(), where llama-swap itself goes and every connection is reset.
    Result<void> crashModel(const QString &modelId);
    bool isStalled() const;
    void injectMalformedEvent(SimMalformedEvent kind, qint64 bytes = 0);
    // Every inference request answers with this status (like X-Sim-Status) until set to 0:
    // a host whose model server keeps failing while llama-swap itself is fine.
    void setForcedStatus(int status) { m_forcedStatus = status; }
    int forcedStatus() const { return m_forcedStatus; }

    QJsonObject stateJson() const;

    // Parts, for the routes and for tests.
    HttpServer *server() const { return m_server; }
    SimModelManager *models() const { return m_models; }
    SimActivityStore &activity() { return m_activity; }
    const SimActivityStore &activity() const { return m_activity; }
    SimCaptureStore &captures() { return m_captures; }
    SimInflightTracker *inflight() const { return m_inflight; }
    SimTrafficGenerator *traffic() const { return m_traffic; }
    SimPerfMonitor *perf() const { return m_perf; }
    SimPipeline *pipeline() const { return m_pipeline; }
    SimLogMonitor *proxyLog() const { return m_proxyLog; }
    SimLogMonitor *upstreamLog() const { return m_upstreamLog; }
    SimLogMonitor *modelLog(const QString &id) const { return m_modelLogs.value(id); }
    SimLogMonitor *httpLog() const { return m_httpLog; } // v260: the access log's own stream
    SimStreamGroup *eventStreams() const { return m_events; }
    SimStreamGroup *logStreams() const { return m_logStreams; }
    // v260: `GET /api/events/logs` listeners, tagged with the sources they asked for
    // (logEventTag()).
    SimStreamGroup *logEvents() const { return m_logEvents; }
    static QString logEventTag(const QStringList &sources);
    QByteArray logHistoryFrame(const QString &source) const;

    // Services the routes and the pipeline share.
    void logProxy(const char *level, const QString &message);
    void logUpstream(const QString &modelId, const QByteArray &text);
    void logAccess(const QString &remoteIp, const QByteArray &method, const QByteArray &target, const QByteArray &protocol, int status,
                   qint64 bytes, const QString &userAgent, qint64 elapsedNs);
    bool hasEventListeners() const;
    void publishEvent(QStringView type, const QByteArray &dataJson);
    qint64 recordFinished(SimActivityRow row, SimCapture capture);
    HttpResponse errorResponse(const HttpRequest &request, int status, const QString &message) const;
    QByteArray modelStatusJson() const;
    QList<QByteArray> snapshotFrames() const;
    // One SSE message exactly as llama-swap frames it: "event:message\ndata:<envelope>\n\n",
    // with the payload JSON double-encoded into the envelope's `data` string.
    static QByteArray sseFrame(QStringView type, const QByteArray &dataJson);
    qint64 firstActivityId() const { return m_config.compat == SimCompat::V235 ? 0 : 1; }
    // The last kReceivedKept request heads, oldest first.
    static constexpr int kReceivedKept = 5000;
    const QList<SimReceivedRequest> &receivedRequests() const { return m_received; }
    void clearReceivedRequests() { m_received.clear(); }

Q_SIGNALS:
    void activityRecorded(qint64 id);
    void upChanged(bool up);

private:
    void installRoutes();
    void onModelStateChanged(const QString &id, SimModelState from, SimModelState to);
    bool authorized(const HttpRequest &request) const;
    void resetVolatileState(bool keepActivity);
    void forwardLog(SimLogMonitor *monitor, const QString &source, bool mux);

    SimHostConfig m_config;
    QString m_version;
    quint16 m_port = 0;
    bool m_started = false;
    int m_forcedStatus = 0;
    HttpServer *m_server;
    SimListener *m_listener; // owns the port: the server only serves what it lets through
    SimModelManager *m_models;
    SimActivityStore m_activity;
    SimCaptureStore m_captures;
    SimInflightTracker *m_inflight;
    SimLogMonitor *m_proxyLog;
    SimLogMonitor *m_upstreamLog;
    QHash<QString, SimLogMonitor *> m_modelLogs;
    SimLogMonitor *m_httpLog;
    SimStreamGroup *m_events;
    SimStreamGroup *m_logStreams;
    SimStreamGroup *m_logEvents;
    QHash<QString, qint64> m_readySinceNs; // models that are ready, since when (v260 modelStatus)
    SimPerfMonitor *m_perf;
    SimPipeline *m_pipeline;
    SimTrafficGenerator *m_traffic;
    QTimer m_restartTimer;
    QList<SimReceivedRequest> m_received;
};

} // namespace boo
