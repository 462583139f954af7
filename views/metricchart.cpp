#include "views/metricchart.h"

#include "models/formatting.h"
#include "views/cockpitpalette.h"

#include <QChart>
#include <QCursor>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QEvent>
#include <QGraphicsLayout>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLocale>
#include <QToolTip>
#include <QValueAxis>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace boo {

MetricChart::MetricChart(const QString &title, const QString &unit, QWidget *parent)
    : QChartView(parent)
    , m_title(title)
    , m_unit(unit)
{
    setRenderHint(QPainter::Antialiasing);
    auto *c = new QChart;
    c->setTitle(headline());
    c->legend()->setAlignment(Qt::AlignBottom);
    c->setLocalizeNumbers(true); // axis labels with the locale's separators, as everywhere else
    c->setMargins(QMargins(4, 4, 4, 4));
    c->layout()->setContentsMargins(0, 0, 0, 0);
    setChart(c);
    setMinimumSize(320, 200);
    applyPalette();
}

// The axis carries numbers only, so the unit goes with the title: "VRAM used (GB)".
QString MetricChart::headline() const
{
    return m_unit.isEmpty() ? m_title : u"%1 (%2)"_s.arg(m_title, m_unit);
}

qsizetype MetricChart::pointCount() const
{
    qsizetype n = 0;
    for (const Series &s : m_series)
        n += s.points.size();
    return n;
}

void MetricChart::setSeries(const QList<Series> &series, qint64 fromMs, qint64 toMs, std::optional<double> maxY)
{
    m_series = series;
    QChart *c = chart();
    c->removeAllSeries();
    const auto axes = c->axes();
    for (QAbstractAxis *axis : axes) {
        c->removeAxis(axis);
        delete axis;
    }
    auto *x = new QDateTimeAxis;
    const qint64 span = toMs - fromMs;
    x->setFormat(formatting::axisFormat(span));
    x->setRange(QDateTime::fromMSecsSinceEpoch(fromMs), QDateTime::fromMSecsSinceEpoch(toMs));
    x->setTickCount(5);
    auto *y = new QValueAxis;
    y->setLabelFormat(u"%.0f"_s);
    double top = 0;
    for (const Series &s : series) {
        for (const QPointF &p : s.points)
            top = std::max(top, p.y());
    }
    y->setRange(0, maxY ? *maxY : std::max(1.0, top * 1.1));
    y->applyNiceNumbers();
    c->addAxis(x, Qt::AlignBottom);
    c->addAxis(y, Qt::AlignLeft);
    for (const Series &s : series) {
        auto *line = new QLineSeries;
        line->setName(s.name);
        line->replace(s.points);
        // A line of a few points (a fresh range, minute buckets) would hardly show: mark them.
        line->setPointsVisible(s.points.size() < 30);
        c->addSeries(line);
        line->attachAxis(x);
        line->attachAxis(y);
        if (s.dashed || s.color.isValid()) {
            QPen pen = line->pen();
            if (s.color.isValid())
                pen.setColor(s.color);
            if (s.dashed)
                pen.setStyle(Qt::DashLine);
            line->setPen(pen);
            if (s.color.isValid())
                line->setColor(s.color);
        }
        connect(line, &QLineSeries::hovered, this, [this, name = s.name](const QPointF &point, bool state) {
            if (!state) {
                QToolTip::hideText();
                return;
            }
            const QString when = formatting::dateTime(QDateTime::fromMSecsSinceEpoch(qint64(point.x())));
            QToolTip::showText(QCursor::pos(), u"%1\n%2 %3\n%4"_s.arg(name, QLocale().toString(point.y(), 'f', 1), m_unit, when), this);
        });
    }
    c->legend()->setVisible(!series.isEmpty());
    c->setTitle(series.isEmpty() ? tr("%1 (no data in this range)").arg(headline()) : headline());
    applyPalette();
}

void MetricChart::applyPalette()
{
    const QPalette pal = palette();
    QChart *c = chart();
    c->setBackgroundBrush(pal.color(QPalette::Base));
    c->setBackgroundPen(QPen(pal.color(QPalette::Mid)));
    c->setTitleBrush(pal.color(QPalette::Text));
    c->legend()->setLabelColor(pal.color(QPalette::Text));
    QColor grid = pal.color(QPalette::Text);
    grid.setAlpha(40);
    for (QAbstractAxis *axis : c->axes()) {
        axis->setLabelsColor(CockpitPalette::muted(pal));
        axis->setGridLineColor(grid);
        axis->setLinePenColor(grid);
    }
    setBackgroundBrush(pal.color(QPalette::Window));
}

void MetricChart::changeEvent(QEvent *event)
{
    QChartView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
}

} // namespace boo
