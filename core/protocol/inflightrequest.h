#pragma once

#include "core/common/result.h"

#include <QJsonObject>
#include <QMap>
#include <QString>

#include <optional>

namespace boo {

// A request that is still being served (an in-flight entry of the `inflight` SSE message).
// v235–v239 send only id, timestamp, model, req_path, method and metadata; the headers, byte and
// elapsed fields arrived with v240 and are empty / unknown before.
struct InFlightRequest
{
    QString id;             // per server instance, restarts at "1" on reload
    qint64 timestampMs = 0; // when the request entered the pipeline
    QString model;
    QString reqPath;
    QString method;
    QMap<QString, QString> reqHeaders; // secrets arrive as "[REDACTED]"
    QString remoteIp;
    QMap<QString, QString> respHeaders; // {} until the response status is written
    std::optional<qint64> respBytes;
    std::optional<qint64> elapsedMs; // at the time the event was published
    QMap<QString, QString> metadata;

    static Result<InFlightRequest> fromJsonObject(const QJsonObject &object, const QString &context);

    friend bool operator==(const InFlightRequest &, const InFlightRequest &) = default;
};

} // namespace boo
