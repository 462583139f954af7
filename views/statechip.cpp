#include "views/statechip.h"

#include <QPainter>
#include <QPainterPath>

namespace boo {

namespace {
constexpr int kPadX = 7;
constexpr int kPadY = 1;
} // namespace

StateChip::StateChip(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    setFont(small);
}

void StateChip::setState(const QString &text, CockpitPalette::Tone tone)
{
    if (text == m_text && tone == m_tone)
        return;
    const bool resized = text != m_text;
    m_text = text;
    m_tone = tone;
    setAccessibleName(text);
    if (resized)
        updateGeometry();
    update();
}

QSize StateChip::sizeHint() const
{
    const QFontMetrics fm(font());
    return {fm.horizontalAdvance(m_text) + 2 * kPadX, fm.height() + 2 * kPadY};
}

void StateChip::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF r = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    QPainterPath path;
    path.addRoundedRect(r, r.height() / 2, r.height() / 2);
    p.fillPath(path, CockpitPalette::background(m_tone, palette()));
    p.setPen(CockpitPalette::foreground(m_tone, palette()));
    p.drawText(rect(), Qt::AlignCenter, m_text);
}

} // namespace boo
