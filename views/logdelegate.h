#pragma once

#include <QStyledItemDelegate>

namespace boo {

// Paints one log line with its ANSI colours (LogModel::FormatsRole) in a fixed-width font, and
// marks the matches of the current search.
class LogDelegate final : public QStyledItemDelegate
{
    Q_OBJECT

public:
    explicit LogDelegate(QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(LogDelegate)

    void setHighlight(const QString &text) { m_highlight = text; }

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    QString m_highlight;
};

} // namespace boo
