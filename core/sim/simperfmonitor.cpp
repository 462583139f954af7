#include "core/sim/simperfmonitor.h"

#include "core/sim/gojsonwriter.h"
#include "core/sim/gotime.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace boo {

SimPerfMonitor::SimPerfMonitor(const SimHostConfig &config, std::function<SimLoad()> probe, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_probe(std::move(probe))
    , m_disabled(config.performanceDisabled)
    , m_rng(config.seed * 2654435761U + 17)
{
    const int interval = qMax(1, config.perfIntervalMs);
    m_capacity = config.perfRingCapacity > 0 ? config.perfRingCapacity : qBound(1, 3600000 / interval, 4000);
    m_timer.setInterval(interval);
    connect(&m_timer, &QTimer::timeout, this, &SimPerfMonitor::sampleNow);
    for (const SimGpuConfig &g : m_config.gpus)
        m_gpuState.append({double(g.idleTempC), g.idlePowerW, 0.0, 30.0});
}

void SimPerfMonitor::start()
{
    // Like llama-swap, the first sample arrives one interval after start.
    if (!m_disabled)
        m_timer.start();
}

void SimPerfMonitor::stop()
{
    m_timer.stop();
}

void SimPerfMonitor::clear()
{
    m_sys.clear();
    m_gpu.clear();
}

double SimPerfMonitor::noise(double amplitude)
{
    m_rng = m_rng * 1664525U + 1013904223U;
    return (double(m_rng >> 8) / double(1 << 24) * 2.0 - 1.0) * amplitude;
}

void SimPerfMonitor::sampleNow()
{
    if (m_disabled)
        return;
    const SimLoad load = m_probe ? m_probe() : SimLoad{};
    const qint64 now = GoTime::nowNs();

    SysSample s;
    s.ns = now;
    const double busy = qBound(0.0, load.cpuBusy, 1.0);
    for (int c = 0; c < m_config.cpuCores; ++c) {
        // One busy core per running generation (the server's main thread), the rest idle-ish.
        const bool hot = c < int(std::ceil(busy * 2));
        const double v = hot ? 92 + noise(7) : 3 + busy * 8 + noise(3);
        s.cpu.append(std::round(qBound(0.0, v, 100.0) * 10) / 10);
    }
    double unifiedMb = 0;
    for (int g = 0; g < m_config.gpus.size(); ++g) {
        if (m_config.gpus[g].unifiedMemory)
            unifiedMb += load.gpuMemoryMb.value(g);
    }
    s.memUsed = qint64(m_config.memoryTotalMb * 0.18 + unifiedMb + noise(40));
    s.memUsed = qBound<qint64>(0, s.memUsed, qint64(m_config.memoryTotalMb));
    s.memFree = qMax<qint64>(0, qint64(m_config.memoryTotalMb * 0.7) - s.memUsed + qint64(m_config.memoryTotalMb * 0.12));
    s.swapUsed = 0;
    const double target = busy * 2.5 + 0.3;
    m_load1 += (target - m_load1) * 0.35;
    m_load5 += (target - m_load5) * 0.08;
    m_load15 += (target - m_load15) * 0.03;
    s.load1 = std::round(m_load1 * 100) / 100;
    s.load5 = std::round(m_load5 * 100) / 100;
    s.load15 = std::round(m_load15 * 100) / 100;
    s.recv = 918273645012 + load.netReceived;
    s.sent = 12873649122 + load.netSent;
    m_sys.push_back(std::move(s));
    while (qsizetype(m_sys.size()) > m_capacity)
        m_sys.pop_front();

    for (int g = 0; g < m_config.gpus.size(); ++g) {
        const SimGpuConfig &cfg = m_config.gpus[g];
        GpuState &st = m_gpuState[g];
        const double gpuBusy = qBound(0.0, load.gpuBusy.value(g), 1.0);
        const double utilTarget = gpuBusy > 0 ? 88 + gpuBusy * 10 : 0.5;
        st.util += (utilTarget - st.util) * 0.7;
        const double powerTarget = cfg.idlePowerW + (cfg.maxPowerW - cfg.idlePowerW) * st.util / 100 * 0.92;
        st.power += (powerTarget - st.power) * 0.6;
        const double tempTarget = cfg.idleTempC + (cfg.maxTempC - cfg.idleTempC) * st.util / 100;
        st.temp += (tempTarget - st.temp) * 0.25; // heat lags behind load
        st.fan = qBound(30.0, 30 + (st.temp - 40) * 1.4, 100.0);

        GpuSample gs;
        gs.ns = now + 80000 + g * 150000; // one nvidia-smi line after another
        gs.id = g;
        gs.util = std::round(qBound(0.0, st.util + noise(1.5), 100.0));
        gs.memUsed = qBound<qint64>(0, qint64(350 + load.gpuMemoryMb.value(g)), qint64(cfg.memoryTotalMb));
        if (cfg.unifiedMemory) {
            gs.temp = 0;
            gs.power = 0;
            gs.fan = 0;
        } else {
            gs.temp = int(std::round(st.temp + noise(0.6)));
            gs.power = std::round((st.power + noise(4)) * 100) / 100;
            gs.fan = std::round(st.fan);
        }
        m_gpu.push_back(gs);
    }
    // The GPU ring counts snapshots, one per GPU per tick (reference §6.1).
    while (qsizetype(m_gpu.size()) > m_capacity)
        m_gpu.pop_front();
}

QByteArray SimPerfMonitor::json(std::optional<qint64> afterNs) const
{
    GoJsonWriter w;
    w.beginObject();
    w.key(u"enabled").boolean(true);

    w.key(u"gpu_stats");
    bool any = false;
    for (const GpuSample &g : m_gpu) {
        if (afterNs && g.ns <= *afterNs)
            continue;
        if (!any)
            w.beginArray();
        any = true;
        const SimGpuConfig &cfg = m_config.gpus.at(g.id);
        w.beginObject();
        w.key(u"timestamp").str(QString::fromLatin1(GoTime::rfc3339(g.ns, m_config.utcOffsetSeconds, true)));
        w.key(u"id").integer(g.id);
        w.key(u"name").str(cfg.name);
        w.key(u"uuid").str(cfg.unifiedMemory ? QString() : cfg.uuid);
        w.key(u"temp_c").integer(g.temp);
        w.key(u"vram_temp_c").integer(0);
        w.key(u"gpu_util_pct").real(g.util);
        w.key(u"mem_util_pct").real(100.0 * double(g.memUsed) / double(cfg.memoryTotalMb));
        w.key(u"mem_used_mb").integer(g.memUsed);
        w.key(u"mem_total_mb").integer(cfg.memoryTotalMb);
        w.key(u"fan_speed_pct").real(g.fan);
        w.key(u"power_draw_w").real(g.power);
        w.endObject();
    }
    if (any)
        w.endArray();
    else if (afterNs)
        w.raw("[]");
    else
        w.null();

    w.key(u"sys_stats");
    any = false;
    for (const SysSample &s : m_sys) {
        if (afterNs && s.ns <= *afterNs)
            continue;
        if (!any)
            w.beginArray();
        any = true;
        w.beginObject();
        w.key(u"timestamp").str(QString::fromLatin1(GoTime::rfc3339(s.ns, m_config.utcOffsetSeconds, true)));
        w.key(u"cpu_util_per_core").beginArray();
        for (double c : s.cpu)
            w.real(c);
        w.endArray();
        w.key(u"mem_total_mb").integer(m_config.memoryTotalMb);
        w.key(u"mem_used_mb").integer(s.memUsed);
        w.key(u"mem_free_mb").integer(s.memFree);
        w.key(u"swap_total_mb").integer(8191);
        w.key(u"swap_used_mb").integer(s.swapUsed);
        w.key(u"load_avg_1").real(s.load1);
        w.key(u"load_avg_5").real(s.load5);
        w.key(u"load_avg_15").real(s.load15);
        w.key(u"net_io").beginArray();
        w.beginObject().key(u"name").str(u"eno1").key(u"bytes_recv").integer(s.recv).key(u"bytes_sent").integer(s.sent).endObject();
        w.beginObject().key(u"name").str(u"docker0").key(u"bytes_recv").integer(0).key(u"bytes_sent").integer(0).endObject();
        w.endArray();
        w.endObject();
    }
    if (any)
        w.endArray();
    else if (afterNs)
        w.raw("[]");
    else
        w.null();
    w.endObject();
    return w.take() + '\n';
}

} // namespace boo
