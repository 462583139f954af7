#pragma once

#include <QCache>
#include <QStaticText>
#include <QStyledItemDelegate>

namespace boo {

// Draws single-line cell text from a cache of laid-out text (QStaticText), for tables that
// repaint many times a second while rows stream in (the Activity table): the rows on screen
// keep their strings, so after the first paint the text is blitted instead of shaped again.
// Background, selection and focus are drawn by the style as usual.
class CachedTextDelegate final : public QStyledItemDelegate
{
    Q_OBJECT

public:
    static constexpr int kCacheEntries = 8000;

    explicit CachedTextDelegate(QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(CachedTextDelegate)

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    mutable QCache<QString, QStaticText> m_texts;
};

} // namespace boo
