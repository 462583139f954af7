#pragma once

#include "core/common/result.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace boo {

// One system sample of `GET /api/performance` (SysStat). Network counters are cumulative since
// the host booted; rates are derived by the caller from two samples.
struct SystemSample
{
    struct NetInterface
    {
        QString name;
        quint64 bytesRecv = 0;
        quint64 bytesSent = 0;

        friend bool operator==(const NetInterface &, const NetInterface &) = default;
    };

    qint64 timestampMs = 0;
    QList<double> cpuUtilPerCore; // 0..100 per core
    qint64 memTotalMb = 0;
    qint64 memUsedMb = 0;
    qint64 memFreeMb = 0;
    qint64 swapTotalMb = 0;
    qint64 swapUsedMb = 0;
    double loadAvg1 = 0;
    double loadAvg5 = 0;
    double loadAvg15 = 0;
    QList<NetInterface> netIo;

    static Result<SystemSample> fromJsonObject(const QJsonObject &object, const QString &context);

    friend bool operator==(const SystemSample &, const SystemSample &) = default;
};

} // namespace boo
