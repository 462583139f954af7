#pragma once

#include "core/common/result.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

#include <optional>

namespace boo {

// One finished request as llama-swap records it (ActivityLogEntry): a row of
// /api/metrics/activity, an element of the legacy /api/metrics array and of the legacy `metrics`
// SSE message (same field names in every release).
//
// "Not reported" is an empty optional, never a made-up zero (docs/protocol.md, "Sentinels"):
//  * speeds <= 0 and token counts < 0 (llama-swap writes -1) are unknown;
//  * cache_tokens <= 0 is unknown (llama-swap's own UI shows "-" for it);
//  * a non-200 row whose token object is all zeros means "nothing could be parsed": every count
//    and speed is unknown and tokensReported is false;
//  * a field an older release did not send at all is unknown too.
struct ActivityEntry
{
    qint64 id = 0;          // also the capture id; legacy (<= v235) ids start at 0
    qint64 timestampMs = 0; // UTC epoch ms of when the response finished
    QString model;
    QString reqPath;
    QString respContentType;
    int respStatusCode = 0;
    std::optional<qint64> cacheTokens;
    std::optional<qint64> draftTokens;
    std::optional<qint64> draftAcceptedTokens;
    std::optional<qint64> inputTokens;
    std::optional<qint64> outputTokens;
    std::optional<double> promptPerSecond;
    std::optional<double> tokensPerSecond;
    bool tokensReported = true; // false: the host parsed nothing from the response
    qint64 durationMs = 0;
    bool hasCapture = false;
    QString errorMessage;            // error_msg; empty = none
    QMap<QString, QString> metadata; // fifo_priority, selector, ...
    QString src;                     // v251+: the caller tag ("xff:10.0.0.7"); empty = none

    // A client that left before any response was written (v251+: 499, never sent). An abort,
    // not a failure of the host.
    bool isClientAbort() const;

    static Result<ActivityEntry> fromJsonObject(const QJsonObject &object, const QString &context);
    // Each element is "<context> row <index>" in messages.
    static Result<QList<ActivityEntry>> listFromJsonArray(const QJsonArray &array, const QString &context);
    // The legacy (<= v235) `GET /api/metrics` body: a plain array of entries.
    static Result<QList<ActivityEntry>> listFromLegacyMetricsJson(const QByteArray &body);

    friend bool operator==(const ActivityEntry &, const ActivityEntry &) = default;
};

} // namespace boo
