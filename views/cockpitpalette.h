#pragma once

#include "core/fleet/liveness.h"
#include "core/protocol/modelstate.h"

#include <QColor>
#include <QPalette>

namespace boo {

// The cockpit's few semantic colours, derived from the current palette so that light and dark
// system themes both read well (no colour is fixed against a background we do not control).
class CockpitPalette final
{
public:
    enum class Tone { Good, Busy, Warning, Bad, Muted, Info };

    static bool isDark(const QPalette &palette);
    // Soft background of a chip or badge, and the text on it.
    static QColor background(Tone tone, const QPalette &palette);
    static QColor foreground(Tone tone, const QPalette &palette);
    // A strong colour for lines and bars on the window background.
    static QColor accent(Tone tone, const QPalette &palette);
    // Secondary text (labels, "last seen").
    static QColor muted(const QPalette &palette);

    static Tone toneFor(Liveness liveness);
    static Tone toneFor(ModelState state);
    // Bars: fine below 80 % of the limit, a warning below 95 %, bad above.
    static Tone toneForFraction(double fraction);
};

} // namespace boo
