#pragma once

#include "core/common/result.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace boo {

// `GET /api/hardware` (v247 and later, schema_version 1): a static snapshot taken when llama-swap
// started. Fields llama-swap marks nullable are empty optionals when it sent null.
struct HardwareInfo
{
    struct Accelerator
    {
        qint64 index = 0;
        QString kind; // gpu | npu | other
        QString rawKind;
        QString vendor;
        QString model;
        std::optional<QString> architecture;
        QString memoryKind; // dedicated | unified | shared_system | unknown
        std::optional<quint64> memoryCapacityBytes;
        std::optional<QString> driverName; // both empty when "driver" is null
        std::optional<QString> driverVersion;
        std::optional<double> powerLimitWatts;

        friend bool operator==(const Accelerator &, const Accelerator &) = default;
    };

    qint64 schemaVersion = 0;
    qint64 capturedAtMs = 0;
    QString captureScope;
    QString captureMethod;
    QString detectorName;
    QString detectorVersion;
    QString architecture; // x86_64 | arm64 | ...
    std::optional<QString> rawArchitecture;
    QString osFamily;
    QString osName;
    QString osVersion;
    std::optional<QString> kernel;
    QString environmentKind; // native | container | ...
    std::optional<QString> environmentName;
    std::optional<QString> environmentVersion;
    QString cpuVendor;
    std::optional<QString> cpuModel;
    std::optional<qint64> cpuSockets;
    std::optional<qint64> cpuPhysicalCores;
    std::optional<qint64> cpuLogicalThreads;
    quint64 memoryCapacityBytes = 0;
    QList<Accelerator> accelerators;

    static Result<HardwareInfo> fromJson(const QByteArray &body);

    friend bool operator==(const HardwareInfo &, const HardwareInfo &) = default;
};

} // namespace boo
