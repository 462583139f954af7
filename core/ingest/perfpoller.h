#pragma once

#include "core/common/result.h"
#include "core/http/hostendpoint.h"
#include "core/protocol/gpusample.h"

#include <QObject>
#include <QTimer>

#include <optional>

class QNetworkAccessManager;

namespace boo {

// Polls a host's `GET /api/performance?after=<watermark>` (llama-swap pushes no performance
// data) and reports the GPU samples newer than the watermark.
//
// The watermark is the newest GPU sample's time; at start it is recovered from the database
// (MAX(ts) of the host's samples), and without one the first poll omits `after` and takes the
// host's whole window. llama-swap filters with a strict ">" on nanosecond times while we keep
// milliseconds, so the newest sample may come back once more: it is filtered out here.
class PerfPoller final : public QObject
{
    Q_OBJECT

public:
    static constexpr int kDefaultIntervalMs = 5000;
    static constexpr int kDisabledRetryMs = 300000;

    PerfPoller(QString hostId, QNetworkAccessManager *nam, const HostEndpoint *endpoint, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(PerfPoller)

    void setIntervalMs(int ms) { m_intervalMs = ms; }
    void setRequestTimeoutMs(int ms) { m_timeoutMs = ms; }
    void setWatermarkMs(std::optional<qint64> watermark) { m_gpuWatermark = watermark; }
    std::optional<qint64> watermarkMs() const { return m_gpuWatermark; }

    void start();
    void stop();
    bool isRunning() const { return m_timer.isActive(); }

Q_SIGNALS:
    void samples(const QList<boo::GpuSample> &samples);
    void pollFailed(const boo::Error &error);
    void disabledOnHost();

private:
    void poll();

    QString m_hostId;
    QNetworkAccessManager *m_nam;
    const HostEndpoint *m_endpoint;
    QTimer m_timer;
    int m_intervalMs = kDefaultIntervalMs;
    int m_timeoutMs = 5000;
    bool m_inFlight = false;
    std::optional<qint64> m_gpuWatermark;
    std::optional<qint64> m_systemWatermark; // keeps answers small on hosts without GPUs
};

} // namespace boo
