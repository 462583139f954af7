#include "core/protocol/hardwareinfo.h"

#include "core/protocol/jsonfields.h"

using namespace Qt::StringLiterals;

namespace boo {

namespace {

std::optional<quint64> nullableUnsigned(JsonFields &f, const QString &key)
{
    if (f.isNull(key))
        return std::nullopt;
    return f.unsignedInteger(key);
}

Result<HardwareInfo::Accelerator> acceleratorFromJson(const QJsonObject &object, const QString &context)
{
    JsonFields f(object, context);
    HardwareInfo::Accelerator a;
    a.index = f.integer(u"index"_s);
    a.kind = f.string(u"kind"_s);
    a.rawKind = f.string(u"raw_kind"_s);
    a.vendor = f.string(u"vendor"_s);
    a.model = f.string(u"model"_s);
    a.architecture = f.nullableString(u"architecture"_s);
    a.powerLimitWatts = f.optionalNumber(u"power_limit_watts"_s);

    JsonFields memory = f.child(u"memory"_s, f.object(u"memory"_s));
    a.memoryKind = memory.string(u"kind"_s);
    a.memoryCapacityBytes = nullableUnsigned(memory, u"capacity_bytes"_s);
    if (memory.failed())
        f.adopt(memory.error());

    if (const auto driver = f.nullableObject(u"driver"_s)) {
        JsonFields d = f.child(u"driver"_s, *driver);
        a.driverName = d.string(u"name"_s);
        a.driverVersion = d.string(u"version"_s);
        if (d.failed())
            f.adopt(d.error());
    }
    if (f.failed())
        return f.error();
    return a;
}

} // namespace

Result<HardwareInfo> HardwareInfo::fromJson(const QByteArray &body)
{
    const QString what = u"/api/hardware"_s;
    auto object = JsonFields::parseObject(body, what);
    if (!object)
        return object.error();
    JsonFields f(*object, what);
    HardwareInfo h;
    h.schemaVersion = f.integer(u"schema_version"_s, JsonFields::Required);
    h.capturedAtMs = f.timestampMs(u"captured_at"_s, JsonFields::Optional);

    JsonFields capture = f.child(u"capture"_s, f.object(u"capture"_s));
    h.captureScope = capture.string(u"scope"_s);
    h.captureMethod = capture.string(u"method"_s);
    JsonFields detector = capture.child(u"detector"_s, capture.object(u"detector"_s));
    h.detectorName = detector.string(u"name"_s);
    h.detectorVersion = detector.string(u"version"_s);

    JsonFields arch = f.child(u"architecture"_s, f.object(u"architecture"_s));
    h.architecture = arch.string(u"name"_s);
    h.rawArchitecture = arch.nullableString(u"raw_name"_s);

    JsonFields os = f.child(u"operating_system"_s, f.object(u"operating_system"_s));
    h.osFamily = os.string(u"family"_s);
    h.osName = os.string(u"name"_s);
    h.osVersion = os.string(u"version"_s);
    h.kernel = os.nullableString(u"kernel"_s);

    JsonFields env = f.child(u"environment"_s, f.object(u"environment"_s));
    h.environmentKind = env.string(u"kind"_s);
    h.environmentName = env.nullableString(u"name"_s);
    h.environmentVersion = env.nullableString(u"version"_s);

    JsonFields cpu = f.child(u"cpu"_s, f.object(u"cpu"_s));
    h.cpuVendor = cpu.string(u"vendor"_s);
    h.cpuModel = cpu.nullableString(u"model"_s);
    h.cpuSockets = cpu.optionalInteger(u"socket_count"_s);
    h.cpuPhysicalCores = cpu.optionalInteger(u"physical_core_count"_s);
    h.cpuLogicalThreads = cpu.optionalInteger(u"logical_thread_count"_s);

    JsonFields memory = f.child(u"memory"_s, f.object(u"memory"_s));
    h.memoryCapacityBytes = memory.unsignedInteger(u"capacity_bytes"_s);

    for (const JsonFields *part : {&capture, &detector, &arch, &os, &env, &cpu, &memory}) {
        if (part->failed())
            f.adopt(part->error());
    }
    const QJsonArray accelerators = f.array(u"accelerators"_s);
    if (f.failed())
        return f.error();
    auto decoded = decodeEach(accelerators, u"/api/hardware accelerator %1"_s, &acceleratorFromJson);
    if (!decoded)
        return decoded.error();
    h.accelerators = std::move(*decoded);
    return h;
}

} // namespace boo
