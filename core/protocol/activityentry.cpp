#include "core/protocol/activityentry.h"

#include "core/protocol/httpstatusclass.h"
#include "core/protocol/jsonfields.h"

using namespace Qt::StringLiterals;

namespace boo {

namespace {

std::optional<qint64> knownCount(std::optional<qint64> count)
{
    return count && *count >= 0 ? count : std::nullopt;
}

std::optional<double> knownSpeed(std::optional<double> speed)
{
    return speed && *speed > 0 ? speed : std::nullopt;
}

} // namespace

bool ActivityEntry::isClientAbort() const
{
    return httpstatus::isClientAbort(respStatusCode);
}

Result<ActivityEntry> ActivityEntry::fromJsonObject(const QJsonObject &object, const QString &context)
{
    JsonFields f(object, context);
    ActivityEntry e;
    e.id = f.integer(u"id"_s, JsonFields::Required);
    e.timestampMs = f.timestampMs(u"timestamp"_s);
    e.model = f.string(u"model"_s);
    e.reqPath = f.string(u"req_path"_s);
    e.respContentType = f.string(u"resp_content_type"_s);
    e.respStatusCode = int(f.integer(u"resp_status_code"_s));
    e.durationMs = f.integer(u"duration_ms"_s);
    e.hasCapture = f.boolean(u"has_capture"_s);
    e.errorMessage = f.string(u"error_msg"_s);
    e.metadata = f.stringMap(u"metadata"_s);
    e.src = f.string(u"src"_s);

    JsonFields t = f.child(u"tokens"_s, f.object(u"tokens"_s));
    const auto cache = t.optionalInteger(u"cache_tokens"_s);
    const auto draft = t.optionalInteger(u"draft_tokens"_s);
    const auto draftAccepted = t.optionalInteger(u"draft_acc_tokens"_s);
    const auto input = t.optionalInteger(u"input_tokens"_s);
    const auto output = t.optionalInteger(u"output_tokens"_s);
    const auto promptSpeed = t.optionalNumber(u"prompt_per_second"_s);
    const auto genSpeed = t.optionalNumber(u"tokens_per_second"_s);
    if (t.failed())
        f.adopt(t.error());
    if (f.failed())
        return f.error();

    const auto zero = [](const auto &v) { return !v || *v == 0; };
    const bool allZero
        = zero(cache) && zero(draft) && zero(draftAccepted) && zero(input) && zero(output) && zero(promptSpeed) && zero(genSpeed);
    if (e.respStatusCode != 200 && allZero) {
        // llama-swap writes zeros, not -1, when it could not parse the body at all.
        e.tokensReported = false;
        return e;
    }
    e.cacheTokens = cache && *cache > 0 ? cache : std::nullopt;
    e.draftTokens = knownCount(draft);
    e.draftAcceptedTokens = knownCount(draftAccepted);
    e.inputTokens = knownCount(input);
    e.outputTokens = knownCount(output);
    e.promptPerSecond = knownSpeed(promptSpeed);
    e.tokensPerSecond = knownSpeed(genSpeed);
    return e;
}

Result<QList<ActivityEntry>> ActivityEntry::listFromJsonArray(const QJsonArray &array, const QString &context)
{
    return decodeEach(array, context + u" row %1"_s, &ActivityEntry::fromJsonObject);
}

Result<QList<ActivityEntry>> ActivityEntry::listFromLegacyMetricsJson(const QByteArray &body)
{
    const QString what = u"/api/metrics"_s;
    auto array = JsonFields::parseArray(body, what);
    if (!array)
        return array.error();
    return listFromJsonArray(*array, u"activity"_s);
}

} // namespace boo
