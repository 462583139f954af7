#include "views/cockpitpalette.h"

namespace boo {

namespace {

struct Pair
{
    QColor light;
    QColor dark;
};

Pair accentPair(CockpitPalette::Tone tone)
{
    switch (tone) {
    case CockpitPalette::Tone::Good: return {QColor(0x2e, 0x7d, 0x32), QColor(0x66, 0xd1, 0x7a)};
    case CockpitPalette::Tone::Busy: return {QColor(0x15, 0x65, 0xc0), QColor(0x64, 0xa8, 0xf0)};
    case CockpitPalette::Tone::Warning: return {QColor(0xb2, 0x6a, 0x00), QColor(0xf0, 0xb4, 0x4c)};
    case CockpitPalette::Tone::Bad: return {QColor(0xc6, 0x28, 0x28), QColor(0xf2, 0x6d, 0x6d)};
    case CockpitPalette::Tone::Muted: return {QColor(0x75, 0x75, 0x75), QColor(0x9e, 0x9e, 0x9e)};
    case CockpitPalette::Tone::Info: return {QColor(0x00, 0x83, 0x8f), QColor(0x4d, 0xd0, 0xe1)};
    }
    return {};
}

QColor mix(const QColor &a, const QColor &b, double t)
{
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t), float(a.greenF() * (1 - t) + b.greenF() * t),
                            float(a.blueF() * (1 - t) + b.blueF() * t));
}

} // namespace

bool CockpitPalette::isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

QColor CockpitPalette::accent(Tone tone, const QPalette &palette)
{
    const Pair p = accentPair(tone);
    return isDark(palette) ? p.dark : p.light;
}

QColor CockpitPalette::background(Tone tone, const QPalette &palette)
{
    // A tint of the accent over the base colour: visible on both themes, never loud.
    return mix(palette.color(QPalette::Base), accent(tone, palette), isDark(palette) ? 0.28 : 0.16);
}

QColor CockpitPalette::foreground(Tone tone, const QPalette &palette)
{
    const QColor a = accent(tone, palette);
    return isDark(palette) ? a.lighter(125) : a.darker(135);
}

QColor CockpitPalette::muted(const QPalette &palette)
{
    return mix(palette.color(QPalette::Base), palette.color(QPalette::Text), 0.6);
}

CockpitPalette::Tone CockpitPalette::toneFor(Liveness liveness)
{
    switch (liveness) {
    case Liveness::Connected: return Tone::Good;
    case Liveness::Reconnecting: return Tone::Warning;
    case Liveness::Down: return Tone::Bad;
    }
    return Tone::Muted;
}

CockpitPalette::Tone CockpitPalette::toneFor(ModelState state)
{
    switch (state) {
    case ModelState::Ready: return Tone::Good;
    case ModelState::Starting: return Tone::Busy;
    case ModelState::Stopping: return Tone::Warning;
    case ModelState::Shutdown:
    case ModelState::Unknown: return Tone::Bad;
    case ModelState::Stopped:
    case ModelState::None: return Tone::Muted;
    }
    return Tone::Muted;
}

CockpitPalette::Tone CockpitPalette::toneForFraction(double fraction)
{
    if (fraction >= 0.95)
        return Tone::Bad;
    if (fraction >= 0.8)
        return Tone::Warning;
    return Tone::Info;
}

} // namespace boo
