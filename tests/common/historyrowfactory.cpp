#include "tests/common/historyrowfactory.h"

using namespace Qt::StringLiterals;

namespace boo::test {

namespace {
constexpr qint64 kBaseTs = 1'790'000'000'000; // Sept 2026, UTC ms
}

RequestRow makeRequestRow(const QString &host, qint64 i)
{
    RequestRow row;
    row.providerId = host;
    row.swapEntryId = i + 1;
    row.ts = kBaseTs + i * 1000;
    row.model = i % 2 ? u"qwen3-30b-a3b"_s : u"gpt-oss-20b"_s;
    row.reqPath = u"/v1/chat/completions"_s;
    row.respContentType = u"text/event-stream"_s;
    row.respStatusCode = 200;
    row.cacheTokens = i % 3 ? std::optional<qint64>(i % 50) : std::nullopt;
    row.inputTokens = 100 + i % 7;
    row.outputTokens = 20 + i % 11;
    row.promptPerSecond = 1500.5 + double(i % 13);
    row.tokensPerSecond = i % 5 ? std::optional<double>(80.25) : std::nullopt;
    row.durationMs = 300 + i % 100;
    row.hasCapture = i % 2 == 0;
    row.metadataJson = i % 4 ? QString() : u"{\"selector\":\"coder\"}"_s;
    return row;
}

PerfSampleRow makePerfRow(const QString &host, qint64 i, int gpu)
{
    PerfSampleRow row;
    row.providerId = host;
    row.gpu = gpu;
    row.ts = kBaseTs + i * 5000;
    row.name = u"NVIDIA GeForce RTX 4090"_s;
    row.uuid = u"GPU-%1"_s.arg(gpu);
    row.tempC = 40 + i % 30;
    row.gpuUtilPct = double(i % 100);
    row.memUtilPct = 50;
    row.memUsedMb = 12000 + i % 100;
    row.memTotalMb = 24564;
    row.powerDrawW = 100.5 + double(i % 200);
    return row;
}

ModelEventRow makeModelEventRow(const QString &host, qint64 i)
{
    static const QString states[] = {u"starting"_s, u"ready"_s, u"stopping"_s, u"stopped"_s};
    ModelEventRow row;
    row.providerId = host;
    row.model = u"model-%1"_s.arg(i % 3);
    row.state = states[i % 4];
    row.previousState = states[(i + 3) % 4];
    row.ts = kBaseTs + i * 10;
    return row;
}

QList<HistoryRow> makeMixedRows(const QString &host, qint64 count, qint64 firstIndex)
{
    QList<HistoryRow> rows;
    rows.reserve(count);
    for (qint64 i = firstIndex; i < firstIndex + count; ++i) {
        switch (i % 3) {
        case 0: rows << HistoryRow{makeRequestRow(host, i)}; break;
        case 1: rows << HistoryRow{makePerfRow(host, i)}; break;
        default: rows << HistoryRow{makeModelEventRow(host, i)}; break;
        }
    }
    return rows;
}

} // namespace boo::test
