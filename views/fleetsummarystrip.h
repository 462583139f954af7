#pragma once

#include "core/fleet/fleetsummary.h"
#include "models/fleetfilterproxy.h"

#include <QColor>
#include <QHash>
#include <QTimer>
#include <QWidget>

class QAbstractItemModel;
class QLabel;
class QToolButton;

namespace boo {

class Sparkline;

// The strip above the Fleet tab's cards: the fleet's totals (FleetSummary) as tiles — hosts up,
// hosts needing attention with gaps and alerts, requests and output tokens per second now, VRAM
// used of total, models loaded — the moving ones with a small sparkline. It reads the host views
// of the FleetModel it is given, so it shows the same in local and attached mode, and refreshes
// every second (the rate is the last 60 s, by the second). A click on a tile asks the cards to
// show only the hosts behind it; a click on the tile in force shows every host again.
class FleetSummaryStrip final : public QWidget
{
    Q_OBJECT

public:
    // Sparklines of values the host views do not keep a history of (tokens, VRAM) are sampled here.
    static constexpr int kSampleMs = 10'000;
    static constexpr int kSamplesKept = 90; // 15 minutes

    explicit FleetSummaryStrip(QAbstractItemModel *fleetModel, QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(FleetSummaryStrip)

    void setThresholds(const FleetSummary::Thresholds &thresholds);
    // Which tile shows as in force (the cards' scope, however it was chosen).
    void setScope(FleetFilterProxy::Scope scope);
    const FleetSummary &summary() const { return m_summary; }
    QToolButton *tile(FleetFilterProxy::Scope scope) const { return m_tiles.value(int(scope)); }
    QLabel *value(const QString &name) const;
    void refresh();

protected:
    void changeEvent(QEvent *event) override;

Q_SIGNALS:
    void scopeRequested(boo::FleetFilterProxy::Scope scope);
    // The totals changed (the status bar shows them too, so that the two never disagree).
    void summaryChanged();

private:
    struct Tile
    {
        QToolButton *button;
        QLabel *value;
        QLabel *detail;
        FleetFilterProxy::Scope scope;
        Sparkline *sparkline = nullptr;
    };
    Tile addTile(const QString &name, const QString &title, FleetFilterProxy::Scope scope, bool withSparkline, const QString &toolTip);
    void sample();

    QAbstractItemModel *m_model;
    FleetSummary::Thresholds m_thresholds;
    FleetSummary m_summary;
    FleetFilterProxy::Scope m_scope = FleetFilterProxy::Scope::AllHosts;
    QHash<int, QToolButton *> m_tiles; // by scope: the first tile of each
    QHash<QString, Tile> m_byName;
    QList<QLabel *> m_mutedLabels; // captions and details
    QColor m_mutedApplied;
    QList<int> m_tokenSamples;
    QList<int> m_vramSamples;
    QTimer m_tick;
    QTimer m_sampler;
};

} // namespace boo
