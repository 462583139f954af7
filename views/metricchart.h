#pragma once

#include <QChartView>
#include <QColor>
#include <QList>
#include <QPointF>

#include <optional>

namespace boo {

// One timeline of the Performance tab (VRAM, temperature, power, utilisation, requests or
// tokens per minute): a line per host and GPU, the time axis of the chosen range, and the
// value under the mouse shown as a tooltip. Colours follow the system palette.
class MetricChart final : public QChartView
{
    Q_OBJECT

public:
    struct Series
    {
        QString name;
        QList<QPointF> points; // x: epoch ms, y: value
        bool dashed = false;
        QColor color; // invalid: the chart theme's next colour
    };

    MetricChart(const QString &title, const QString &unit, QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(MetricChart)

    void setSeries(const QList<Series> &series, qint64 fromMs, qint64 toMs, std::optional<double> maxY = std::nullopt);
    int seriesCount() const { return int(m_series.size()); }
    qsizetype pointCount() const;
    QString title() const { return m_title; }
    // The title as shown, with the unit.
    QString headline() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyPalette();

    QString m_title;
    QString m_unit;
    QList<Series> m_series;
};

} // namespace boo
