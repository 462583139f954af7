#pragma once

#include "core/sim/simconfig.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QTimer>

#include <deque>
#include <functional>
#include <optional>

namespace boo {

// What the host is doing right now, for the telemetry to follow.
struct SimLoad
{
    QList<double> gpuMemoryMb; // VRAM held by loaded models, per GPU
    QList<double> gpuBusy;     // 0..1 per GPU
    double cpuBusy = 0;        // 0..1
    qint64 netReceived = 0;    // cumulative bytes
    qint64 netSent = 0;
};

// The performance monitor (reference §6): a system sample and one GPU sample per GPU every
// interval, kept in rings of `3600 s / interval` entries. Values drift toward targets set by
// the load (loaded models occupy VRAM; generating raises utilisation, power, temperature).
class SimPerfMonitor final : public QObject
{
    Q_OBJECT

public:
    SimPerfMonitor(const SimHostConfig &config, std::function<SimLoad()> probe, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(SimPerfMonitor)

    bool enabled() const { return !m_disabled; }
    void start();
    void stop();
    void clear();
    void sampleNow();
    qsizetype systemSampleCount() const { return qsizetype(m_sys.size()); }
    qsizetype gpuSampleCount() const { return qsizetype(m_gpu.size()); }

    // GET /api/performance body: arrays are null without `after` when empty, [] with it.
    QByteArray json(std::optional<qint64> afterNs) const;

private:
    struct SysSample
    {
        qint64 ns;
        QList<double> cpu;
        qint64 memUsed, memFree, swapUsed;
        double load1, load5, load15;
        qint64 recv, sent;
    };
    struct GpuSample
    {
        qint64 ns;
        int id;
        int temp;
        double util, power, fan;
        qint64 memUsed;
    };
    struct GpuState
    {
        double temp, power, util, fan;
    };

    double noise(double amplitude);

    SimHostConfig m_config;
    std::function<SimLoad()> m_probe;
    bool m_disabled;
    qsizetype m_capacity;
    QTimer m_timer;
    std::deque<SysSample> m_sys;
    std::deque<GpuSample> m_gpu;
    QList<GpuState> m_gpuState;
    double m_load1 = 0.4, m_load5 = 0.35, m_load15 = 0.3;
    quint32 m_rng;
};

} // namespace boo
