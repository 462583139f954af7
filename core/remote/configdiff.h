#pragma once

#include <QByteArray>
#include <QString>
#include <QtGlobal>

namespace boo {

// The diff preview of a config change: the host's current file against the new text, as a
// unified diff (`diff -u`), so a person sees exactly what will change before it is applied.
class ConfigDiff final
{
public:
    // Empty when the texts are equal. `label` names both sides (a/label, b/label). When the
    // parts that differ are too large to compare line by line (more than kMaxComparedPairs
    // pairs of lines, after the common start and end), they are shown as replaced whole.
    static QString unified(const QByteArray &before, const QByteArray &after, const QString &label, int context = 3);

    static constexpr qint64 kMaxComparedPairs = 1'000'000;
};

} // namespace boo
