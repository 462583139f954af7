#include "core/store/historyrows.h"

#include "core/common/jsonreader.h"

#include <QJsonValue>

#include <limits>

using namespace Qt::StringLiterals;

namespace boo {

const QStringList &perfMetricColumns()
{
    static const QStringList columns{u"temp_c"_s,      u"vram_temp_c"_s,  u"gpu_util_pct"_s,  u"mem_util_pct"_s,
                                     u"mem_used_mb"_s, u"mem_total_mb"_s, u"fan_speed_pct"_s, u"power_draw_w"_s};
    return columns;
}

namespace {

template <typename T>
void putOptional(QJsonObject &object, const QString &key, const std::optional<T> &value)
{
    if (value)
        object.insert(key, static_cast<double>(*value));
}

// A spill file is our own output: a row that does not read back exactly (a wrong type, a missing
// key) is corrupt and is skipped and counted by SpillFile, never written with made-up values.
constexpr JsonErrorCodes kSpillCodes{"spill.row", "spill.row", "spill.row"};
constexpr auto Required = JsonReader::Required;

QJsonObject toJson(const RequestRow &row)
{
    QJsonObject o{{u"kind"_s, u"request"_s},         {u"provider"_s, row.providerId},
                  {u"id"_s, row.swapEntryId},        {u"ts"_s, row.ts},
                  {u"model"_s, row.model},           {u"path"_s, row.reqPath},
                  {u"ctype"_s, row.respContentType}, {u"status"_s, row.respStatusCode},
                  {u"duration"_s, row.durationMs},   {u"capture"_s, row.hasCapture},
                  {u"error"_s, row.errorMessage},    {u"meta"_s, row.metadataJson},
                  {u"source"_s, row.source}};
    if (!row.caller.isEmpty())
        o.insert(u"caller"_s, row.caller);
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
    const std::optional<double> metrics[]
        = {row.tempC, row.vramTempC, row.gpuUtilPct, row.memUtilPct, row.memUsedMb, row.memTotalMb, row.fanSpeedPct, row.powerDrawW};
    for (qsizetype i = 0; i < perfMetricColumns().size(); ++i)
        putOptional(o, perfMetricColumns().at(i), metrics[i]);
    return o;
}

QJsonObject toJson(const ModelEventRow &row)
{
    return QJsonObject{{u"kind"_s, u"model_event"_s}, {u"provider"_s, row.providerId},    {u"model"_s, row.model},
                       {u"state"_s, row.state},       {u"previous"_s, row.previousState}, {u"ts"_s, row.ts}};
}

QJsonObject toJson(const HostEventRow &row)
{
    return QJsonObject{{u"kind"_s, u"host_event"_s},
                       {u"provider"_s, row.providerId},
                       {u"ts"_s, row.ts},
                       {u"event"_s, row.kind},
                       {u"detail"_s, row.detail}};
}

QJsonObject toJson(const HostStatusRow &row)
{
    QJsonObject o{{u"kind"_s, u"host_status"_s}, {u"provider"_s, row.providerId}, {u"name"_s, row.name},       {u"host_kind"_s, row.kind},
                  {u"url"_s, row.baseUrl},       {u"version"_s, row.version},     {u"gap"_s, row.gapSuspected}};
    putOptional(o, u"seen"_s, row.lastSeenAt);
    putOptional(o, u"gap_at"_s, row.gapSuspectedAt);
    return o;
}

QJsonObject toJson(const GatewayDispatchRow &row)
{
    QJsonObject o{{u"kind"_s, u"dispatch"_s},
                  {u"id"_s, row.dispatchId},
                  {u"ts"_s, row.ts},
                  {u"source"_s, row.source},
                  {u"model"_s, row.requestedModel},
                  {u"policy"_s, row.policy},
                  {u"endpoint"_s, row.endpoint},
                  {u"stream"_s, row.stream},
                  {u"candidates"_s, row.candidatesJson},
                  {u"attempts_json"_s, row.attemptsJson},
                  {u"attempts"_s, row.attempts},
                  {u"host"_s, row.chosenProvider},
                  {u"host_model"_s, row.chosenModel},
                  {u"status"_s, row.status},
                  {u"total_ms"_s, row.totalMs},
                  {u"overhead_ms"_s, row.overheadMs},
                  {u"error"_s, row.error},
                  {u"consumer_key"_s, row.consumerKey}};
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
    JsonReader f(o, u"dispatch row"_s, kSpillCodes);
    GatewayDispatchRow row;
    row.dispatchId = f.string(u"id"_s, Required);
    row.ts = f.integer(u"ts"_s, Required);
    row.source = f.string(u"source"_s);
    row.requestedModel = f.string(u"model"_s);
    row.policy = f.string(u"policy"_s);
    row.endpoint = f.string(u"endpoint"_s);
    row.stream = f.boolean(u"stream"_s);
    row.candidatesJson = f.string(u"candidates"_s);
    row.attemptsJson = f.string(u"attempts_json"_s);
    row.attempts = int(f.integerIn(u"attempts"_s, 0, std::numeric_limits<int>::max()).value_or(0));
    row.chosenProvider = f.string(u"host"_s);
    row.chosenModel = f.string(u"host_model"_s);
    row.status = int(f.integerIn(u"status"_s, 0, 999).value_or(0));
    row.ttftMs = f.optionalNumber(u"ttft_ms"_s);
    row.totalMs = f.number(u"total_ms"_s);
    row.overheadMs = f.number(u"overhead_ms"_s);
    row.error = f.string(u"error"_s);
    row.consumerKey = f.string(u"consumer_key"_s);
    if (!f.failed() && row.dispatchId.isEmpty())
        f.failValue(u"id"_s, u"is empty"_s);
    if (f.failed())
        return f.error();
    return HistoryRow{row};
}

Result<HistoryRow> requestFromJson(const QJsonObject &o)
{
    JsonReader f(o, u"request row"_s, kSpillCodes);
    RequestRow row;
    row.providerId = f.string(u"provider"_s, Required);
    row.swapEntryId = f.integer(u"id"_s, Required);
    row.ts = f.integer(u"ts"_s, Required);
    row.model = f.string(u"model"_s);
    row.reqPath = f.string(u"path"_s);
    row.respContentType = f.string(u"ctype"_s);
    row.respStatusCode = int(f.integerIn(u"status"_s, 0, 999).value_or(0));
    row.durationMs = f.integer(u"duration"_s);
    row.hasCapture = f.boolean(u"capture"_s);
    row.errorMessage = f.string(u"error"_s);
    row.metadataJson = f.string(u"meta"_s);
    row.source = f.string(u"source"_s);
    row.caller = f.string(u"caller"_s);
    row.cacheTokens = f.optionalInteger(u"cache"_s);
    row.draftTokens = f.optionalInteger(u"draft"_s);
    row.draftAcceptedTokens = f.optionalInteger(u"draft_acc"_s);
    row.inputTokens = f.optionalInteger(u"input"_s);
    row.outputTokens = f.optionalInteger(u"output"_s);
    row.promptPerSecond = f.optionalNumber(u"pps"_s);
    row.tokensPerSecond = f.optionalNumber(u"tps"_s);
    if (!f.failed() && row.providerId.isEmpty())
        f.failValue(u"provider"_s, u"is empty"_s);
    if (f.failed())
        return f.error();
    return HistoryRow{row};
}

Result<HistoryRow> perfFromJson(const QJsonObject &o)
{
    JsonReader f(o, u"perf row"_s, kSpillCodes);
    PerfSampleRow row;
    row.providerId = f.string(u"provider"_s, Required);
    row.gpu = int(f.integer(u"gpu"_s, Required));
    row.ts = f.integer(u"ts"_s, Required);
    row.name = f.string(u"name"_s);
    row.uuid = f.string(u"uuid"_s);
    std::optional<double> *metrics[] = {&row.tempC,     &row.vramTempC,  &row.gpuUtilPct,  &row.memUtilPct,
                                        &row.memUsedMb, &row.memTotalMb, &row.fanSpeedPct, &row.powerDrawW};
    for (qsizetype i = 0; i < perfMetricColumns().size(); ++i)
        *metrics[i] = f.optionalNumber(perfMetricColumns().at(i));
    if (!f.failed() && row.providerId.isEmpty())
        f.failValue(u"provider"_s, u"is empty"_s);
    if (f.failed())
        return f.error();
    return HistoryRow{row};
}

Result<HistoryRow> modelEventFromJson(const QJsonObject &o)
{
    JsonReader f(o, u"model event"_s, kSpillCodes);
    ModelEventRow row;
    row.providerId = f.string(u"provider"_s, Required);
    row.model = f.string(u"model"_s, Required);
    row.state = f.string(u"state"_s, Required);
    row.previousState = f.string(u"previous"_s);
    row.ts = f.integer(u"ts"_s, Required);
    if (f.failed())
        return f.error();
    if (row.providerId.isEmpty() || row.model.isEmpty() || row.state.isEmpty())
        return makeError(u"spill.row"_s, u"model event lacks provider, model or state"_s);
    return HistoryRow{row};
}

Result<HistoryRow> hostEventFromJson(const QJsonObject &o)
{
    JsonReader f(o, u"host event"_s, kSpillCodes);
    HostEventRow row;
    row.providerId = f.string(u"provider"_s, Required);
    row.ts = f.integer(u"ts"_s, Required);
    row.kind = f.string(u"event"_s, Required);
    row.detail = f.string(u"detail"_s);
    if (f.failed())
        return f.error();
    if (row.providerId.isEmpty() || row.kind.isEmpty())
        return makeError(u"spill.row"_s, u"host event lacks provider or event"_s);
    return HistoryRow{row};
}

Result<HistoryRow> hostStatusFromJson(const QJsonObject &o)
{
    JsonReader f(o, u"host status"_s, kSpillCodes);
    HostStatusRow row;
    row.providerId = f.string(u"provider"_s, Required);
    row.name = f.string(u"name"_s);
    row.kind = f.string(u"host_kind"_s);
    row.baseUrl = f.string(u"url"_s);
    row.version = f.string(u"version"_s);
    row.gapSuspected = f.boolean(u"gap"_s);
    row.lastSeenAt = f.optionalInteger(u"seen"_s);
    row.gapSuspectedAt = f.optionalInteger(u"gap_at"_s);
    if (!f.failed() && row.providerId.isEmpty())
        f.failValue(u"provider"_s, u"is empty"_s);
    if (f.failed())
        return f.error();
    return HistoryRow{row};
}

} // namespace

QJsonObject historyRowToJson(const HistoryRow &row)
{
    return std::visit([](const auto &r) { return toJson(r); }, row);
}

Result<HistoryRow> historyRowFromJson(const QJsonObject &object)
{
    JsonReader f(object, u"spilled row"_s, kSpillCodes);
    const QString kind = f.string(u"kind"_s, Required);
    if (f.failed())
        return f.error();
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
