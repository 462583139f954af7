#pragma once

#include "core/fleet/fleetdelta.h"
#include "core/store/perfquery.h"

#include "models/timewindow.h"

#include <QAbstractTableModel>
#include <QPointer>
#include <QTimer>

namespace boo {

class FleetState;
class HistorySource;

// GPU timelines for the Performance charts: one row per sample (raw, for ranges up to 6 h) or
// per 5-minute bucket (longer ranges), ordered by time, then host and GPU. Cells hold the
// average; MinRole / MaxRole the extremes of a bucket. A live range ("the last hour") takes new
// samples from FleetState as they come and lets the oldest go.
class PerfSeriesModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    static constexpr int kLiveBatchMs = 500;
    static constexpr int kBucketRefreshMs = 60'000;

    enum Columns {
        HostColumn,
        GpuColumn,
        TimeColumn,
        VramUsedColumn,
        VramTotalColumn,
        TemperatureColumn,
        PowerColumn,
        UtilizationColumn,
        ColumnCount
    };
    enum Roles { ValueRole = Qt::UserRole + 1, MinRole, MaxRole, SamplesRole };

    PerfSeriesModel(FleetState *fleet, HistorySource *history, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(PerfSeriesModel)

    // `live`: the range ends now and moves with the clock.
    void setRange(qint64 fromMs, qint64 toMs, bool live);
    void refresh();
    qint64 fromMs() const { return m_window.fromMs; }
    qint64 toMs() const { return m_window.toMs; }
    PerfSeries::Resolution resolution() const { return m_resolution; }
    bool isLoading() const { return m_loading; }
    QString lastError() const { return m_lastError; }
    // Delivers waiting live samples now (tests).
    void flushPending();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void loaded();

private:
    void onChanged(const FleetDelta &delta);
    static PerfPoint pointOf(const QString &host, const GpuSample &sample);

    QPointer<HistorySource> m_history;
    TimeWindow m_window;
    PerfSeries::Resolution m_resolution = PerfSeries::Resolution::Raw;
    QList<PerfPoint> m_points;
    QList<PerfPoint> m_pending;
    QTimer m_batchTimer;
    QTimer m_bucketTimer;
    quint64 m_generation = 0;
    bool m_loading = false;
    QString m_lastError;
};

} // namespace boo
