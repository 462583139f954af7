#include "core/alerts/alert.h"

using namespace Qt::StringLiterals;

namespace boo {

QString Alert::describe() const
{
    const QString host = hostName.isEmpty() ? hostId : hostName;
    switch (kind) {
    case Kind::HostDown: return u"%1 is down"_s.arg(host);
    case Kind::HostBack: return u"%1 is back"_s.arg(host);
    case Kind::VramHigh:
        return u"%1: GPU %2 VRAM at %3% (threshold %4%)"_s.arg(host).arg(gpu).arg(value, 0, 'f', 0).arg(threshold, 0, 'f', 0);
    case Kind::TemperatureHigh:
        return u"%1: GPU %2 at %3 °C (threshold %4 °C)"_s.arg(host).arg(gpu).arg(value, 0, 'f', 0).arg(threshold, 0, 'f', 0);
    }
    return {};
}

} // namespace boo
