#pragma once

#include "core/fleet/hoststate.h"
#include "core/protocol/activityentry.h"
#include "core/protocol/loglinesplitter.h"
#include "core/store/historyrows.h"

#include <QJsonObject>
#include <QMetaType>
#include <QStringView>

#include <variant>

namespace boo {

// The changes FleetState announces, one small value type per kind (docs/architecture.md).
//
// The first six are changes of the live state: each bumps the host's seq, drives the GUI
// models and, as JSON, the WebSocket feed of `boocontrol --serve`; an attached cockpit applies
// the JSON with the same code (FleetState::apply), so both see the same truth.
//
// The rest are facts for history that the state itself does not hold: the HistoryRecorder
// stores them. They leave the seq as it is and never go over the wire.

// control_fleet: the host's whole new state.
struct HostChanged
{
    HostState host;
};

// control_fleet with "removed": the host is no longer watched.
struct HostRemoved
{};

// control_activity: requests the host finished, in its id order.
struct RequestsFinished
{
    QList<ActivityEntry> rows;
};

// control_perf: new GPU samples.
struct GpuSampled
{
    QList<GpuSample> samples;
};

// control_log: complete log lines of one source ("proxy", "upstream").
struct LogAppended
{
    QString source;
    QList<LogLine> lines;
    bool replace = false; // the lines are the host's whole history (sent on reconnect)
};

// control_job: progress of an action or background job.
struct JobUpdated
{
    QJsonObject job;
};

// --- history only

struct LivenessChanged
{
    Liveness from = Liveness::Reconnecting;
    Liveness to = Liveness::Reconnecting;
    qint64 atMs = 0;
    QString error; // why, when the host is not connected
};

struct ModelStateChanged
{
    QString model;
    ModelState from = ModelState::None;
    ModelState to = ModelState::None;
    qint64 atMs = 0;
};

// Something that happened to a host as a whole: "restart" (its activity ids started again),
// "gap" (rows may have been missed).
struct HostIncident
{
    QString kind;
    QString detail;
    qint64 atMs = 0;
};

// The gateway sent a request to a host (hostId) and model. `attemptId` went upstream as
// X-Boo-Dispatch-Id, so the host's capture of the request names it; `source` is the consumer.
struct GatewayAttemptStarted
{
    QString model;
    QString attemptId;
    QString source;
    qint64 startedMs = 0;
};

// That attempt is over (every started attempt ends); `status` 0 when it ended without one
// (cancelled, reset). `source` is the consumer that sent it: when the request reached the host,
// the host's activity row for it is attributed to that source.
struct GatewayAttemptEnded
{
    QString model;
    QString source;
    int status = 0;
    qint64 startedMs = 0;
    qint64 endedMs = 0;
    bool reachedHost = true; // false: refused, or failed before the request was sent
    QString attemptId;
};

// A request the gateway handled, with the hosts it tried (gateway_dispatch_log). Not tied to
// one host: hostId is empty.
struct DispatchFinished
{
    GatewayDispatchRow record;
};

// The wire type of each change of the live state; facts have none. A kind is a state change
// exactly when it has a wire type, so a new kind is put on one side by this table alone.
template <typename T>
inline constexpr QStringView kWireType{};
template <>
inline constexpr QStringView kWireType<HostChanged> = u"control_fleet";
template <>
inline constexpr QStringView kWireType<HostRemoved> = u"control_fleet";
template <>
inline constexpr QStringView kWireType<RequestsFinished> = u"control_activity";
template <>
inline constexpr QStringView kWireType<GpuSampled> = u"control_perf";
template <>
inline constexpr QStringView kWireType<LogAppended> = u"control_log";
template <>
inline constexpr QStringView kWireType<JobUpdated> = u"control_job";

template <typename T>
inline constexpr bool kIsStateChange = !kWireType<T>.isEmpty();

using FleetChange = std::variant<HostChanged, HostRemoved, RequestsFinished, GpuSampled, LogAppended, JobUpdated, LivenessChanged,
                                 ModelStateChanged, HostIncident, GatewayAttemptStarted, GatewayAttemptEnded, DispatchFinished>;

// One change of FleetState: the kind, the host it concerns and the host's seq after it.
struct FleetDelta
{
    QString hostId;
    quint64 seq = 0;
    FleetChange change;

    template <typename T>
    const T *as() const
    {
        return std::get_if<T>(&change);
    }
    template <typename T>
    bool is() const
    {
        return std::holds_alternative<T>(change);
    }

    // Whether it is a change of the live state (sent to attached cockpits), not a history fact.
    bool isStateChange() const;
    // "control_fleet", "control_activity", ...; empty for history facts.
    QString wireType() const;
    QJsonObject toJson(qint64 nowMs) const;
    static Result<FleetDelta> fromJson(const QJsonObject &object);
};

} // namespace boo

Q_DECLARE_METATYPE(boo::FleetDelta)
