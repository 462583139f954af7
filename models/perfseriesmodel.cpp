#include "models/perfseriesmodel.h"

#include "core/client/historysource.h"
#include "core/fleet/fleetstate.h"
#include "core/history/historymapping.h"
#include "core/store/historyrows.h"

#include <QDateTime>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

// Columns to PerfPoint::metrics (perfMetricColumns() order), -1 for the ones that are not metrics.
int metricOf(int column)
{
    switch (column) {
    case PerfSeriesModel::TemperatureColumn: return 0; // temp_c
    case PerfSeriesModel::UtilizationColumn: return 2; // gpu_util_pct
    case PerfSeriesModel::VramUsedColumn: return 4;    // mem_used_mb
    case PerfSeriesModel::VramTotalColumn: return 5;   // mem_total_mb
    case PerfSeriesModel::PowerColumn: return 7;       // power_draw_w
    default: return -1;
    }
}

bool earlier(const PerfPoint &a, const PerfPoint &b)
{
    return std::tie(a.ts, a.host, a.gpu) < std::tie(b.ts, b.host, b.gpu);
}

QVariant value(const std::optional<double> &v)
{
    return v ? QVariant(*v) : QVariant();
}

} // namespace

PerfSeriesModel::PerfSeriesModel(FleetState *fleet, HistorySource *history, QObject *parent)
    : QAbstractTableModel(parent)
    , m_history(history)
{
    m_batchTimer.setSingleShot(true);
    m_batchTimer.setInterval(kLiveBatchMs);
    connect(&m_batchTimer, &QTimer::timeout, this, &PerfSeriesModel::flushPending);
    m_bucketTimer.setInterval(kBucketRefreshMs);
    connect(&m_bucketTimer, &QTimer::timeout, this, &PerfSeriesModel::refresh);
    connect(fleet, &FleetState::changed, this, &PerfSeriesModel::onChanged);
}

void PerfSeriesModel::setRange(qint64 fromMs, qint64 toMs, bool live)
{
    m_window = TimeWindow{fromMs, toMs, live};
    refresh();
}

void PerfSeriesModel::refresh()
{
    if (!m_history)
        return;
    m_window.followClock();
    m_pending.clear();
    m_loading = true;
    const quint64 generation = ++m_generation;
    PerfFilter filter;
    filter.fromMs = m_window.fromMs;
    // A live range asks a little into the future: samples carry the host's clock.
    filter.toMs = m_window.live ? m_window.toMs + 60'000 : m_window.toMs;
    m_history->perf(filter, this, [this, generation](Result<PerfSeries> series) {
        if (generation != m_generation)
            return;
        m_loading = false;
        beginResetModel();
        if (series) {
            m_lastError.clear();
            m_resolution = series->resolution;
            m_points = series->points;
            std::stable_sort(m_points.begin(), m_points.end(), earlier);
        } else {
            m_lastError = series.error().message;
            m_points.clear();
        }
        endResetModel();
        // Buckets are not built from live samples: read the range again now and then instead.
        if (m_window.live && m_resolution == PerfSeries::Resolution::FiveMinutes)
            m_bucketTimer.start();
        else
            m_bucketTimer.stop();
        Q_EMIT loaded();
    });
}

PerfPoint PerfSeriesModel::pointOf(const QString &host, const GpuSample &sample)
{
    const PerfSampleRow row = toPerfSampleRow(host, sample);
    PerfPoint p{host, sample.id, sample.timestampMs, 1, {}};
    const std::optional<double> metrics[]
        = {row.tempC, row.vramTempC, row.gpuUtilPct, row.memUtilPct, row.memUsedMb, row.memTotalMb, row.fanSpeedPct, row.powerDrawW};
    for (int m = 0; m < int(p.metrics.size()); ++m)
        p.metrics[m] = {metrics[m], metrics[m], metrics[m]};
    return p;
}

void PerfSeriesModel::onChanged(const FleetDelta &delta)
{
    const auto *perf = delta.as<GpuSampled>();
    if (!perf || !m_window.live || m_loading || m_resolution != PerfSeries::Resolution::Raw)
        return;
    for (const GpuSample &sample : perf->samples)
        m_pending << pointOf(delta.hostId, sample);
    if (!m_batchTimer.isActive())
        m_batchTimer.start();
}

void PerfSeriesModel::flushPending()
{
    m_batchTimer.stop();
    if (m_pending.isEmpty())
        return;
    std::stable_sort(m_pending.begin(), m_pending.end(), earlier);
    for (const PerfPoint &p : std::as_const(m_pending)) {
        const auto at = std::upper_bound(m_points.begin(), m_points.end(), p, earlier);
        // The same sample twice (a poll repeats the newest) changes nothing.
        if (at != m_points.begin() && !earlier(*(at - 1), p))
            continue;
        const int row = int(at - m_points.begin());
        beginInsertRows({}, row, row);
        m_points.insert(row, p);
        endInsertRows();
    }
    m_pending.clear();
    // The window moves on: samples that left it go.
    m_window.followClock();
    const qint64 cutoff = m_window.fromMs;
    const auto firstKept = std::find_if(m_points.cbegin(), m_points.cend(), [cutoff](const PerfPoint &p) { return p.ts >= cutoff; });
    const int dropped = int(firstKept - m_points.cbegin());
    if (dropped > 0) {
        beginRemoveRows({}, 0, dropped - 1);
        m_points.remove(0, dropped);
        endRemoveRows();
    }
}

int PerfSeriesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_points.size());
}

int PerfSeriesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PerfSeriesModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const PerfPoint &p = m_points.at(index.row());
    const int column = index.column();
    if (role == SamplesRole)
        return p.samples;
    if (column == HostColumn)
        return role == Qt::DisplayRole || role == ValueRole ? QVariant(p.host) : QVariant();
    if (column == GpuColumn)
        return role == Qt::DisplayRole || role == ValueRole ? QVariant(p.gpu) : QVariant();
    if (column == TimeColumn) {
        if (role == ValueRole)
            return p.ts;
        return role == Qt::DisplayRole ? QVariant(QDateTime::fromMSecsSinceEpoch(p.ts)) : QVariant();
    }
    const int metric = metricOf(column);
    if (metric < 0)
        return {};
    const PerfPoint::Stat &stat = p.metrics[metric];
    switch (role) {
    case Qt::DisplayRole:
    case ValueRole: return value(stat.avg);
    case MinRole: return value(stat.min);
    case MaxRole: return value(stat.max);
    }
    return {};
}

QVariant PerfSeriesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case HostColumn: return tr("Host");
    case GpuColumn: return tr("GPU");
    case TimeColumn: return tr("Time");
    case VramUsedColumn: return tr("VRAM used (MB)");
    case VramTotalColumn: return tr("VRAM total (MB)");
    case TemperatureColumn: return tr("Temperature (°C)");
    case PowerColumn: return tr("Power (W)");
    case UtilizationColumn: return tr("Utilization (%)");
    }
    return {};
}

} // namespace boo
