#pragma once

#include "core/common/result.h"
#include "core/fleet/liveness.h"
#include "core/fleet/requestrate.h"
#include "core/protocol/gpusample.h"
#include "core/protocol/inflightrequest.h"
#include "core/protocol/modelstate.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace boo {

// One model on a host, as the cockpit shows it.
struct HostedModel
{
    QString id;
    QString name;
    ModelState state = ModelState::Stopped;
    QString stateText; // as the host sent it
    bool unlisted = false;
    QString peerId; // empty for local models
    QStringList aliases;
    std::optional<qint64> contextLength;
    QMap<QString, bool> capabilities; // as the host reports them (vision, function_calling, reranker, ...)
    qint64 stateSinceMs = 0;          // when we first saw the current state
    std::optional<qint64> ttlSeconds; // configured TTL from /running (0 = never unloads)
    std::optional<qint64> lastUsedMs; // the last request for this model finished
    std::optional<qint64> lastLoadMs; // duration of the last starting -> ready
    int inflight = 0;                 // requests for this model in flight now
    // v251+ hosts say, while a model is ready, since when (host clock) and how long (host count):
    // uptime is the host's count plus our time since it said so, so that clock skew cannot bend it.
    std::optional<qint64> readySinceMs;
    std::optional<qint64> reportedUptimeMs;
    qint64 uptimeReportedAtMs = 0; // our clock

    bool isLoaded() const { return state == ModelState::Starting || state == ModelState::Ready; }
    // Seconds until llama-swap's TTL check unloads this model. Empty when it is not ready, has no
    // TTL, or is busy (the countdown only runs while the model is idle).
    std::optional<qint64> ttlRemainingSeconds(qint64 nowMs) const;
    // How long the model has been ready, when the host reports it (v251+) and it is ready.
    std::optional<qint64> uptimeMs(qint64 nowMs) const;

    QJsonObject toJson(qint64 nowMs) const;
    static Result<HostedModel> fromJson(const QJsonObject &object);
    friend bool operator==(const HostedModel &, const HostedModel &) = default;
};

// A swap as llama-swap performs it: models stopping while another starts.
struct SwapRecord
{
    QStringList from; // models that stopped to make room (may be empty)
    QString to;
    qint64 startedMs = 0;
    std::optional<qint64> readyMs; // empty while loading, or when the load failed

    QJsonObject toJson() const;
    static Result<SwapRecord> fromJson(const QJsonObject &object);
    friend bool operator==(const SwapRecord &, const SwapRecord &) = default;
};

// Everything the cockpit knows about one host right now. Small enough to copy: lists are
// implicitly shared, and a change to a host is published as the host's whole new view.
struct HostState
{
    static constexpr int kRateMinutes = 30;

    QString id;
    QString name;
    QString baseUrl;
    Liveness liveness = Liveness::Reconnecting;
    std::optional<qint64> lastSeenMs;
    bool gapSuspected = false;
    std::optional<qint64> gapSuspectedMs;
    quint64 seq = 0;
    QString version;    // as /api/version says, e.g. "v250-5-g0bdb37"
    QString generation; // protocolGenerationName(), empty until known
    QString lastError;  // why the last connection attempt failed
    std::optional<QString> activeProfile;
    // v251+ `globalConcurrencyLimit` when the host publishes it (uiConfig): all models together.
    std::optional<qint64> globalConcurrencyLimit;
    QList<HostedModel> models;
    QList<InFlightRequest> inflight;
    qint64 inflightCount = 0; // == inflight.size(), except hosts <= v234 that send a count only
    QList<GpuSample> gpus;    // the latest sample of each GPU
    std::optional<SwapRecord> lastSwap;
    qint64 lastActivityId = 0; // highest activity id seen on this host's current run
    qint64 requestsSeen = 0;   // counters since this process started watching
    qint64 inputTokensSeen = 0;
    qint64 outputTokensSeen = 0;
    QList<int> requestsPerMinute; // kRateMinutes buckets, oldest first, last = current minute
    qint64 rateMinute = 0;        // epoch minute of the last bucket
    RequestRate recentRate;       // the last 60 s by second: what "now" figures read (rateAt)

    const HostedModel *model(const QString &modelId) const;
    // Not connected, or rows of its history may be missing: what "needs attention" means on the
    // Fleet tab's filter and in the fleet summary.
    bool needsAttention() const { return liveness != Liveness::Connected || gapSuspected; }
    // Requests per minute for the kRateMinutes minutes up to `nowMs`, oldest first.
    QList<int> requestRateAt(qint64 nowMs) const;
    // Requests finished in the last 60 s at `nowMs`: the cockpit's one definition of "now".
    RateReading rateAt(qint64 nowMs) const { return recentRate.at(nowMs); }

    QJsonObject toJson(qint64 nowMs) const;
    static Result<HostState> fromJson(const QJsonObject &object);
    friend bool operator==(const HostState &, const HostState &) = default;
};

} // namespace boo

Q_DECLARE_METATYPE(boo::HostState)
