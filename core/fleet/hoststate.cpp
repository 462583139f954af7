#include "core/fleet/hoststate.h"

#include "core/fleet/wirejson.h"
#include "core/protocol/jsonfields.h"

using namespace Qt::StringLiterals;

namespace boo {

namespace {

void putOptional(QJsonObject &object, const QString &key, const std::optional<qint64> &value)
{
    if (value)
        object.insert(key, *value);
}

} // namespace

std::optional<qint64> HostedModel::ttlRemainingSeconds(qint64 nowMs) const
{
    if (state != ModelState::Ready || !ttlSeconds || *ttlSeconds <= 0 || inflight > 0)
        return std::nullopt;
    // llama-swap counts from the end of the last request, or from when the model became ready.
    const qint64 idleSince = std::max(stateSinceMs, lastUsedMs.value_or(0));
    const qint64 remainingMs = *ttlSeconds * 1000 - (nowMs - idleSince);
    return std::max<qint64>(0, (remainingMs + 999) / 1000);
}

std::optional<qint64> HostedModel::uptimeMs(qint64 nowMs) const
{
    if (state != ModelState::Ready || !reportedUptimeMs)
        return std::nullopt;
    return *reportedUptimeMs + std::max<qint64>(0, nowMs - uptimeReportedAtMs);
}

QJsonObject HostedModel::toJson(qint64 nowMs) const
{
    QJsonObject o{{u"id"_s, id},
                  {u"name"_s, name},
                  {u"state"_s, stateText.isEmpty() ? modelStateName(state) : stateText},
                  {u"state_since"_s, stateSinceMs},
                  {u"inflight"_s, inflight}};
    if (unlisted)
        o.insert(u"unlisted"_s, true);
    if (!peerId.isEmpty())
        o.insert(u"peer_id"_s, peerId);
    if (!aliases.isEmpty())
        o.insert(u"aliases"_s, QJsonArray::fromStringList(aliases));
    putOptional(o, u"context_length"_s, contextLength);
    if (!capabilities.isEmpty()) {
        QJsonObject caps;
        for (auto it = capabilities.cbegin(); it != capabilities.cend(); ++it)
            caps.insert(it.key(), it.value());
        o.insert(u"capabilities"_s, caps);
    }
    putOptional(o, u"ttl_s"_s, ttlSeconds);
    putOptional(o, u"ttl_remaining_s"_s, ttlRemainingSeconds(nowMs));
    putOptional(o, u"last_used_at"_s, lastUsedMs);
    putOptional(o, u"last_load_ms"_s, lastLoadMs);
    putOptional(o, u"ready_since"_s, readySinceMs);
    if (const auto uptime = uptimeMs(nowMs)) {
        o.insert(u"uptime_ms"_s, *uptime);
        o.insert(u"uptime_at"_s, nowMs); // when uptime_ms held: a reader adds its time since
    }
    return o;
}

Result<HostedModel> HostedModel::fromJson(const QJsonObject &object)
{
    JsonFields f(object, u"model"_s);
    HostedModel m;
    m.id = f.string(u"id"_s, JsonFields::Required);
    m.name = f.string(u"name"_s);
    m.stateText = f.string(u"state"_s);
    m.state = modelStateFromString(m.stateText);
    m.stateSinceMs = f.integer(u"state_since"_s);
    m.inflight = int(f.integer(u"inflight"_s));
    m.unlisted = f.boolean(u"unlisted"_s);
    m.peerId = f.string(u"peer_id"_s);
    m.aliases = f.stringList(u"aliases"_s);
    m.contextLength = f.optionalInteger(u"context_length"_s);
    m.capabilities = f.boolMap(u"capabilities"_s);
    m.ttlSeconds = f.optionalInteger(u"ttl_s"_s);
    m.lastUsedMs = f.optionalInteger(u"last_used_at"_s);
    m.lastLoadMs = f.optionalInteger(u"last_load_ms"_s);
    m.readySinceMs = f.optionalInteger(u"ready_since"_s);
    m.reportedUptimeMs = f.optionalInteger(u"uptime_ms"_s);
    m.uptimeReportedAtMs = f.integer(u"uptime_at"_s);
    if (f.failed())
        return f.error();
    return m;
}

QJsonObject SwapRecord::toJson() const
{
    QJsonObject o{{u"from"_s, QJsonArray::fromStringList(from)}, {u"to"_s, to}, {u"started_at"_s, startedMs}};
    putOptional(o, u"ready_at"_s, readyMs);
    return o;
}

Result<SwapRecord> SwapRecord::fromJson(const QJsonObject &object)
{
    JsonFields f(object, u"swap"_s);
    SwapRecord s;
    s.from = f.stringList(u"from"_s);
    s.to = f.string(u"to"_s);
    s.startedMs = f.integer(u"started_at"_s);
    s.readyMs = f.optionalInteger(u"ready_at"_s);
    if (f.failed())
        return f.error();
    return s;
}

const HostedModel *HostState::model(const QString &modelId) const
{
    for (const HostedModel &m : models) {
        if (m.id == modelId)
            return &m;
    }
    return nullptr;
}

QList<int> HostState::requestRateAt(qint64 nowMs) const
{
    QList<int> rate(kRateMinutes, 0);
    const qint64 shift = nowMs / 60'000 - rateMinute;
    for (qsizetype i = 0; i < requestsPerMinute.size(); ++i) {
        const qint64 target = i - shift;
        if (target >= 0 && target < kRateMinutes)
            rate[target] = requestsPerMinute.at(i);
    }
    return rate;
}

QJsonObject HostState::toJson(qint64 nowMs) const
{
    QJsonArray modelArray, inflightArray, gpuArray, rate;
    for (const HostedModel &m : models)
        modelArray.append(m.toJson(nowMs));
    for (const InFlightRequest &r : inflight)
        inflightArray.append(wirejson::fromInFlight(r));
    for (const GpuSample &g : gpus)
        gpuArray.append(wirejson::fromGpu(g));
    for (int n : requestsPerMinute)
        rate.append(n);

    QJsonObject o{{u"id"_s, id},
                  {u"name"_s, name},
                  {u"base_url"_s, baseUrl},
                  {u"liveness"_s, livenessName(liveness)},
                  {u"last_seen_at"_s, lastSeenMs ? QJsonValue(*lastSeenMs) : QJsonValue()},
                  {u"gap_suspected"_s, gapSuspected},
                  {u"seq"_s, qint64(seq)},
                  {u"version"_s, version},
                  {u"generation"_s, generation},
                  {u"models"_s, modelArray},
                  {u"inflight"_s, inflightCount},
                  {u"inflight_requests"_s, inflightArray},
                  {u"gpus"_s, gpuArray},
                  {u"last_activity_id"_s, lastActivityId},
                  {u"requests_total"_s, requestsSeen},
                  {u"input_tokens_total"_s, inputTokensSeen},
                  {u"output_tokens_total"_s, outputTokensSeen},
                  {u"requests_per_minute"_s, rate},
                  {u"rate_minute"_s, rateMinute},
                  {u"rate_window"_s, recentRate.toJson()},
                  {u"requests_last_minute"_s, rateAt(nowMs).requests}};
    putOptional(o, u"gap_suspected_at"_s, gapSuspectedMs);
    if (!lastError.isEmpty())
        o.insert(u"last_error"_s, lastError);
    if (activeProfile)
        o.insert(u"active_profile"_s, *activeProfile);
    putOptional(o, u"global_concurrency_limit"_s, globalConcurrencyLimit);
    if (lastSwap)
        o.insert(u"last_swap"_s, lastSwap->toJson());
    return o;
}

Result<HostState> HostState::fromJson(const QJsonObject &object)
{
    JsonFields f(object, u"host"_s);
    HostState h;
    h.id = f.string(u"id"_s, JsonFields::Required);
    h.name = f.string(u"name"_s);
    h.baseUrl = f.string(u"base_url"_s);
    h.liveness = f.enumValue(u"liveness"_s, kLivenessNames, JsonFields::Required).value_or(h.liveness);
    h.lastSeenMs = f.optionalInteger(u"last_seen_at"_s);
    h.gapSuspected = f.boolean(u"gap_suspected"_s);
    h.gapSuspectedMs = f.optionalInteger(u"gap_suspected_at"_s);
    h.seq = quint64(f.integer(u"seq"_s, JsonFields::Required));
    h.version = f.string(u"version"_s);
    h.generation = f.string(u"generation"_s);
    h.lastError = f.string(u"last_error"_s);
    h.activeProfile = f.nullableString(u"active_profile"_s);
    h.globalConcurrencyLimit = f.optionalInteger(u"global_concurrency_limit"_s);
    h.inflightCount = f.integer(u"inflight"_s);
    h.lastActivityId = f.integer(u"last_activity_id"_s);
    h.requestsSeen = f.integer(u"requests_total"_s);
    h.inputTokensSeen = f.integer(u"input_tokens_total"_s);
    h.outputTokensSeen = f.integer(u"output_tokens_total"_s);
    h.rateMinute = f.integer(u"rate_minute"_s);
    const QList<QJsonObject> models = f.objectList(u"models"_s);
    const QJsonArray inflight = f.array(u"inflight_requests"_s);
    const QJsonArray gpus = f.array(u"gpus"_s);
    const QList<qint64> rate = f.integerList(u"requests_per_minute"_s);
    const QJsonArray rateWindow = f.array(u"rate_window"_s);
    const auto swap = f.nullableObject(u"last_swap"_s);
    if (f.failed())
        return f.error();

    for (const QJsonObject &value : models) {
        auto model = HostedModel::fromJson(value);
        if (!model)
            return model.error();
        h.models << *model;
    }
    auto requests = wirejson::toInFlights(inflight, u"host %1 inflight"_s.arg(h.id));
    if (!requests)
        return requests.error();
    h.inflight = *requests;
    auto samples = wirejson::toGpus(gpus, u"host %1 gpus"_s.arg(h.id));
    if (!samples)
        return samples.error();
    h.gpus = *samples;
    for (qint64 count : rate)
        h.requestsPerMinute << int(count);
    auto recent = RequestRate::fromJson(rateWindow);
    if (!recent)
        return recent.error();
    h.recentRate = *recent;
    if (swap) {
        auto record = SwapRecord::fromJson(*swap);
        if (!record)
            return record.error();
        h.lastSwap = *record;
    }
    return h;
}

} // namespace boo
