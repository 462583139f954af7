#include "core/actions/actionjob.h"

#include "core/protocol/jsonfields.h"

using namespace Qt::StringLiterals;

namespace boo {

QString ActionJob::stateName(State state)
{
    return enumNameString(kStateNames, state);
}

std::optional<ActionJob::State> ActionJob::stateFromName(QStringView name)
{
    return enumFromName(kStateNames, name);
}

QJsonObject ActionJob::toJson() const
{
    QJsonObject o = action.toJson();
    o.insert(u"job"_s, u"action"_s);
    o.insert(u"state"_s, stateName(state));
    o.insert(u"at"_s, atMs);
    if (!message.isEmpty())
        o.insert(u"message"_s, message);
    if (durationMs)
        o.insert(u"duration_ms"_s, *durationMs);
    return o;
}

Result<ActionJob> ActionJob::fromJson(const QJsonObject &object)
{
    if (object.value(u"job"_s).toString() != u"action"_s)
        return makeError(protocolerror::value(), u"job: not an action job"_s);
    auto action = HostAction::fromJson(object);
    if (!action)
        return action.error();
    JsonFields f(object, u"action job"_s);
    ActionJob job;
    job.action = *action;
    const QString state = f.string(u"state"_s, JsonFields::Required);
    job.message = f.string(u"message"_s);
    job.atMs = f.integer(u"at"_s);
    job.durationMs = f.optionalInteger(u"duration_ms"_s);
    if (f.failed())
        return f.error();
    const auto parsed = stateFromName(state);
    if (!parsed)
        return makeError(protocolerror::value(), u"action job: unknown state '%1'"_s.arg(state));
    job.state = *parsed;
    return job;
}

} // namespace boo
