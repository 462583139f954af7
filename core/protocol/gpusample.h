#pragma once

#include "core/common/result.h"

#include <QJsonObject>
#include <QString>

namespace boo {

// One GPU sample of `GET /api/performance` (GpuStat). llama-swap writes 0 for metrics its GPU
// tool cannot read (vram_temp_c is always 0 with nvidia-smi); telling "0" from "not available"
// is left to the caller, which knows the GPU tool.
struct GpuSample
{
    qint64 timestampMs = 0;
    int id = 0; // device index
    QString name;
    QString uuid;
    qint64 tempC = 0;
    qint64 vramTempC = 0;
    double gpuUtilPct = 0;
    double memUtilPct = 0; // VRAM occupancy (used / total), not bandwidth
    qint64 memUsedMb = 0;
    qint64 memTotalMb = 0;
    double fanSpeedPct = 0;
    double powerDrawW = 0;

    static Result<GpuSample> fromJsonObject(const QJsonObject &object, const QString &context);

    friend bool operator==(const GpuSample &, const GpuSample &) = default;
};

} // namespace boo
