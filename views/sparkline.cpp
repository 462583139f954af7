#include "views/sparkline.h"

#include "views/cockpitpalette.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>

namespace boo {

Sparkline::Sparkline(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setMinimumHeight(22);
}

void Sparkline::setValues(const QList<int> &values)
{
    if (values == m_values)
        return;
    m_values = values;
    const int peak = values.isEmpty() ? 0 : *std::max_element(values.cbegin(), values.cend());
    if (m_description.isEmpty())
        setToolTip(tr("Requests per minute over the last %n minutes (peak %1)", nullptr, int(values.size())).arg(peak));
    else
        setToolTip(tr("%1 (peak %2)").arg(m_description).arg(peak));
    update();
}

void Sparkline::setDescription(const QString &description)
{
    m_description = description;
}

void Sparkline::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF area = QRectF(rect()).adjusted(1, 2, -1, -2);
    const QColor line = CockpitPalette::accent(CockpitPalette::Tone::Busy, palette());
    p.setPen(QPen(CockpitPalette::muted(palette()), 1, Qt::DotLine));
    p.drawLine(area.bottomLeft(), area.bottomRight());
    if (m_values.size() < 2)
        return;
    const int peak = std::max(1, *std::max_element(m_values.cbegin(), m_values.cend()));
    QPainterPath path;
    const double step = area.width() / double(m_values.size() - 1);
    for (qsizetype i = 0; i < m_values.size(); ++i) {
        const QPointF point(area.left() + double(i) * step, area.bottom() - area.height() * m_values.at(i) / peak);
        if (i == 0)
            path.moveTo(point);
        else
            path.lineTo(point);
    }
    QPainterPath fill = path;
    fill.lineTo(area.bottomRight());
    fill.lineTo(area.bottomLeft());
    fill.closeSubpath();
    QColor shade = line;
    shade.setAlpha(50);
    p.fillPath(fill, shade);
    p.setPen(QPen(line, 1.5));
    p.drawPath(path);
}

} // namespace boo
