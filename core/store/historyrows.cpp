#include "core/store/historyrows.h"

#include <QJsonValue>

using namespace Qt::StringLiterals;

namespace boo {

const QStringList &perfMetricColumns()
{
    static const QStringList columns{u"temp_c"_s,       u"vram_temp_c"_s, u"gpu_util_pct"_s,  u"mem_util_pct"_s,
                                     u"mem_used_mb"_s,  u"mem_total_mb"_s, u"fan_speed_pct"_s, u"power_draw_w"_s};
    return columns;
}

namespace {

template <typename T>
void putOptional(QJsonObject &object, const QString &key, const std::optional<T> &value)
{
    if (value)
        object.insert(key, static_cast<double>(*value));
}

std::optional<qint64> optionalInt(const QJsonObject &object, const QString &key)
{
    const QJsonValue value = object.value(key);
    if (!value.isDouble())
        return std::nullopt;
    return value.toInteger();
}

std::optional<double> optionalReal(const QJsonObject &object, const QString &key)
{
    const QJsonValue value = object.value(key);
    if (!value.isDouble())
        return std::nullopt;
    return value.toDouble();
}

QJsonObject toJson(const RequestRow &row)
{
    QJsonObject o{{u"kind"_s, u"request"_s},
                  {u"provider"_s, row.providerId},
                  {u"id"_s, row.swapEntryId},
                  {u"ts"_s, row.ts},
                  {u"model"_s, row.model},
                  {u"path"_s, row.reqPath},
                  {u"ctype"_s, row.respContentType},
                  {u"status"_s, row.respStatusCode},
                  {u"duration"_s, row.durationMs},
                  {u"capture"_s, row.hasCapture},
                  {u"error"_s, row.errorMessage},
                  {u"meta"_s, row.metadataJson},
                  {u"source"_s, row.source}};
    putOptional(o, u"cache"_s, row.cacheTokens);
    putOptional(o, u"draft"_s, row.draftTokens);
    putOptional(o, u"draft_acc"_s, row.draftAcceptedTokens);
    putOptional(o, u"input"_s, row.inputTokens);
    putOptional(o, u"output"_s, row.outputTokens);
    putOptional(o, u"pps"_s, row.promptPerSecond);
    putOptional(o, u"tps"_s, row.tokensPerSecond);
    return o;
}

QJsonObject toJson(const PerfSampleRow &row)
{
    QJsonObject o{{u"kind"_s, u"perf"_s}, {u"provider"_s, row.providerId}, {u"gpu"_s, row.gpu},
                  {u"ts"_s, row.ts},      {u"name"_s, row.name},           {u"uuid"_s, row.uuid}};
    const std::optional<double> metrics[] = {row.tempC,     row.vramTempC,  row.gpuUtilPct,  row.memUtilPct,
                                             row.memUsedMb, row.memTotalMb, row.fanSpeedPct, row.powerDrawW};
    for (qsizetype i = 0; i < perfMetricColumns().size(); ++i)
        putOptional(o, perfMetricColumns().at(i), metrics[i]);
    return o;
}

QJsonObject toJson(const ModelEventRow &row)
{
    return QJsonObject{{u"kind"_s, u"model_event"_s}, {u"provider"_s, row.providerId}, {u"model"_s, row.model},
                       {u"state"_s, row.state},        {u"previous"_s, row.previousState}, {u"ts"_s, row.ts}};
}

QJsonObject toJson(const HostEventRow &row)
{
    return QJsonObject{{u"kind"_s, u"host_event"_s}, {u"provider"_s, row.providerId}, {u"ts"_s, row.ts},
                       {u"event"_s, row.kind},       {u"detail"_s, row.detail}};
}

QJsonObject toJson(const HostStatusRow &row)
{
    QJsonObject o{{u"kind"_s, u"host_status"_s}, {u"provider"_s, row.providerId}, {u"name"_s, row.name},
                  {u"host_kind"_s, row.kind},    {u"url"_s, row.baseUrl},         {u"version"_s, row.version},
                  {u"gap"_s, row.gapSuspected}};
    putOptional(o, u"seen"_s, row.lastSeenAt);
    putOptional(o, u"gap_at"_s, row.gapSuspectedAt);
    return o;
}

QJsonObject toJson(const GatewayDispatchRow &row)
{
    QJsonObject o{{u"kind"_s, u"dispatch"_s},         {u"id"_s, row.dispatchId},        {u"ts"_s, row.ts},
                  {u"source"_s, row.source},          {u"model"_s, row.requestedModel}, {u"policy"_s, row.policy},
                  {u"endpoint"_s, row.endpoint},      {u"stream"_s, row.stream},        {u"candidates"_s, row.candidatesJson},
                  {u"attempts_json"_s, row.attemptsJson}, {u"attempts"_s, row.attempts}, {u"host"_s, row.chosenProvider},
                  {u"host_model"_s, row.chosenModel}, {u"status"_s, row.status},        {u"total_ms"_s, row.totalMs},
                  {u"overhead_ms"_s, row.overheadMs}, {u"error"_s, row.error}};
    putOptional(o, u"ttft_ms"_s, row.ttftMs);
    return o;
}

QJsonObject toJson(const AttributedRequestRow &row)
{
    QJsonObject o = toJson(row.row);
    o.insert(u"kind"_s, u"attributed_request"_s);
    return o;
}

Result<HistoryRow> dispatchFromJson(const QJsonObject &o)
{
    GatewayDispatchRow row;
    row.dispatchId = o.value(u"id"_s).toString();
    row.ts = o.value(u"ts"_s).toInteger();
    row.source = o.value(u"source"_s).toString();
    row.requestedModel = o.value(u"model"_s).toString();
    row.policy = o.value(u"policy"_s).toString();
    row.endpoint = o.value(u"endpoint"_s).toString();
    row.stream = o.value(u"stream"_s).toBool();
    row.candidatesJson = o.value(u"candidates"_s).toString();
    row.attemptsJson = o.value(u"attempts_json"_s).toString();
    row.attempts = o.value(u"attempts"_s).toInt();
    row.chosenProvider = o.value(u"host"_s).toString();
    row.chosenModel = o.value(u"host_model"_s).toString();
    row.status = o.value(u"status"_s).toInt();
    row.ttftMs = optionalReal(o, u"ttft_ms"_s);
    row.totalMs = o.value(u"total_ms"_s).toDouble();
    row.overheadMs = o.value(u"overhead_ms"_s).toDouble();
    row.error = o.value(u"error"_s).toString();
    if (row.dispatchId.isEmpty() || !o.value(u"ts"_s).isDouble())
        return makeError(u"spill.row"_s, u"dispatch row lacks id or ts"_s);
    return HistoryRow{row};
}

Result<HistoryRow> requestFromJson(const QJsonObject &o)
{
    RequestRow row;
    row.providerId = o.value(u"provider"_s).toString();
    row.swapEntryId = o.value(u"id"_s).toInteger();
    row.ts = o.value(u"ts"_s).toInteger();
    row.model = o.value(u"model"_s).toString();
    row.reqPath = o.value(u"path"_s).toString();
    row.respContentType = o.value(u"ctype"_s).toString();
    row.respStatusCode = o.value(u"status"_s).toInt();
    row.durationMs = o.value(u"duration"_s).toInteger();
    row.hasCapture = o.value(u"capture"_s).toBool();
    row.errorMessage = o.value(u"error"_s).toString();
    row.metadataJson = o.value(u"meta"_s).toString();
    row.source = o.value(u"source"_s).toString();
    row.cacheTokens = optionalInt(o, u"cache"_s);
    row.draftTokens = optionalInt(o, u"draft"_s);
    row.draftAcceptedTokens = optionalInt(o, u"draft_acc"_s);
    row.inputTokens = optionalInt(o, u"input"_s);
    row.outputTokens = optionalInt(o, u"output"_s);
    row.promptPerSecond = optionalReal(o, u"pps"_s);
    row.tokensPerSecond = optionalReal(o, u"tps"_s);
    if (row.providerId.isEmpty() || !o.value(u"id"_s).isDouble() || !o.value(u"ts"_s).isDouble())
        return makeError(u"spill.row"_s, u"request row lacks provider, id or ts"_s);
    return HistoryRow{row};
}

Result<HistoryRow> perfFromJson(const QJsonObject &o)
{
    PerfSampleRow row;
    row.providerId = o.value(u"provider"_s).toString();
    row.gpu = o.value(u"gpu"_s).toInt();
    row.ts = o.value(u"ts"_s).toInteger();
    row.name = o.value(u"name"_s).toString();
    row.uuid = o.value(u"uuid"_s).toString();
    std::optional<double> *metrics[] = {&row.tempC,     &row.vramTempC,  &row.gpuUtilPct,  &row.memUtilPct,
                                        &row.memUsedMb, &row.memTotalMb, &row.fanSpeedPct, &row.powerDrawW};
    for (qsizetype i = 0; i < perfMetricColumns().size(); ++i)
        *metrics[i] = optionalReal(o, perfMetricColumns().at(i));
    if (row.providerId.isEmpty() || !o.value(u"gpu"_s).isDouble() || !o.value(u"ts"_s).isDouble())
        return makeError(u"spill.row"_s, u"perf row lacks provider, gpu or ts"_s);
    return HistoryRow{row};
}

Result<HistoryRow> modelEventFromJson(const QJsonObject &o)
{
    ModelEventRow row;
    row.providerId = o.value(u"provider"_s).toString();
    row.model = o.value(u"model"_s).toString();
    row.state = o.value(u"state"_s).toString();
    row.previousState = o.value(u"previous"_s).toString();
    row.ts = o.value(u"ts"_s).toInteger();
    if (row.providerId.isEmpty() || row.model.isEmpty() || row.state.isEmpty() || !o.value(u"ts"_s).isDouble())
        return makeError(u"spill.row"_s, u"model event lacks provider, model, state or ts"_s);
    return HistoryRow{row};
}

Result<HistoryRow> hostEventFromJson(const QJsonObject &o)
{
    HostEventRow row;
    row.providerId = o.value(u"provider"_s).toString();
    row.ts = o.value(u"ts"_s).toInteger();
    row.kind = o.value(u"event"_s).toString();
    row.detail = o.value(u"detail"_s).toString();
    if (row.providerId.isEmpty() || row.kind.isEmpty() || !o.value(u"ts"_s).isDouble())
        return makeError(u"spill.row"_s, u"host event lacks provider, event or ts"_s);
    return HistoryRow{row};
}

Result<HistoryRow> hostStatusFromJson(const QJsonObject &o)
{
    HostStatusRow row;
    row.providerId = o.value(u"provider"_s).toString();
    row.name = o.value(u"name"_s).toString();
    row.kind = o.value(u"host_kind"_s).toString();
    row.baseUrl = o.value(u"url"_s).toString();
    row.version = o.value(u"version"_s).toString();
    row.gapSuspected = o.value(u"gap"_s).toBool();
    row.lastSeenAt = optionalInt(o, u"seen"_s);
    row.gapSuspectedAt = optionalInt(o, u"gap_at"_s);
    if (row.providerId.isEmpty())
        return makeError(u"spill.row"_s, u"host status lacks provider"_s);
    return HistoryRow{row};
}

} // namespace

QJsonObject historyRowToJson(const HistoryRow &row)
{
    return std::visit([](const auto &r) { return toJson(r); }, row);
}

Result<HistoryRow> historyRowFromJson(const QJsonObject &object)
{
    const QString kind = object.value(u"kind"_s).toString();
    if (kind == u"request"_s)
        return requestFromJson(object);
    if (kind == u"perf"_s)
        return perfFromJson(object);
    if (kind == u"model_event"_s)
        return modelEventFromJson(object);
    if (kind == u"host_event"_s)
        return hostEventFromJson(object);
    if (kind == u"host_status"_s)
        return hostStatusFromJson(object);
    if (kind == u"dispatch"_s)
        return dispatchFromJson(object);
    if (kind == u"attributed_request"_s) {
        auto request = requestFromJson(object);
        if (!request)
            return request.error();
        return HistoryRow{AttributedRequestRow{std::get<RequestRow>(*request)}};
    }
    return makeError(u"spill.row"_s, u"unknown row kind '%1'"_s.arg(kind));
}

} // namespace boo
