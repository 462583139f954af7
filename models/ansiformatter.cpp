#include "models/ansiformatter.h"

#include <QColor>
#include <QFont>

#include <algorithm>

namespace boo {

namespace {

// xterm's 6x6x6 cube and grey ramp for the 256-colour palette.
QColor color256(int n, bool dark)
{
    if (n < 16)
        return AnsiFormatter::basicColor(n, dark);
    if (n < 232) {
        n -= 16;
        auto level = [](int v) { return v == 0 ? 0 : 55 + v * 40; };
        return QColor(level(n / 36), level((n / 6) % 6), level(n % 6));
    }
    const int grey = 8 + (n - 232) * 10;
    return QColor(grey, grey, grey);
}

struct State
{
    QTextCharFormat format;
    void reset() { format = QTextCharFormat(); }
};

// Applies one SGR parameter list ("1;31", "38;5;208", "") to the state.
void applySgr(const QList<int> &params, State &state, bool dark)
{
    if (params.isEmpty()) {
        state.reset();
        return;
    }
    for (qsizetype i = 0; i < params.size(); ++i) {
        const int p = params.at(i);
        if (p == 0) {
            state.reset();
        } else if (p == 1) {
            state.format.setFontWeight(QFont::Bold);
        } else if (p == 2) {
            state.format.setForeground(QColor(128, 128, 128));
        } else if (p == 3) {
            state.format.setFontItalic(true);
        } else if (p == 4) {
            state.format.setFontUnderline(true);
        } else if (p == 22) {
            state.format.setFontWeight(QFont::Normal);
        } else if (p == 23) {
            state.format.setFontItalic(false);
        } else if (p == 24) {
            state.format.setFontUnderline(false);
        } else if (p >= 30 && p <= 37) {
            state.format.setForeground(AnsiFormatter::basicColor(p - 30, dark));
        } else if (p >= 90 && p <= 97) {
            state.format.setForeground(AnsiFormatter::basicColor(p - 90 + 8, dark));
        } else if (p == 39) {
            state.format.clearForeground();
        } else if (p >= 40 && p <= 47) {
            state.format.setBackground(AnsiFormatter::basicColor(p - 40, dark));
        } else if (p >= 100 && p <= 107) {
            state.format.setBackground(AnsiFormatter::basicColor(p - 100 + 8, dark));
        } else if (p == 49) {
            state.format.clearBackground();
        } else if ((p == 38 || p == 48) && i + 1 < params.size()) {
            QColor color;
            if (params.at(i + 1) == 5 && i + 2 < params.size()) {
                color = color256(std::clamp(params.at(i + 2), 0, 255), dark);
                i += 2;
            } else if (params.at(i + 1) == 2 && i + 4 < params.size()) {
                color = QColor(std::clamp(params.at(i + 2), 0, 255), std::clamp(params.at(i + 3), 0, 255),
                               std::clamp(params.at(i + 4), 0, 255));
                i += 4;
            } else {
                return;
            }
            if (p == 38)
                state.format.setForeground(color);
            else
                state.format.setBackground(color);
        }
    }
}

} // namespace

QColor AnsiFormatter::basicColor(int index, bool dark)
{
    // Tango-like tones: the light-background set is darker so yellow and cyan stay legible.
    static const QColor onLight[16]
        = {QColor(0x2e, 0x34, 0x36), QColor(0xc0, 0x1c, 0x28), QColor(0x26, 0x80, 0x2c), QColor(0x9a, 0x6e, 0x00),
           QColor(0x1c, 0x5f, 0xb4), QColor(0x81, 0x3d, 0x9c), QColor(0x0b, 0x7d, 0x86), QColor(0x5e, 0x5c, 0x64),
           QColor(0x55, 0x57, 0x53), QColor(0xe0, 0x1b, 0x24), QColor(0x2e, 0xa0, 0x43), QColor(0xb5, 0x83, 0x00),
           QColor(0x35, 0x84, 0xe4), QColor(0x91, 0x41, 0xac), QColor(0x0f, 0x95, 0x9f), QColor(0x24, 0x1f, 0x31)};
    static const QColor onDark[16]
        = {QColor(0x77, 0x76, 0x7b), QColor(0xf6, 0x61, 0x51), QColor(0x57, 0xe3, 0x89), QColor(0xf8, 0xe4, 0x5c),
           QColor(0x62, 0xa0, 0xea), QColor(0xc0, 0x61, 0xcb), QColor(0x5b, 0xc8, 0xaf), QColor(0xde, 0xdd, 0xda),
           QColor(0x9a, 0x99, 0x96), QColor(0xff, 0x7b, 0x63), QColor(0x8f, 0xf0, 0xa4), QColor(0xf9, 0xf0, 0x6b),
           QColor(0x99, 0xc1, 0xf1), QColor(0xdc, 0x8a, 0xdd), QColor(0x93, 0xdd, 0xc2), QColor(0xff, 0xff, 0xff)};
    index = std::clamp(index, 0, 15);
    return dark ? onDark[index] : onLight[index];
}

AnsiFormatter::Formatted AnsiFormatter::format(const QString &text, bool darkBackground)
{
    Formatted out;
    out.plain.reserve(text.size());
    State state;
    qsizetype runStart = 0;
    QTextCharFormat runFormat;
    auto closeRun = [&] {
        if (out.plain.size() > runStart && runFormat != QTextCharFormat())
            out.formats.append({int(runStart), int(out.plain.size() - runStart), runFormat});
        runStart = out.plain.size();
        runFormat = state.format;
    };
    const qsizetype n = text.size();
    for (qsizetype i = 0; i < n; ++i) {
        const QChar c = text.at(i);
        if (c != u'\x1b') {
            out.plain.append(c);
            continue;
        }
        if (i + 1 >= n)
            break; // a lone ESC at the end
        const QChar kind = text.at(i + 1);
        if (kind == u'[') {
            // CSI exactly as LogLineSplitter::stripAnsi reads it, so the plain texts agree:
            // parameter bytes 0x20..0x3F, then one final byte 0x40..0x7E.
            qsizetype j = i + 2;
            while (j < n && text.at(j).unicode() >= 0x20 && text.at(j).unicode() <= 0x3f)
                ++j;
            const bool hasFinal = j < n && text.at(j).unicode() >= 0x40 && text.at(j).unicode() <= 0x7e;
            if (hasFinal && text.at(j) == u'm') {
                QList<int> params;
                const QStringView body = QStringView(text).mid(i + 2, j - i - 2);
                if (!body.isEmpty()) {
                    for (QStringView part : body.split(u';'))
                        params << part.toInt();
                }
                applySgr(params, state, darkBackground);
                closeRun();
            }
            i = hasFinal ? j : j - 1;
        } else if (kind == u']') {
            // OSC: until BEL or ESC backslash.
            qsizetype j = i + 2;
            while (j < n && text.at(j) != u'\x07' && !(text.at(j) == u'\x1b' && j + 1 < n && text.at(j + 1) == u'\\'))
                ++j;
            i = (j < n && text.at(j) == u'\x1b') ? j + 1 : j;
        } else {
            ++i; // a two-byte escape
        }
    }
    closeRun();
    return out;
}

} // namespace boo
