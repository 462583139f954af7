#include "core/fleet/fleetdelta.h"

#include "core/fleet/wirejson.h"
#include "core/protocol/jsonfields.h"

#include <type_traits>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

void insertData(QJsonObject &o, const HostChanged &c, qint64 nowMs)
{
    o.insert(u"data"_s, c.host.toJson(nowMs));
}

void insertData(QJsonObject &o, const HostRemoved &, qint64)
{
    o.insert(u"removed"_s, true);
}

void insertData(QJsonObject &o, const RequestsFinished &c, qint64)
{
    QJsonArray rows;
    for (const ActivityEntry &e : c.rows)
        rows.append(wirejson::fromActivity(e));
    o.insert(u"data"_s, rows);
}

void insertData(QJsonObject &o, const GpuSampled &c, qint64)
{
    QJsonArray samples;
    for (const GpuSample &g : c.samples)
        samples.append(wirejson::fromGpu(g));
    o.insert(u"data"_s, samples);
}

void insertData(QJsonObject &o, const LogAppended &c, qint64)
{
    o.insert(u"source"_s, c.source);
    o.insert(u"data"_s, wirejson::fromLogLines(c.lines));
    if (c.replace)
        o.insert(u"replace"_s, true);
}

void insertData(QJsonObject &o, const JobUpdated &c, qint64)
{
    o.insert(u"data"_s, c.job);
}

// History facts have no wire form.
template <typename T>
void insertData(QJsonObject &, const T &, qint64)
{
}

Result<FleetChange> changeFromJson(const QString &type, JsonFields &f, const QString &context)
{
    if (type == u"control_fleet"_s) {
        if (f.boolean(u"removed"_s))
            return FleetChange(HostRemoved{});
        auto host = HostState::fromJson(f.object(u"data"_s, JsonFields::Required));
        if (f.failed())
            return f.error();
        if (!host)
            return host.error();
        return FleetChange(HostChanged{*host});
    }
    if (type == u"control_activity"_s) {
        auto rows = wirejson::toActivities(f.array(u"data"_s), context);
        if (!rows)
            return rows.error();
        return FleetChange(RequestsFinished{*rows});
    }
    if (type == u"control_perf"_s) {
        auto samples = wirejson::toGpus(f.array(u"data"_s), context);
        if (!samples)
            return samples.error();
        return FleetChange(GpuSampled{*samples});
    }
    if (type == u"control_log"_s) {
        LogAppended log;
        log.source = f.string(u"source"_s, JsonFields::Required);
        log.lines = wirejson::toLogLines(f.stringList(u"data"_s));
        log.replace = f.boolean(u"replace"_s);
        return FleetChange(std::move(log));
    }
    if (type == u"control_job"_s)
        return FleetChange(JobUpdated{f.object(u"data"_s)});
    return makeError(u"wire.type"_s, u"unknown delta type '%1'"_s.arg(type));
}

} // namespace

bool FleetDelta::isStateChange() const
{
    return std::visit([](const auto &c) { return kIsStateChange<std::decay_t<decltype(c)>>; }, change);
}

QString FleetDelta::wireType() const
{
    return std::visit([](const auto &c) { return kWireType<std::decay_t<decltype(c)>>.toString(); }, change);
}

QJsonObject FleetDelta::toJson(qint64 nowMs) const
{
    QJsonObject o{{u"type"_s, wireType()}, {u"host"_s, hostId}, {u"seq"_s, qint64(seq)}};
    std::visit([&](const auto &c) { insertData(o, c, nowMs); }, change);
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
    auto change = changeFromJson(type, f, u"%1 for host %2"_s.arg(type, d.hostId));
    if (!change)
        return change.error();
    if (f.failed())
        return f.error();
    d.change = std::move(change).value();
    return d;
}

} // namespace boo
