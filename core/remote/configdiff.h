#pragma once

#include <QByteArray>
#include <QString>

namespace boo {

// The diff preview of a config change: the host's current file against the new text, as a
// unified diff (`diff -u`), so a person sees exactly what will change before it is applied.
class ConfigDiff final
{
public:
    // Empty when the texts are equal. `label` names both sides (a/label, b/label). Files larger
    // than kMaxLines lines on both sides are shown as replaced whole rather than compared.
    static QString unified(const QByteArray &before, const QByteArray &after, const QString &label, int context = 3);

    static constexpr int kMaxLines = 20000;
};

} // namespace boo
