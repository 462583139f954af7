#include "core/fleet/fleetstate.h"

#include "core/fleet/wirejson.h"
#include "core/protocol/jsonfields.h"

using namespace Qt::StringLiterals;

// FleetState::Snapshot as JSON: what /api/ws/control sends a client on join, and what an
// attached cockpit loads before it applies deltas.

namespace boo {

QJsonObject FleetState::Snapshot::toJson(qint64 nowMs) const
{
    QJsonArray hostArray;
    for (const HostSnapshot &hs : hosts) {
        QJsonObject object = hs.state.toJson(nowMs);
        QJsonObject logs;
        for (auto it = hs.logs.cbegin(); it != hs.logs.cend(); ++it)
            logs.insert(it.key(), wirejson::fromLogLines(it.value()));
        QJsonArray recent;
        for (const ActivityEntry &e : hs.recentActivity)
            recent.append(wirejson::fromActivity(e));
        object.insert(u"logs"_s, logs);
        object.insert(u"recent_activity"_s, recent);
        hostArray.append(object);
    }
    return QJsonObject{{u"type"_s, u"control_snapshot"_s}, {u"taken_at"_s, nowMs}, {u"hosts"_s, hostArray}};
}

Result<FleetState::Snapshot> FleetState::Snapshot::fromJson(const QJsonObject &object)
{
    JsonFields f(object, u"snapshot"_s);
    const QList<QJsonObject> hostObjects = f.objectList(u"hosts"_s, JsonFields::Required);
    if (f.failed())
        return f.error();
    Snapshot snapshot;
    for (const QJsonObject &hostObject : hostObjects) {
        auto view = HostState::fromJson(hostObject);
        if (!view)
            return view.error();
        HostSnapshot hs;
        hs.state = *view;
        JsonFields host(hostObject, u"snapshot of host %1"_s.arg(hs.state.id));
        JsonFields logs = host.child(u"logs"_s, host.object(u"logs"_s));
        for (const QString &source : logs.json().keys())
            hs.logs.insert(source, wirejson::toLogLines(logs.stringList(source)));
        const QJsonArray recentArray = host.array(u"recent_activity"_s);
        if (logs.failed())
            return logs.error();
        if (host.failed())
            return host.error();
        auto recent = wirejson::toActivities(recentArray, u"host %1 recent activity"_s.arg(hs.state.id));
        if (!recent)
            return recent.error();
        hs.recentActivity = *recent;
        snapshot.hosts << hs;
    }
    return snapshot;
}

} // namespace boo
