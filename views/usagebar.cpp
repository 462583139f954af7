#include "views/usagebar.h"

#include "views/cockpitpalette.h"

#include <QPainter>
#include <QPainterPath>

namespace boo {

UsageBar::UsageBar(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void UsageBar::setUsage(double used, double total, const QString &text)
{
    if (used == m_used && total == m_total && text == m_text)
        return;
    m_used = used;
    m_total = total;
    m_text = text;
    setAccessibleName(text);
    update();
}

QSize UsageBar::sizeHint() const
{
    return {160, fontMetrics().height() + 6};
}

void UsageBar::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF r = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    QPainterPath track;
    track.addRoundedRect(r, 4, 4);
    p.fillPath(track, CockpitPalette::background(CockpitPalette::Tone::Muted, palette()));
    const double f = std::clamp(fraction(), 0.0, 1.0);
    if (f > 0) {
        p.save();
        p.setClipRect(QRectF(r.left(), r.top(), r.width() * f, r.height()));
        QColor fill = CockpitPalette::accent(CockpitPalette::toneForFraction(f), palette());
        fill.setAlpha(CockpitPalette::isDark(palette()) ? 150 : 110);
        p.fillPath(track, fill);
        p.restore();
    }
    p.setPen(palette().color(QPalette::Text));
    p.drawText(rect(), Qt::AlignCenter, m_text);
}

} // namespace boo
