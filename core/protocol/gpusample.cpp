#include "core/protocol/gpusample.h"

#include "core/protocol/jsonfields.h"

using namespace Qt::StringLiterals;

namespace boo {

Result<GpuSample> GpuSample::fromJsonObject(const QJsonObject &object, const QString &context)
{
    JsonFields f(object, context);
    GpuSample s;
    s.timestampMs = f.timestampMs(u"timestamp"_s);
    s.id = int(f.integer(u"id"_s));
    s.name = f.string(u"name"_s);
    s.uuid = f.string(u"uuid"_s);
    s.tempC = f.integer(u"temp_c"_s);
    s.vramTempC = f.integer(u"vram_temp_c"_s);
    s.gpuUtilPct = f.number(u"gpu_util_pct"_s);
    s.memUtilPct = f.number(u"mem_util_pct"_s);
    s.memUsedMb = f.integer(u"mem_used_mb"_s);
    s.memTotalMb = f.integer(u"mem_total_mb"_s);
    s.fanSpeedPct = f.number(u"fan_speed_pct"_s);
    s.powerDrawW = f.number(u"power_draw_w"_s);
    if (f.failed())
        return f.error();
    return s;
}

} // namespace boo
