#pragma once

#include <QMetaType>
#include <QString>

namespace boo {

// Something about a host the operator should notice even when the cockpit is in the background.
struct Alert
{
    enum class Kind { HostDown, HostBack, VramHigh, TemperatureHigh };

    Kind kind = Kind::HostDown;
    QString hostId;
    QString hostName;
    int gpu = -1;     // VramHigh, TemperatureHigh
    double value = 0; // VRAM percent or degrees Celsius
    double threshold = 0;
    qint64 atMs = 0;

    // For the tray, the status bar and the action history, in the cockpit's language
    // ("gpu-box: GPU 1 at 88 °C (threshold 85 °C)").
    QString describe() const;
};

struct AlertThresholds
{
    double vramPercent = 95; // used / total
    double temperatureC = 85;
    // An alert re-arms only after the value fell this far below its threshold, so a value that
    // hovers around it does not alert on every sample.
    double hysteresis = 5;
};

} // namespace boo

Q_DECLARE_METATYPE(boo::Alert)
