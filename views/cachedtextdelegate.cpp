#include "views/cachedtextdelegate.h"

#include <QApplication>
#include <QPainter>

using namespace Qt::StringLiterals;

namespace boo {

CachedTextDelegate::CachedTextDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
    , m_texts(kCacheEntries)
{
}

void CachedTextDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString text = opt.text;
    opt.text.clear();
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);
    if (text.isEmpty())
        return;

    const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 1;
    const QRect area = opt.rect.adjusted(margin, 0, -margin, 0);
    // The key holds everything the layout depends on; elision depends on the width.
    const QString key = text + u'\x1f' + QString::number(area.width()) + u'\x1f' + opt.font.key();
    QStaticText *laidOut = m_texts.object(key);
    if (!laidOut) {
        const QFontMetrics metrics(opt.font);
        laidOut = new QStaticText(metrics.elidedText(text, opt.textElideMode, area.width()));
        laidOut->setTextFormat(Qt::PlainText);
        laidOut->setPerformanceHint(QStaticText::AggressiveCaching);
        laidOut->prepare(QTransform(), opt.font);
        m_texts.insert(key, laidOut);
    }
    const QSizeF size = laidOut->size();
    QPointF at(area.left(), area.top() + (area.height() - size.height()) / 2);
    if (opt.displayAlignment & Qt::AlignRight)
        at.setX(area.right() - size.width());
    else if (opt.displayAlignment & Qt::AlignHCenter)
        at.setX(area.left() + (area.width() - size.width()) / 2);
    const bool selected = opt.state & QStyle::State_Selected;
    const QPalette::ColorGroup group = opt.state & QStyle::State_Enabled ? QPalette::Normal : QPalette::Disabled;
    painter->save();
    painter->setFont(opt.font);
    painter->setPen(opt.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text));
    painter->setClipRect(opt.rect);
    painter->drawStaticText(at, *laidOut);
    painter->restore();
}

} // namespace boo
