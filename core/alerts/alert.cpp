#include "core/alerts/alert.h"

#include <QCoreApplication>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace boo {

QString Alert::describe() const
{
    // Shown in the tray, the status bar and the action history: in the cockpit's language.
    const QString host = hostName.isEmpty() ? hostId : hostName;
    const QLocale locale;
    switch (kind) {
    case Kind::HostDown: return QCoreApplication::translate("boo::Alert", "%1 is down").arg(host);
    case Kind::HostBack: return QCoreApplication::translate("boo::Alert", "%1 is back").arg(host);
    case Kind::VramHigh:
        return QCoreApplication::translate("boo::Alert", "%1: GPU %2 VRAM at %3% (threshold %4%)")
            .arg(host)
            .arg(gpu)
            .arg(locale.toString(value, 'f', 0), locale.toString(threshold, 'f', 0));
    case Kind::TemperatureHigh:
        return QCoreApplication::translate("boo::Alert", "%1: GPU %2 at %3 °C (threshold %4 °C)")
            .arg(host)
            .arg(gpu)
            .arg(locale.toString(value, 'f', 0), locale.toString(threshold, 'f', 0));
    }
    return {};
}

} // namespace boo
