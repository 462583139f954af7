#include "core/ingest/perfpoller.h"

#include "core/fleet/wirejson.h"
#include "core/protocol/performancesnapshot.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace boo {

PerfPoller::PerfPoller(QString hostId, QNetworkAccessManager *nam, const HostEndpoint *endpoint, QObject *parent)
    : QObject(parent)
    , m_hostId(std::move(hostId))
    , m_nam(nam)
    , m_endpoint(endpoint)
{
    connect(&m_timer, &QTimer::timeout, this, &PerfPoller::poll);
}

void PerfPoller::start()
{
    m_timer.start(m_intervalMs);
    poll();
}

void PerfPoller::stop()
{
    m_timer.stop();
}

void PerfPoller::poll()
{
    if (m_inFlight)
        return;
    QUrlQuery query;
    const std::optional<qint64> watermark = m_gpuWatermark ? m_gpuWatermark : m_systemWatermark;
    if (watermark) // QUrlQuery encodes the value, so an offset's '+' cannot turn into a space
        query.addQueryItem(u"after"_s, wirejson::utcTimestamp(*watermark));
    m_inFlight = true;
    m_endpoint->send(m_nam, "GET", u"/api/performance"_s, query, m_timeoutMs, this, [this](Result<HostResponse> response) {
        m_inFlight = false;
        if (!response) {
            Q_EMIT pollFailed(response.error());
            return;
        }
        if (response->status != 200 && response->status != 503) {
            Q_EMIT pollFailed(makeError(u"net.status"_s, u"GET /api/performance on %1: HTTP %2"_s.arg(m_hostId).arg(response->status)));
            return;
        }
        auto snapshot = PerformanceSnapshot::fromJson(response->body);
        if (!snapshot) {
            Q_EMIT pollFailed(snapshot.error());
            return;
        }
        if (!snapshot->enabled) {
            // The monitor is off on that host; it can only come back with a restart of llama-swap.
            m_timer.start(kDisabledRetryMs);
            Q_EMIT disabledOnHost();
            return;
        }
        if (m_timer.interval() != m_intervalMs && m_timer.isActive())
            m_timer.start(m_intervalMs);

        QList<GpuSample> fresh;
        for (const GpuSample &sample : snapshot->gpuStats.value_or(QList<GpuSample>())) {
            if (!m_gpuWatermark || sample.timestampMs > *m_gpuWatermark)
                fresh << sample;
        }
        for (const SystemSample &sample : snapshot->sysStats.value_or(QList<SystemSample>()))
            m_systemWatermark = std::max(m_systemWatermark.value_or(0), sample.timestampMs);
        if (fresh.isEmpty())
            return;
        std::sort(fresh.begin(), fresh.end(), [](const GpuSample &a, const GpuSample &b) {
            return a.timestampMs != b.timestampMs ? a.timestampMs < b.timestampMs : a.id < b.id;
        });
        m_gpuWatermark = fresh.constLast().timestampMs;
        Q_EMIT samples(fresh);
    });
}

} // namespace boo
