#pragma once

#include "core/protocol/activityentry.h"
#include "core/protocol/gpusample.h"
#include "core/protocol/inflightrequest.h"
#include "core/protocol/loglinesplitter.h"

#include <QJsonArray>
#include <QJsonObject>

namespace boo {

// Our own wire format (the control API and the WebSocket feed of `boocontrol --serve`) reuses
// llama-swap's record shapes for activity rows, in-flight requests and GPU samples, with UTC
// timestamps. Clients therefore decode them with the protocol layer's decoders, and a reader who
// knows llama-swap's API knows ours. Unknown values are written as llama-swap writes them (-1).
namespace wirejson {

QString utcTimestamp(qint64 epochMs);

QJsonObject fromActivity(const ActivityEntry &entry);
QJsonObject fromInFlight(const InFlightRequest &request);
QJsonObject fromGpu(const GpuSample &sample);
QJsonArray fromLogLines(const QList<LogLine> &lines);

Result<QList<ActivityEntry>> toActivities(const QJsonArray &array, const QString &context);
Result<QList<InFlightRequest>> toInFlights(const QJsonArray &array, const QString &context);
Result<QList<GpuSample>> toGpus(const QJsonArray &array, const QString &context);
// The texts come from JsonFields::stringList, which refuses anything but strings.
QList<LogLine> toLogLines(const QStringList &texts);

} // namespace wirejson
} // namespace boo
