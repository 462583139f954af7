#pragma once

#include "core/common/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>
#include <variant>

namespace boo {

// Rows as the history database stores them. Times are UTC epoch milliseconds; an empty
// optional is a value the host did not report (stored as NULL, shown as "unknown").

// One finished request on a host: every field of a llama-swap activity row, plus `source`.
struct RequestRow
{
    QString providerId;
    qint64 swapEntryId = 0; // the host's activity id (restarts at 1 when the host restarts)
    qint64 ts = 0;          // when the response finished
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
    qint64 durationMs = 0;
    bool hasCapture = false;
    QString errorMessage; // empty = none
    QString metadataJson; // compact JSON object, empty = none
    QString source;       // X-Boo-Source of gateway traffic, empty = not attributed
    QString caller;       // the host's own caller tag, activity `src` (v251+, "xff:10.0.0.7"); empty = none

    friend bool operator==(const RequestRow &, const RequestRow &) = default;
};

// One GPU sample from /api/performance.
struct PerfSampleRow
{
    QString providerId;
    int gpu = 0;
    qint64 ts = 0;
    QString name;
    QString uuid;
    std::optional<double> tempC;
    std::optional<double> vramTempC;
    std::optional<double> gpuUtilPct;
    std::optional<double> memUtilPct;
    std::optional<double> memUsedMb;
    std::optional<double> memTotalMb;
    std::optional<double> fanSpeedPct;
    std::optional<double> powerDrawW;

    friend bool operator==(const PerfSampleRow &, const PerfSampleRow &) = default;
};

// The numeric columns of a GPU sample; rollups keep min/avg/max of each.
const QStringList &perfMetricColumns();

// One model state transition seen on a host (stopped / starting / ready / stopping).
struct ModelEventRow
{
    QString providerId;
    QString model;
    QString state;
    QString previousState; // empty when unknown (first sight of the model)
    qint64 ts = 0;

    friend bool operator==(const ModelEventRow &, const ModelEventRow &) = default;
};

// Something that happened to a host as a whole: a liveness transition, a detected restart, a
// suspected gap in its request history, a version change (table control_host_events).
struct HostEventRow
{
    QString providerId;
    qint64 ts = 0;
    QString kind;   // "liveness", "restart", "gap", "version"
    QString detail; // e.g. "connected -> reconnecting: connection refused"

    friend bool operator==(const HostEventRow &, const HostEventRow &) = default;
};

// The latest liveness facts about a host, written over its control_hosts row (the row is
// created from the registry; name/kind/url are repeated so that the upsert can create it too).
struct HostStatusRow
{
    QString providerId;
    QString name;
    QString kind;
    QString baseUrl;
    std::optional<qint64> lastSeenAt;
    QString version;
    bool gapSuspected = false;
    std::optional<qint64> gapSuspectedAt;

    friend bool operator==(const HostStatusRow &, const HostStatusRow &) = default;
};

// One request the gateway handled (table gateway_dispatch_log). `dispatchId` is unique, so a
// replayed row is stored once.
struct GatewayDispatchRow
{
    QString dispatchId;
    qint64 ts = 0; // when the request arrived
    QString source;
    QString requestedModel;
    QString policy;   // empty for direct ids
    QString endpoint; // "/v1/chat/completions", "/upstream/..."
    bool stream = false;
    QString candidatesJson; // [{provider, model, tier, why, outcome}, ...]
    QString attemptsJson;   // [{provider, model, outcome, status, ms}, ...]
    int attempts = 0;
    QString chosenProvider; // empty when no attempt succeeded
    QString chosenModel;
    int status = 0;               // what the client got (499: it went away first)
    std::optional<double> ttftMs; // to the first byte the client received
    double totalMs = 0;
    double overheadMs = 0; // the gateway's own time (ranking, relaying), not the hosts'
    QString error;
    QString consumerKey; // the consumer key's name (docs/keys.md); empty for the server token

    friend bool operator==(const GatewayDispatchRow &, const GatewayDispatchRow &) = default;
};

// A request row whose source was learnt after the row itself was queued: stored like a
// RequestRow, but when the row exists already only its empty `source` is filled in.
struct AttributedRequestRow
{
    RequestRow row;

    friend bool operator==(const AttributedRequestRow &, const AttributedRequestRow &) = default;
};

using HistoryRow
    = std::variant<RequestRow, PerfSampleRow, ModelEventRow, HostEventRow, HostStatusRow, GatewayDispatchRow, AttributedRequestRow>;

// One self-describing JSON object per row: the spill file format (see SpillFile).
QJsonObject historyRowToJson(const HistoryRow &row);
Result<HistoryRow> historyRowFromJson(const QJsonObject &object);

} // namespace boo
