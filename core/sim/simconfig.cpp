#include "core/sim/simconfig.h"

#include "core/sim/gotime.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace boo {

QString simCompatName(SimCompat compat)
{
    return enumNameString(kSimCompatNames, compat);
}

std::optional<SimCompat> simCompatFromName(QStringView name)
{
    if (name.isEmpty())
        return SimCompat::Current;
    return enumFromName(kSimCompatNames, name);
}

const SimScriptedAnswer *SimModelConfig::scriptedAnswer(const QString &prompt) const
{
    for (const SimScriptedAnswer &a : answers) {
        if (a.promptContains.isEmpty() || prompt.contains(a.promptContains))
            return &a;
    }
    return nullptr;
}

SimModelConfig SimModelConfig::fromName(const QString &id)
{
    SimModelConfig m;
    m.id = id;
    const QString lower = id.toLower();
    // Parameter count from names like "qwen3-30b-a3b" or "llama-3.3-70b"; active params for MoE.
    static const QRegularExpression sizeRe(u"(\\d+(?:\\.\\d+)?)b\\b"_s);
    static const QRegularExpression activeRe(u"-a(\\d+(?:\\.\\d+)?)b\\b"_s);
    double billions = 8;
    const auto sizeMatch = sizeRe.match(lower);
    if (sizeMatch.hasMatch())
        billions = sizeMatch.captured(1).toDouble();
    double active = billions;
    const auto activeMatch = activeRe.match(lower);
    if (activeMatch.hasMatch())
        active = activeMatch.captured(1).toDouble();
    if (lower.contains(u"gpt-oss"))
        active = qMax(3.6, billions / 16);

    m.vramMb = int(billions * 620 + 1500);                 // ~Q4 weights plus KV cache
    m.loadMs = int(qBound(800.0, billions * 90, 12000.0)); // bigger files take longer
    m.generationTokensPerSecond = qBound(8.0, 900.0 / (active + 4), 220.0);
    m.promptTokensPerSecond = qBound(120.0, 28000.0 / (active + 4), 6000.0);
    m.timeToFirstTokenMs = 80 + int(active * 3);
    m.contextLength = 32768;
    m.name = id;
    if (lower.contains(u"embed") || lower.contains(u"bge") || lower.contains(u"nomic")) {
        m.embeddings = true;
        m.vramMb = 1200;
        m.loadMs = 600;
        m.contextLength = 8192;
    }
    if (lower.contains(u"rerank")) {
        m.reranker = true;
        m.hasCapabilities = true;
        m.unlisted = true;
    }
    return m;
}

QString SimHostConfig::effectiveVersion() const
{
    if (!version.isEmpty())
        return version;
    switch (compat) {
    case SimCompat::Current: return u"v250-5-g0bdb37"_s;
    case SimCompat::V250: return u"v250"_s;
    case SimCompat::V235: return u"v235"_s;
    case SimCompat::V260: return u"v260"_s;
    }
    return {};
}

Result<SimHostConfig> SimHostConfig::fromSpec(QStringView spec)
{
    SimHostConfig config;
    const auto bad = [&](const QString &why) { return makeError(u"sim.spec"_s, u"host spec \"%1\": %2"_s.arg(spec.toString(), why)); };
    QStringList modelIds;
    int loadMs = -1;
    int ttlMs = -1;
    int ttftMs = -1;
    int concurrency = -1;
    double tps = -1;
    double pps = -1;
    double prefillLoad = -1;
    double decodeLoad = -1;
    for (QStringView part : spec.split(u',', Qt::SkipEmptyParts)) {
        const qsizetype eq = part.indexOf(u'=');
        if (eq <= 0)
            return bad(u"expected key=value, got \"%1\""_s.arg(part.toString()));
        const QStringView key = part.first(eq).trimmed();
        const QString value = part.sliced(eq + 1).trimmed().toString();
        bool ok = true;
        if (key == u"name") {
            config.name = value;
        } else if (key == u"port") {
            const uint port = value.toUInt(&ok);
            if (!ok || port > 65535)
                return bad(u"bad port"_s);
            config.port = quint16(port);
        } else if (key == u"models") {
            modelIds = value.split(u':', Qt::SkipEmptyParts);
        } else if (key == u"compat") {
            const auto compat = simCompatFromName(value);
            if (!compat)
                return bad(u"compat must be "_s + enumChoices(kSimCompatNames));
            config.compat = *compat;
        } else if (key == u"api-key") {
            config.apiKeys.append(value);
        } else if (key == u"version") {
            config.version = value;
        } else if (key == u"tz") {
            const auto offset = GoTime::parseUtcOffset(value);
            if (!offset)
                return bad(u"tz must look like +02:00 or Z"_s);
            config.utcOffsetSeconds = *offset;
        } else if (key == u"load-ms") {
            loadMs = value.toInt(&ok);
        } else if (key == u"ttl-ms") {
            ttlMs = value.toInt(&ok);
        } else if (key == u"ttft-ms") {
            ttftMs = value.toInt(&ok);
        } else if (key == u"tps") {
            tps = value.toDouble(&ok);
        } else if (key == u"pps") {
            pps = value.toDouble(&ok);
        } else if (key == u"prefill-load") {
            prefillLoad = value.toDouble(&ok);
            ok = ok && prefillLoad >= 0;
        } else if (key == u"decode-load") {
            decodeLoad = value.toDouble(&ok);
            ok = ok && decodeLoad >= 0;
        } else if (key == u"concurrency") {
            concurrency = value.toInt(&ok);
        } else if (key == u"global-concurrency") {
            config.globalConcurrencyLimit = value.toInt(&ok);
        } else if (key == u"perf-ms") {
            config.perfIntervalMs = value.toInt(&ok);
        } else if (key == u"gpus") {
            const int n = value.toInt(&ok);
            for (int i = 0; ok && i < n; ++i)
                config.gpus.append(SimGpuConfig{});
        } else if (key == u"max-rows") {
            config.metricsMaxInMemory = value.toInt(&ok); // llama-swap's metricsMaxInMemory
        } else if (key == u"rpm") {
            config.background.requestsPerMinute = value.toDouble(&ok);
        } else if (key == u"address") {
            ok = config.address.setAddress(value);
        } else {
            return bad(u"unknown key \"%1\""_s.arg(key.toString()));
        }
        if (!ok)
            return bad(u"bad value for %1"_s.arg(key.toString()));
    }
    if (config.name.isEmpty())
        return bad(u"name is required"_s);
    if (modelIds.isEmpty())
        modelIds = {u"qwen3-8b"_s};
    for (const QString &id : modelIds) {
        SimModelConfig model = SimModelConfig::fromName(id);
        if (loadMs >= 0)
            model.loadMs = loadMs;
        if (ttlMs >= 0)
            model.ttlMs = ttlMs;
        if (ttftMs >= 0)
            model.timeToFirstTokenMs = ttftMs;
        if (tps > 0)
            model.generationTokensPerSecond = tps;
        if (pps > 0)
            model.promptTokensPerSecond = pps;
        if (concurrency >= 0)
            model.concurrencyLimit = concurrency;
        if (prefillLoad >= 0)
            model.prefillLoad = prefillLoad;
        if (decodeLoad >= 0)
            model.decodeLoad = decodeLoad;
        config.models.append(model);
    }
    if (config.gpus.isEmpty())
        config.gpus.append(SimGpuConfig{});
    for (int i = 0; i < config.gpus.size(); ++i) {
        if (config.gpus[i].uuid.isEmpty())
            config.gpus[i].uuid = u"GPU-%1-%2"_s.arg(config.name).arg(i);
    }
    return config;
}

} // namespace boo
