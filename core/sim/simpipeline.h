#pragma once

#include "core/sim/simjob.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <map>
#include <memory>

namespace boo {

class HttpRequest;
class SimHost;

// The inference path of a simulated host (reference §2.1, §4): model resolution, the
// per-model concurrency limit, in-flight tracking, waiting for a swap, token generation in
// real time (or at once for bulk internal load), then the activity row, the capture and the
// SSE notifications, in llama-swap's order.
class SimPipeline final : public QObject
{
    Q_OBJECT

public:
    explicit SimPipeline(SimHost *host, QObject *parent = nullptr);
    ~SimPipeline() override;
    Q_DISABLE_COPY_MOVE(SimPipeline)

    // `reqPath` overrides the recorded path (requests through /upstream/<model>/...).
    void handleHttp(const HttpRequest &request, HttpResponder responder, SimEndpoint endpoint, const QString &reqPath = {});
    void submit(SimInferenceRequest request);

    // POST /api/inflight/{id}/cancel. False when no such request is running.
    bool cancel(const QString &inflightId);
    // The model process went away (unload): its requests end as if cancelled.
    void cancelModel(const QString &modelId);
    // The model's server died: what llama-swap makes of it (reference §2.1). Streams that have
    // their head end cleanly without [DONE]; requests still waiting for a head get a 502.
    void crashModel(const QString &modelId);
    // Restart/reload: every job dropped without records.
    void dropAll();

    int jobCount() const { return int(m_jobs.size()); }
    int generatingOn(const QString &modelId) const;
    int generatingCount() const;
    qint64 bytesOut() const { return m_bytesOut; }
    qint64 bytesIn() const { return m_bytesIn; }
    // A model became ready: its next request starts with a cold cache.
    void markCold(const QString &modelId);

private:
    void admit(std::unique_ptr<SimJob> job);
    void onReady(quint64 serial, const QString &modelId, bool ok, const QString &error);
    void begin(SimJob &job);
    void tick();
    void advance(SimJob &job, qint64 nowMs);
    void startStreamResponse(SimJob &job);
    void writeChunk(SimJob &job, const QByteArray &data);
    void finishSuccess(SimJob &job);
    void finishError(SimJob &job, int status, const QByteArray &contentType, const QByteArray &body, const QString &errorMessage);
    // `clientGone`: the client hung up (not a cancel or an unload), which v260 records as 499.
    void finishCancelled(SimJob &job, bool clientGone = false);
    void record(SimJob &job, const QByteArray &contentType, const QString &errorMessage, bool parsed);
    void retire(SimJob &job);
    void sweep();
    SimCapture::Headers upstreamHeaders(const SimJob &job) const;

    SimHost *m_host;
    std::map<quint64, std::unique_ptr<SimJob>> m_jobs;
    quint64 m_nextSerial = 1;
    QTimer m_tick;
    QElapsedTimer m_clock;
    QHash<QString, bool> m_warm;
    quint32 m_rng;
    qint64 m_bytesOut = 0;
    qint64 m_bytesIn = 0;
    bool m_sweepQueued = false;
};

} // namespace boo
