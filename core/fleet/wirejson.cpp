#include "core/fleet/wirejson.h"

#include "core/common/rfc3339formatter.h"
#include "core/protocol/jsonfields.h"

using namespace Qt::StringLiterals;

namespace boo::wirejson {

namespace {

QJsonObject stringMap(const QMap<QString, QString> &map)
{
    QJsonObject object;
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        object.insert(it.key(), it.value());
    return object;
}

template <typename T>
QJsonValue orMinusOne(const std::optional<T> &value)
{
    return value ? QJsonValue(double(*value)) : QJsonValue(-1);
}

} // namespace

QString utcTimestamp(qint64 epochMs)
{
    return Rfc3339Formatter::utcMs(epochMs, Rfc3339Formatter::Fraction::Millis);
}

QJsonObject fromActivity(const ActivityEntry &e)
{
    // A row whose tokens were never parsed goes out as llama-swap sends it: all zeros.
    const bool parsed = e.tokensReported;
    QJsonObject tokens{
        {u"cache_tokens"_s, parsed ? orMinusOne(e.cacheTokens) : QJsonValue(0)},
        {u"draft_tokens"_s, parsed ? orMinusOne(e.draftTokens) : QJsonValue(0)},
        {u"draft_acc_tokens"_s, parsed ? orMinusOne(e.draftAcceptedTokens) : QJsonValue(0)},
        {u"input_tokens"_s, parsed ? orMinusOne(e.inputTokens) : QJsonValue(0)},
        {u"output_tokens"_s, parsed ? orMinusOne(e.outputTokens) : QJsonValue(0)},
        {u"prompt_per_second"_s, parsed ? orMinusOne(e.promptPerSecond) : QJsonValue(0)},
        {u"tokens_per_second"_s, parsed ? orMinusOne(e.tokensPerSecond) : QJsonValue(0)},
    };
    QJsonObject object{{u"id"_s, e.id},
                       {u"timestamp"_s, utcTimestamp(e.timestampMs)},
                       {u"model"_s, e.model},
                       {u"req_path"_s, e.reqPath},
                       {u"resp_content_type"_s, e.respContentType},
                       {u"resp_status_code"_s, e.respStatusCode},
                       {u"tokens"_s, tokens},
                       {u"duration_ms"_s, e.durationMs},
                       {u"has_capture"_s, e.hasCapture}};
    if (!e.errorMessage.isEmpty())
        object.insert(u"error_msg"_s, e.errorMessage);
    if (!e.metadata.isEmpty())
        object.insert(u"metadata"_s, stringMap(e.metadata));
    if (!e.src.isEmpty())
        object.insert(u"src"_s, e.src);
    return object;
}

QJsonObject fromInFlight(const InFlightRequest &r)
{
    QJsonObject object{{u"id"_s, r.id},
                       {u"timestamp"_s, utcTimestamp(r.timestampMs)},
                       {u"model"_s, r.model},
                       {u"req_path"_s, r.reqPath},
                       {u"method"_s, r.method},
                       {u"req_headers"_s, stringMap(r.reqHeaders)},
                       {u"remote_ip"_s, r.remoteIp},
                       {u"resp_headers"_s, stringMap(r.respHeaders)}};
    if (r.respBytes)
        object.insert(u"resp_bytes"_s, *r.respBytes);
    if (r.elapsedMs)
        object.insert(u"elapsed_ms"_s, *r.elapsedMs);
    if (!r.metadata.isEmpty())
        object.insert(u"metadata"_s, stringMap(r.metadata));
    return object;
}

QJsonObject fromGpu(const GpuSample &s)
{
    return QJsonObject{{u"timestamp"_s, utcTimestamp(s.timestampMs)},
                       {u"id"_s, s.id},
                       {u"name"_s, s.name},
                       {u"uuid"_s, s.uuid},
                       {u"temp_c"_s, s.tempC},
                       {u"vram_temp_c"_s, s.vramTempC},
                       {u"gpu_util_pct"_s, s.gpuUtilPct},
                       {u"mem_util_pct"_s, s.memUtilPct},
                       {u"mem_used_mb"_s, s.memUsedMb},
                       {u"mem_total_mb"_s, s.memTotalMb},
                       {u"fan_speed_pct"_s, s.fanSpeedPct},
                       {u"power_draw_w"_s, s.powerDrawW}};
}

QJsonArray fromLogLines(const QList<LogLine> &lines)
{
    QJsonArray array;
    for (const LogLine &line : lines)
        array.append(line.text);
    return array;
}

Result<QList<ActivityEntry>> toActivities(const QJsonArray &array, const QString &context)
{
    return decodeEach(array, context + u" item %1"_s, &ActivityEntry::fromJsonObject);
}

Result<QList<InFlightRequest>> toInFlights(const QJsonArray &array, const QString &context)
{
    return decodeEach(array, context + u" item %1"_s, &InFlightRequest::fromJsonObject);
}

Result<QList<GpuSample>> toGpus(const QJsonArray &array, const QString &context)
{
    return decodeEach(array, context + u" item %1"_s, &GpuSample::fromJsonObject);
}

QList<LogLine> toLogLines(const QStringList &texts)
{
    QList<LogLine> lines;
    lines.reserve(texts.size());
    for (const QString &text : texts)
        lines << LogLine{text, LogLineSplitter::stripAnsi(text), false};
    return lines;
}

} // namespace boo::wirejson
