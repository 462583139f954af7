#pragma once

#include <QHash>
#include <QTimer>
#include <QWidget>

class QComboBox;
class QDateTimeEdit;
class QHBoxLayout;
class QLabel;
class QToolButton;

namespace boo {

class FleetState;
class MetricChart;
class PerfSeriesModel;
class RequestRateModel;

// The Performance tab: timelines per host and GPU (VRAM used, temperature, power, utilisation)
// and per host (requests and tokens per minute) over 15 minutes, an hour, a day, a week or a
// custom range — raw samples for short ranges, 5-minute buckets for long ones. Every host can
// be switched on or off; several on at once are overlaid for comparison.
class PerformanceView final : public QWidget
{
    Q_OBJECT

public:
    PerformanceView(PerfSeriesModel *perf, RequestRateModel *rate, FleetState *fleet, QWidget *parent = nullptr);
    ~PerformanceView() override;
    Q_DISABLE_COPY_MOVE(PerformanceView)

    QList<MetricChart *> charts() const { return m_charts; }
    QStringList shownHosts() const;
    // "Now" of the hosts shown: requests finished in the last 60 s (the cards' reading, summed).
    QLabel *nowLabel() const { return m_now; }
    void setHostShown(const QString &hostId, bool shown);
    void refresh();
    void focusFilter();

private:
    void applyRange();
    void rebuildHostButtons();
    void scheduleRedraw();
    void redraw();
    void updateNow();

    PerfSeriesModel *m_perf;
    RequestRateModel *m_rate;
    FleetState *m_fleet;
    QComboBox *m_range;
    QDateTimeEdit *m_from;
    QDateTimeEdit *m_to;
    QHBoxLayout *m_hostBar;
    QLabel *m_resolution;
    QLabel *m_now;
    QHash<QString, QToolButton *> m_hostButtons;
    QStringList m_hidden;
    QList<MetricChart *> m_charts;
    QTimer m_redraw;
    QTimer m_nowTick;
};

} // namespace boo
