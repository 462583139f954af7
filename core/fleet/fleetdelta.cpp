#include "core/fleet/fleetdelta.h"

#include "core/fleet/wirejson.h"
#include "core/protocol/jsonfields.h"

using namespace Qt::StringLiterals;

namespace boo {

QString FleetDelta::wireType() const
{
    switch (kind) {
    case Kind::Host:
    case Kind::Removed: return u"control_fleet"_s;
    case Kind::Activity: return u"control_activity"_s;
    case Kind::Perf: return u"control_perf"_s;
    case Kind::Log: return u"control_log"_s;
    case Kind::Job: return u"control_job"_s;
    }
    return {};
}

QJsonObject FleetDelta::toJson(qint64 nowMs) const
{
    QJsonObject o{{u"type"_s, wireType()}, {u"host"_s, hostId}, {u"seq"_s, qint64(seq)}};
    switch (kind) {
    case Kind::Host: o.insert(u"data"_s, host.toJson(nowMs)); break;
    case Kind::Removed: o.insert(u"removed"_s, true); break;
    case Kind::Activity: {
        QJsonArray rows;
        for (const ActivityEntry &e : activity)
            rows.append(wirejson::fromActivity(e));
        o.insert(u"data"_s, rows);
        break;
    }
    case Kind::Perf: {
        QJsonArray samples;
        for (const GpuSample &g : gpuSamples)
            samples.append(wirejson::fromGpu(g));
        o.insert(u"data"_s, samples);
        break;
    }
    case Kind::Log:
        o.insert(u"source"_s, logSource);
        o.insert(u"data"_s, wirejson::fromLogLines(logLines));
        if (logReplace)
            o.insert(u"replace"_s, true);
        break;
    case Kind::Job: o.insert(u"data"_s, job); break;
    }
    return o;
}

Result<FleetDelta> FleetDelta::fromJson(const QJsonObject &object)
{
    JsonFields f(object, u"delta"_s);
    FleetDelta d;
    const QString type = f.string(u"type"_s, JsonFields::Required);
    d.hostId = f.string(u"host"_s, JsonFields::Required);
    d.seq = quint64(f.integer(u"seq"_s, JsonFields::Required));
    if (f.failed())
        return f.error();
    const QString context = u"%1 for host %2"_s.arg(type, d.hostId);

    if (type == u"control_fleet"_s) {
        if (f.boolean(u"removed"_s)) {
            d.kind = Kind::Removed;
            return d;
        }
        auto host = HostView::fromJson(f.object(u"data"_s, JsonFields::Required));
        if (f.failed())
            return f.error();
        if (!host)
            return host.error();
        d.kind = Kind::Host;
        d.host = *host;
    } else if (type == u"control_activity"_s) {
        auto rows = wirejson::toActivities(f.array(u"data"_s), context);
        if (!rows)
            return rows.error();
        d.kind = Kind::Activity;
        d.activity = *rows;
    } else if (type == u"control_perf"_s) {
        auto samples = wirejson::toGpus(f.array(u"data"_s), context);
        if (!samples)
            return samples.error();
        d.kind = Kind::Perf;
        d.gpuSamples = *samples;
    } else if (type == u"control_log"_s) {
        d.kind = Kind::Log;
        d.logSource = f.string(u"source"_s, JsonFields::Required);
        d.logLines = wirejson::toLogLines(f.array(u"data"_s));
        d.logReplace = f.boolean(u"replace"_s);
    } else if (type == u"control_job"_s) {
        d.kind = Kind::Job;
        d.job = f.object(u"data"_s);
    } else {
        return makeError(u"wire.type"_s, u"unknown delta type '%1'"_s.arg(type));
    }
    if (f.failed())
        return f.error();
    return d;
}

} // namespace boo
