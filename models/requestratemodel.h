#pragma once

#include "core/fleet/fleetdelta.h"
#include "core/store/requestratequery.h"

#include "models/timewindow.h"

#include <QAbstractTableModel>
#include <QPointer>

namespace boo {

class FleetState;
class HistorySource;

// Requests and tokens per minute for the Performance charts: one row per host and bucket,
// ordered by time, then host. Buckets are a minute wide for ranges up to 6 hours, 5 minutes up
// to 2 days, an hour beyond; the per-minute columns divide by the width, so every range reads in
// the same unit. A live range counts finished requests from FleetState into its buckets.
class RequestRateModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Columns { HostColumn, TimeColumn, RequestsPerMinuteColumn, InputTokensPerMinuteColumn, OutputTokensPerMinuteColumn, ColumnCount };
    enum Roles { ValueRole = Qt::UserRole + 1 };

    static qint64 bucketFor(qint64 spanMs);

    RequestRateModel(FleetState *fleet, HistorySource *history, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(RequestRateModel)

    void setRange(qint64 fromMs, qint64 toMs, bool live);
    void refresh();
    qint64 bucketMs() const { return m_bucketMs; }
    bool isLoading() const { return m_loading; }
    QString lastError() const { return m_lastError; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void loaded();

private:
    void onChanged(const FleetDelta &delta);

    QPointer<HistorySource> m_history;
    TimeWindow m_window;
    qint64 m_bucketMs = 60'000;
    QList<RatePoint> m_points;
    quint64 m_generation = 0;
    bool m_loading = false;
    QString m_lastError;
};

} // namespace boo
