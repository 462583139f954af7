#pragma once

#include "core/fleet/fleetdelta.h"

#include <QSignalSpy>

namespace boo::test {

// What a QSignalSpy on FleetState::changed caught: every delta in order.
inline QList<FleetDelta> deltasIn(const QSignalSpy &spy)
{
    QList<FleetDelta> deltas;
    for (const QList<QVariant> &args : spy)
        deltas << args.at(0).value<FleetDelta>();
    return deltas;
}

// The changes of the live state only (what an attached cockpit receives).
inline QList<FleetDelta> stateChangesIn(const QSignalSpy &spy)
{
    QList<FleetDelta> deltas = deltasIn(spy);
    deltas.removeIf([](const FleetDelta &d) { return !d.isStateChange(); });
    return deltas;
}

// The changes or facts of one kind, e.g. factsIn<LivenessChanged>(spy).
template <typename T>
QList<T> factsIn(const QSignalSpy &spy)
{
    QList<T> facts;
    for (const FleetDelta &d : deltasIn(spy)) {
        if (const T *fact = d.as<T>())
            facts << *fact;
    }
    return facts;
}

} // namespace boo::test
