#include "core/sim/simactivityrow.h"

#include "core/sim/gojsonwriter.h"
#include "core/sim/gotime.h"

namespace boo {

void SimActivityRow::write(GoJsonWriter &w, bool hasCapture, int utcOffsetSeconds, bool nanoTimestamps) const
{
    const qint64 ts = nanoTimestamps ? timestampNs : (timestampNs / 1000000000) * 1000000000;
    w.beginObject();
    w.key(u"id").integer(id);
    w.key(u"timestamp").str(QString::fromLatin1(GoTime::rfc3339(ts, utcOffsetSeconds, nanoTimestamps)));
    w.key(u"model").str(model);
    w.key(u"req_path").str(reqPath);
    w.key(u"resp_content_type").str(respContentType);
    w.key(u"resp_status_code").integer(status);
    w.key(u"tokens").beginObject();
    w.key(u"cache_tokens").integer(cacheTokens);
    w.key(u"draft_tokens").integer(draftTokens);
    w.key(u"draft_acc_tokens").integer(draftAcceptedTokens);
    w.key(u"input_tokens").integer(inputTokens);
    w.key(u"output_tokens").integer(outputTokens);
    w.key(u"prompt_per_second").real(promptPerSecond);
    w.key(u"tokens_per_second").real(tokensPerSecond);
    w.endObject();
    w.key(u"duration_ms").integer(durationMs);
    w.key(u"has_capture").boolean(hasCapture);
    if (!errorMessage.isEmpty())
        w.key(u"error_msg").str(errorMessage);
    if (!metadata.isEmpty()) {
        w.key(u"metadata").beginObject();
        for (const auto &[k, v] : metadata)
            w.key(k).str(v);
        w.endObject();
    }
    if (!src.isEmpty())
        w.key(u"src").str(src);
    w.endObject();
}

} // namespace boo
