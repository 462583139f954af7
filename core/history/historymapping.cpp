#include "core/history/historymapping.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace boo {

RequestRow toRequestRow(const QString &providerId, const ActivityEntry &e)
{
    RequestRow row;
    row.providerId = providerId;
    row.swapEntryId = e.id;
    row.ts = e.timestampMs;
    row.model = e.model;
    row.reqPath = e.reqPath;
    row.respContentType = e.respContentType;
    row.respStatusCode = e.respStatusCode;
    row.cacheTokens = e.cacheTokens;
    row.draftTokens = e.draftTokens;
    row.draftAcceptedTokens = e.draftAcceptedTokens;
    row.inputTokens = e.inputTokens;
    row.outputTokens = e.outputTokens;
    row.promptPerSecond = e.promptPerSecond;
    row.tokensPerSecond = e.tokensPerSecond;
    row.durationMs = e.durationMs;
    row.hasCapture = e.hasCapture;
    row.errorMessage = e.errorMessage;
    row.caller = e.src;
    if (!e.metadata.isEmpty()) {
        QJsonObject metadata;
        for (auto it = e.metadata.cbegin(); it != e.metadata.cend(); ++it)
            metadata.insert(it.key(), it.value());
        row.metadataJson = QString::fromUtf8(QJsonDocument(metadata).toJson(QJsonDocument::Compact));
    }
    return row;
}

PerfSampleRow toPerfSampleRow(const QString &providerId, const GpuSample &s)
{
    PerfSampleRow row;
    row.providerId = providerId;
    row.gpu = s.id;
    row.ts = s.timestampMs;
    row.name = s.name;
    row.uuid = s.uuid;
    row.tempC = double(s.tempC);
    // nvidia-smi cannot read VRAM temperature and llama-swap writes 0 for it: that is "unknown".
    if (s.vramTempC > 0)
        row.vramTempC = double(s.vramTempC);
    row.gpuUtilPct = s.gpuUtilPct;
    row.memUtilPct = s.memUtilPct;
    row.memUsedMb = double(s.memUsedMb);
    row.memTotalMb = double(s.memTotalMb);
    row.fanSpeedPct = s.fanSpeedPct;
    row.powerDrawW = s.powerDrawW;
    return row;
}

namespace {

// control_hosts.name is required; a provider made by a program (not read from the registry
// file, which does the same) may come without one.
QString hostName(const ProviderConfig &provider)
{
    return provider.name.isEmpty() ? provider.id : provider.name;
}

} // namespace

HostStatusRow toHostStatusRow(const ProviderConfig &provider, const HostState &state)
{
    return HostStatusRow{provider.id,
                         hostName(provider),
                         providerKindName(provider.kind),
                         provider.baseUrl.toString(),
                         state.lastSeenMs,
                         state.version,
                         state.gapSuspected,
                         state.gapSuspectedMs};
}

HostRecord toHostRecord(const ProviderConfig &provider)
{
    HostRecord host;
    host.providerId = provider.id;
    host.name = hostName(provider);
    host.kind = providerKindName(provider.kind);
    host.baseUrl = provider.baseUrl.toString();
    host.enabled = provider.enabled;
    host.tags = provider.tags;
    return host;
}

} // namespace boo
