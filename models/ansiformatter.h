#pragma once

#include <QList>
#include <QMetaType>
#include <QString>
#include <QTextLayout>

namespace boo {

// Log text with ANSI escape sequences (llama-server colours its output) turned into plain text
// plus character formats for QTextLayout. SGR colours (16, 256 and 24-bit), bold, faint, italic
// and underline are rendered; every other escape is dropped. The 16 basic colours come in two
// tones, one readable on light backgrounds and one on dark ones.
class AnsiFormatter final
{
public:
    struct Formatted
    {
        QString plain;
        QList<QTextLayout::FormatRange> formats;
    };

    static Formatted format(const QString &text, bool darkBackground);
    static QColor basicColor(int index, bool darkBackground); // 0-15
};

} // namespace boo

Q_DECLARE_METATYPE(QList<QTextLayout::FormatRange>)
