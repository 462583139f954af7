#include "core/sim/simfleet.h"

#include "core/sim/simhost.h"

using namespace Qt::StringLiterals;

namespace boo {

SimFleet::SimFleet(QObject *parent)
    : QObject(parent)
{
}

SimFleet::~SimFleet()
{
    stopAll();
}

SimHost *SimFleet::addHost(SimHostConfig config)
{
    if (host(config.name))
        return nullptr;
    if (config.seed == 1)
        config.seed = quint32(qHash(config.name)) | 1U; // different hosts, different noise
    auto *h = new SimHost(std::move(config), this);
    m_hosts.append(h);
    return h;
}

Result<void> SimFleet::startAll()
{
    QList<SimHost *> started;
    for (SimHost *h : std::as_const(m_hosts)) {
        if (h->isUp())
            continue;
        const Result<void> r = h->start();
        if (!r) {
            for (SimHost *s : std::as_const(started))
                s->stop();
            return r.error();
        }
        started.append(h);
    }
    return {};
}

void SimFleet::stopAll()
{
    for (SimHost *h : std::as_const(m_hosts))
        h->stop();
}

SimHost *SimFleet::host(const QString &name) const
{
    for (SimHost *h : m_hosts) {
        if (h->name() == name)
            return h;
    }
    return nullptr;
}

QJsonArray SimFleet::stateJson() const
{
    QJsonArray out;
    for (const SimHost *h : m_hosts)
        out.append(h->stateJson());
    return out;
}

QList<SimHostConfig> SimFleet::demoPreset(quint16 basePort)
{
    const auto port = [basePort](int i) { return basePort == 0 ? quint16(0) : quint16(basePort + i); };
    QList<SimHostConfig> out;

    SimHostConfig box;
    box.name = u"gpu-box"_s;
    box.port = port(0);
    box.utcOffsetSeconds = 2 * 3600;
    box.cpuModel = u"AMD Ryzen 9 7950X 16-Core Processor"_s;
    box.gpus = {SimGpuConfig{}, SimGpuConfig{}};
    SimModelConfig qwen = SimModelConfig::fromName(u"qwen3-30b-a3b"_s);
    qwen.name = u"Qwen3 30B A3B"_s;
    qwen.description = u"MoE, vision"_s;
    qwen.aliases = {u"qwen3"_s};
    qwen.hasCapabilities = true;
    qwen.inputModalities = {u"text"_s, u"image"_s};
    qwen.tools = true;
    qwen.ttlMs = 300000;
    qwen.gpus = {0};
    SimModelConfig oss = SimModelConfig::fromName(u"gpt-oss-20b"_s);
    oss.name = u"gpt-oss 20B"_s;
    oss.gpus = {1};
    SimModelConfig llama = SimModelConfig::fromName(u"llama-3.3-70b"_s);
    llama.name = u"Llama 3.3 70B Instruct"_s;
    llama.speculative = true;
    SimModelConfig embed = SimModelConfig::fromName(u"nomic-embed-text-v1.5"_s);
    embed.group = u"embeddings"_s;
    embed.gpus = {1};
    box.models = {qwen, oss, llama, embed};
    box.background = {18, 0.75, 0.02, {u"qwen3-30b-a3b"_s, u"qwen3-30b-a3b"_s, u"gpt-oss-20b"_s, u"llama-3.3-70b"_s}};
    out.append(box);

    SimHostConfig mac;
    mac.name = u"mac-studio"_s;
    mac.port = port(1);
    mac.utcOffsetSeconds = -7 * 3600;
    mac.cpuModel = u"Apple M2 Ultra"_s;
    mac.cpuCores = 24;
    mac.memoryTotalMb = 196608;
    SimGpuConfig m2;
    m2.name = u"Apple M2 Ultra"_s;
    m2.memoryTotalMb = 196608;
    m2.unifiedMemory = true;
    mac.gpus = {m2};
    SimModelConfig q32 = SimModelConfig::fromName(u"qwen3-32b"_s);
    q32.ttlMs = 600000;
    SimModelConfig gemma = SimModelConfig::fromName(u"gemma-3-27b"_s);
    gemma.ttlMs = 600000;
    gemma.timings = true;
    mac.models = {q32, gemma};
    mac.background = {8, 0.6, 0.0, {}};
    out.append(mac);

    SimHostConfig mini;
    mini.name = u"mini-box"_s;
    mini.port = port(2);
    mini.compat = SimCompat::V250;
    mini.cpuModel = u"Intel(R) Core(TM) i5-12400"_s;
    mini.cpuCores = 6;
    mini.memoryTotalMb = 31848;
    SimGpuConfig rtx3060;
    rtx3060.name = u"NVIDIA GeForce RTX 3060"_s;
    rtx3060.memoryTotalMb = 12288;
    rtx3060.idlePowerW = 12;
    rtx3060.maxPowerW = 170;
    mini.gpus = {rtx3060};
    SimModelConfig small = SimModelConfig::fromName(u"llama-3.2-3b"_s);
    small.ttlMs = 120000;
    SimModelConfig coder = SimModelConfig::fromName(u"qwen2.5-coder-7b"_s);
    coder.ttlMs = 120000;
    coder.timings = false; // behind a server that reports usage only: speeds unknown
    mini.models = {small, coder};
    mini.background = {12, 0.5, 0.05, {}};
    out.append(mini);
    // Requests running together slow each other down, as batching on one GPU does, so that a
    // benchmark of the demo shows TTFT rising and tokens/s per request falling with concurrency.
    for (SimHostConfig &host : out) {
        for (SimModelConfig &model : host.models) {
            if (!model.embeddings) {
                model.prefillLoad = 0.25;
                model.decodeLoad = 0.12;
            }
        }
    }
    return out;
}

} // namespace boo
