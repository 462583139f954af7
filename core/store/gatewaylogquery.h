#pragma once

#include "core/common/result.h"
#include "core/store/historyrows.h"

#include <QJsonObject>
#include <QList>

#include <optional>

namespace boo {

class Database;

// Which dispatch log entries to read: newest first, one page at a time (keyset cursor).
struct GatewayLogFilter
{
    static constexpr int kMaxLimit = 1000;

    QString source;
    QString model; // the requested model
    QString policy;
    QString provider;               // the chosen host
    std::optional<int> statusClass; // 2, 4, 5
    std::optional<qint64> sinceMs;
    std::optional<qint64> untilMs;
    int limit = 100;
    std::optional<qint64> beforeId;
};

struct GatewayLogEntry
{
    qint64 id = 0;
    GatewayDispatchRow row;

    // The wire form of GET /api/gateway/log (RoutingApi writes it, attached cockpits read it
    // back). Reading is strict: a field of the wrong type is an error naming it.
    QJsonObject toJson() const;
    static Result<GatewayLogEntry> fromJson(const QJsonObject &object);
};

struct GatewayLogPage
{
    QList<GatewayLogEntry> entries;
    std::optional<qint64> nextBeforeId;
};

// Totals per X-Boo-Source: what the hosts recorded for attributed requests (control_requests)
// next to what the gateway saw (gateway_dispatch_log).
struct SourceTotals
{
    QString source;
    qint64 requests = 0;  // dispatches
    qint64 failed = 0;    // dispatches whose client got a 4xx/5xx (a client abort is not a failure)
    qint64 aborted = 0;   // dispatches whose client went away first (499)
    qint64 failovers = 0; // dispatches that needed more than one attempt
    double overheadMsAvg = 0;
    qint64 hostRequests = 0; // attributed activity rows
    qint64 inputTokens = 0;
    qint64 outputTokens = 0;

    QJsonObject toJson() const;
};

class GatewayLogQuery final
{
public:
    static Result<GatewayLogPage> fetch(Database &db, const GatewayLogFilter &filter);
    static Result<QList<SourceTotals>> sourceTotals(Database &db, std::optional<qint64> sinceMs, std::optional<qint64> untilMs);
};

} // namespace boo
