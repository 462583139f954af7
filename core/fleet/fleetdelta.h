#pragma once

#include "core/fleet/hostview.h"
#include "core/protocol/activityentry.h"
#include "core/protocol/loglinesplitter.h"

#include <QJsonObject>
#include <QMetaType>

namespace boo {

// One change to FleetState, stamped with the host's new seq. The same value drives the
// in-process GUI models and, as JSON, the WebSocket feed of `boocontrol --serve`; an attached
// cockpit applies the JSON with the same code (FleetState::apply), so both see the same truth.
struct FleetDelta
{
    enum class Kind {
        Host,       // control_fleet: the host's whole new view
        Removed,    // control_fleet with "removed": the host is no longer watched
        Activity,   // control_activity: finished requests
        Perf,       // control_perf: new GPU samples
        Log,        // control_log: complete log lines of one source
        Job,        // control_job: progress of an action or background job
    };

    Kind kind = Kind::Host;
    QString hostId;
    quint64 seq = 0;
    HostView host;                    // Host
    QList<ActivityEntry> activity;    // Activity
    QList<GpuSample> gpuSamples;      // Perf
    QString logSource;                // Log: "proxy", "upstream"
    QList<LogLine> logLines;          // Log
    bool logReplace = false;          // Log: the lines are the host's whole history (reconnect)
    QJsonObject job;                  // Job

    QString wireType() const;
    QJsonObject toJson(qint64 nowMs) const;
    static Result<FleetDelta> fromJson(const QJsonObject &object);
};

} // namespace boo

Q_DECLARE_METATYPE(boo::FleetDelta)
