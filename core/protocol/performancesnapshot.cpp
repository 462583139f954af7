#include "core/protocol/performancesnapshot.h"

#include "core/protocol/jsonfields.h"

using namespace Qt::StringLiterals;

namespace boo {

Result<PerformanceSnapshot> PerformanceSnapshot::fromJson(const QByteArray &body)
{
    const QString what = u"/api/performance"_s;
    auto object = JsonFields::parseObject(body, what);
    if (!object)
        return object.error();
    JsonFields f(*object, what);
    PerformanceSnapshot snapshot;
    snapshot.enabled = f.boolean(u"enabled"_s);
    const auto gpus = f.nullableArray(u"gpu_stats"_s);
    const auto systems = f.nullableArray(u"sys_stats"_s);
    if (f.failed())
        return f.error();
    if (gpus) {
        auto samples = decodeEach(*gpus, u"gpu sample %1"_s, &GpuSample::fromJsonObject);
        if (!samples)
            return samples.error();
        snapshot.gpuStats = std::move(*samples);
    }
    if (systems) {
        auto samples = decodeEach(*systems, u"system sample %1"_s, &SystemSample::fromJsonObject);
        if (!samples)
            return samples.error();
        snapshot.sysStats = std::move(*samples);
    }
    return snapshot;
}

} // namespace boo
