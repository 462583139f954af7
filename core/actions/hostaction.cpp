#include "core/actions/hostaction.h"

#include "core/protocol/jsonfields.h"

using namespace Qt::StringLiterals;

namespace boo {

QString HostAction::kindName(Kind kind)
{
    return enumNameString(kKindNames, kind);
}

std::optional<HostAction::Kind> HostAction::kindFromName(QStringView name)
{
    return enumFromName(kKindNames, name);
}

QString HostAction::describe() const
{
    switch (kind) {
    case Kind::Warm: return u"warm "_s + model;
    case Kind::Unload: return u"unload "_s + model;
    case Kind::UnloadAll: return u"unload all models"_s;
    case Kind::Cancel: return u"cancel request "_s + requestId;
    }
    return {};
}

QString HostAction::validate() const
{
    if (hostId.isEmpty())
        return u"the action names no host"_s;
    if ((kind == Kind::Warm || kind == Kind::Unload) && model.isEmpty())
        return u"%1 needs a model"_s.arg(kindName(kind));
    if (kind == Kind::Cancel && requestId.isEmpty())
        return u"cancel needs the id of an in-flight request"_s;
    return {};
}

QJsonObject HostAction::toJson() const
{
    QJsonObject o{{u"id"_s, id}, {u"host"_s, hostId}, {u"action"_s, kindName(kind)}, {u"queued_at"_s, queuedMs}};
    if (!model.isEmpty())
        o.insert(u"model"_s, model);
    if (!requestId.isEmpty())
        o.insert(u"request_id"_s, requestId);
    if (!holder.isEmpty())
        o.insert(u"holder"_s, holder);
    return o;
}

Result<HostAction> HostAction::fromJson(const QJsonObject &object)
{
    JsonFields f(object, u"action"_s);
    HostAction a;
    a.id = f.integer(u"id"_s);
    a.hostId = f.string(u"host"_s, JsonFields::Required);
    const QString kind = f.string(u"action"_s, JsonFields::Required);
    a.model = f.string(u"model"_s);
    a.requestId = f.string(u"request_id"_s);
    a.queuedMs = f.integer(u"queued_at"_s);
    a.holder = f.string(u"holder"_s);
    if (f.failed())
        return f.error();
    const auto parsed = kindFromName(kind);
    if (!parsed)
        return makeError(protocolerror::value(), u"action: unknown action '%1' (%2)"_s.arg(kind, enumChoices(kKindNames)));
    a.kind = *parsed;
    return a;
}

} // namespace boo
