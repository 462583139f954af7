#pragma once

#include "views/cockpitpalette.h"

#include <QWidget>

namespace boo {

// A small rounded label in a semantic tone: "connected", "ready", "gap suspected".
class StateChip final : public QWidget
{
    Q_OBJECT

public:
    explicit StateChip(QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(StateChip)

    void setState(const QString &text, CockpitPalette::Tone tone);
    QString text() const { return m_text; }
    CockpitPalette::Tone tone() const { return m_tone; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return sizeHint(); }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QString m_text;
    CockpitPalette::Tone m_tone = CockpitPalette::Tone::Muted;
};

} // namespace boo
