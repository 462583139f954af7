#pragma once

#include "core/actions/hostaction.h"
#include "core/common/enumnames.h"

#include <QMetaType>

#include <optional>

namespace boo {

// Where an action stands, as one value: published as a `control_job` delta (so an attached
// cockpit sees the progress of actions run by the server) and kept by the action history.
struct ActionJob
{
    enum class State {
        Queued, // waiting behind other actions of the same host
        Running,
        Succeeded,
        Failed,  // the host refused or did not answer
        Skipped, // stale when its turn came: host down, waited too long, nothing left to do
        Refused, // never queued: host down or unknown, queue full, invalid action
    };
    static constexpr EnumName<State> kStateNames[] = {
        {State::Queued, u"queued"}, {State::Running, u"running"}, {State::Succeeded, u"succeeded"},
        {State::Failed, u"failed"}, {State::Skipped, u"skipped"}, {State::Refused, u"refused"},
    };

    HostAction action;
    State state = State::Queued;
    QString message;                  // the host's answer or why it failed / was skipped
    qint64 atMs = 0;                  // when this state was reached
    std::optional<qint64> durationMs; // how long it ran (finished states)

    bool isFinished() const { return state != State::Queued && state != State::Running; }

    static QString stateName(State state);
    static std::optional<State> stateFromName(QStringView name);

    // The `data` of a control_job delta: {"job":"action", ...action, "state", "message", "at", "duration_ms"}.
    QJsonObject toJson() const;
    // Fails for malformed objects and for jobs that are not actions ("job" other than "action").
    static Result<ActionJob> fromJson(const QJsonObject &object);
};

} // namespace boo

Q_DECLARE_METATYPE(boo::ActionJob)
