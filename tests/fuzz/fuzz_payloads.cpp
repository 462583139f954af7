// libFuzzer target for the REST payload decoders (activity, stats, performance, captures,
// /running, /v1/models, /api/version, /api/hardware, error bodies) and the log line splitter.
// The first byte picks the decoder; the rest is the body.
#include "core/protocol/activitypage.h"
#include "core/protocol/activitystats.h"
#include "core/protocol/apierror.h"
#include "core/protocol/capture.h"
#include "core/protocol/hardwareinfo.h"
#include "core/protocol/loglinesplitter.h"
#include "core/protocol/modelinfo.h"
#include "core/protocol/performancesnapshot.h"
#include "core/protocol/rfc3339.h"
#include "core/protocol/runningmodel.h"
#include "core/protocol/versioninfo.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace boo;

namespace {

template <typename T>
void checkResult(const Result<T> &result)
{
    if (!result.ok() && (result.error().code.isEmpty() || result.error().message.isEmpty())) {
        std::fprintf(stderr, "fuzz_payloads: error without code or message\n");
        std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const QByteArray body = QByteArray::fromRawData(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1));
    switch (data[0] % 12) {
    case 0: checkResult(ActivityPage::fromJson(body)); break;
    case 1: checkResult(ActivityEntry::listFromLegacyMetricsJson(body)); break;
    case 2: checkResult(ActivityStats::fromJson(body)); break;
    case 3: checkResult(PerformanceSnapshot::fromJson(body)); break;
    case 4: checkResult(Capture::fromJson(body)); break;
    case 5: checkResult(RunningModel::listFromJson(body)); break;
    case 6: checkResult(ModelInfo::listFromJson(body)); break;
    case 7: checkResult(VersionInfo::fromJson(body)); break;
    case 8: checkResult(HardwareInfo::fromJson(body)); break;
    case 9: checkResult(ApiError::fromBody(body)); break;
    case 10: checkResult(Rfc3339::toUtcMs(QString::fromUtf8(body))); break;
    case 11: {
        LogLineSplitter splitter(64);
        qsizetype pos = 0;
        while (pos < body.size()) {
            const qsizetype len = std::min<qsizetype>(body.size() - pos, 1 + (uint8_t(body[pos]) % 23));
            for (const LogLine &line : splitter.feed(QByteArrayView(body).sliced(pos, len))) {
                if (line.plain.size() > line.text.size()) {
                    std::fprintf(stderr, "fuzz_payloads: stripped line is longer than the line\n");
                    std::abort();
                }
            }
            if (splitter.pendingBytes() > 64) {
                std::fprintf(stderr, "fuzz_payloads: log splitter buffered past its limit\n");
                std::abort();
            }
            pos += len;
        }
        break;
    }
    }
    return 0;
}
