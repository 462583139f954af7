#include "views/logdelegate.h"

#include "models/ansiformatter.h"
#include "models/logmodel.h"

#include <QApplication>
#include <QFontDatabase>
#include <QPainter>
#include <QTextLayout>

namespace boo {

LogDelegate::LogDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{
}

QSize LogDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QFontMetrics fm(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    Q_UNUSED(option)
    return {fm.horizontalAdvance(index.data().toString()) + 8, fm.height() + 2};
}

void LogDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString text = opt.text;
    opt.text.clear();
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    QList<QTextLayout::FormatRange> formats = index.data(LogModel::FormatsRole).value<QList<QTextLayout::FormatRange>>();
    if (!m_highlight.isEmpty()) {
        QTextCharFormat mark;
        mark.setBackground(opt.palette.color(QPalette::Highlight).lighter(150));
        mark.setForeground(opt.palette.color(QPalette::HighlightedText));
        for (qsizetype at = text.indexOf(m_highlight, 0, Qt::CaseInsensitive); at >= 0;
             at = text.indexOf(m_highlight, at + m_highlight.size(), Qt::CaseInsensitive))
            formats.append({int(at), int(m_highlight.size()), mark});
    }
    QTextLayout layout(text, QFontDatabase::systemFont(QFontDatabase::FixedFont));
    layout.setFormats(formats);
    layout.beginLayout();
    QTextLine line = layout.createLine();
    if (line.isValid())
        line.setLineWidth(1e6); // one visual line: long lines scroll sideways
    layout.endLayout();
    painter->save();
    const bool selected = opt.state & QStyle::State_Selected;
    painter->setPen(opt.palette.color(selected ? QPalette::HighlightedText : QPalette::Text));
    layout.draw(painter, QPointF(opt.rect.left() + 4, opt.rect.top() + 1));
    painter->restore();
}

} // namespace boo
