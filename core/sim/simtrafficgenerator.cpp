#include "core/sim/simtrafficgenerator.h"

#include "core/sim/gojsonwriter.h"
#include "core/sim/simhost.h"
#include "core/sim/simmodelmanager.h"
#include "core/sim/simpipeline.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

constexpr int kBatch = 400; // per event-loop turn at rate 0, so the host keeps answering

const char *const kPromptWords[] = {"explain", "the",      "difference", "between", "a",   "mutex", "and",       "semaphore",
                                    "with",    "examples", "in",         "modern",  "C++", "then",  "summarise", "briefly"};

} // namespace

SimTrafficGenerator::SimTrafficGenerator(SimHost *host, QObject *parent)
    : QObject(parent)
    , m_host(host)
    , m_rng(host->config().seed * 40503U + 11)
{
    connect(&m_timer, &QTimer::timeout, this, &SimTrafficGenerator::pump);
    m_background.setSingleShot(true);
    connect(&m_background, &QTimer::timeout, this, &SimTrafficGenerator::backgroundArrival);
}

double SimTrafficGenerator::random()
{
    m_rng = m_rng * 1664525U + 1013904223U;
    return double(m_rng >> 8) / double(1 << 24);
}

void SimTrafficGenerator::enqueue(const SimTrafficSpec &spec)
{
    if (spec.count <= 0)
        return;
    Burst burst;
    burst.spec = spec;
    burst.clock.start();
    m_bursts.push_back(std::move(burst));
    if (!m_timer.isActive())
        m_timer.start(0);
}

void SimTrafficGenerator::stopBursts()
{
    m_bursts.clear();
    m_timer.stop();
}

int SimTrafficGenerator::pending() const
{
    int n = 0;
    for (const Burst &b : m_bursts)
        n += b.spec.count - b.issued;
    return n;
}

void SimTrafficGenerator::pump()
{
    bool fast = false;
    for (auto it = m_bursts.begin(); it != m_bursts.end();) {
        Burst &b = *it;
        int due;
        if (b.spec.rate <= 0) {
            due = qMin(b.spec.count, b.issued + kBatch);
            fast = true;
        } else {
            due = qMin<qint64>(b.spec.count, qint64(double(b.clock.elapsed()) / 1000.0 * b.spec.rate) + 1);
        }
        const bool realtime
            = b.spec.timing == SimTrafficSpec::Timing::RealTime || (b.spec.timing == SimTrafficSpec::Timing::Auto && b.spec.rate > 0);
        while (b.issued < due) {
            ++b.issued;
            ++m_submitted;
            m_host->pipeline()->submit(makeRequest(b.spec, realtime));
        }
        if (b.issued >= b.spec.count)
            it = m_bursts.erase(it);
        else
            ++it;
    }
    if (m_bursts.empty())
        m_timer.stop();
    else
        m_timer.setInterval(fast ? 0 : 5);
}

SimInferenceRequest SimTrafficGenerator::makeRequest(const SimTrafficSpec &spec, bool realtime)
{
    SimInferenceRequest r;
    r.reqPath = spec.endpoint;
    r.endpoint = enumFromName(kSimEndpointPaths, spec.endpoint).value_or(SimEndpoint::ChatCompletions);
    const bool embeddings = r.endpoint == SimEndpoint::Embeddings;

    QString model = spec.model;
    if (model.isEmpty()) {
        QStringList candidates;
        for (const SimModelConfig &m : m_host->models()->models()) {
            if (!m.unlisted && m.embeddings == embeddings)
                candidates.append(m.id);
        }
        if (candidates.isEmpty())
            candidates.append(m_host->models()->models().value(0).id);
        model = candidates.at(int(random() * candidates.size()) % candidates.size());
    }
    r.requestedModel = model;
    r.stream = spec.stream && !embeddings;
    r.injectedStatus = spec.status == 200 ? 0 : spec.status;
    r.realtime = realtime;
    // Prompt sizes are spread log-uniformly from a short question to a long document.
    r.promptTokens = qint64(std::exp(std::log(40.0) + random() * (std::log(3000.0) - std::log(40.0))));
    r.maxTokens = spec.maxTokens > 0 ? spec.maxTokens : (realtime ? 0 : 16 + qint64(random() * 48));

    QString text;
    const int words = int(qMin<qint64>(r.promptTokens, 60));
    for (int i = 0; i < words; ++i) {
        const int w = int(random() * 16) % 16;
        text += (i ? u" "_s : QString()) + QString::fromLatin1(kPromptWords[w]);
    }
    GoJsonWriter body;
    body.beginObject().key(u"model").str(model);
    if (embeddings) {
        body.key(u"input").str(text);
    } else {
        body.key(u"stream").boolean(r.stream);
        if (r.endpoint == SimEndpoint::Completions) {
            body.key(u"prompt").str(text);
        } else {
            body.key(u"messages").beginArray().beginObject();
            body.key(u"role").str(u"user").key(u"content").str(text);
            body.endObject().endArray();
        }
        if (r.maxTokens > 0)
            body.key(u"max_tokens").integer(r.maxTokens);
    }
    body.endObject();
    r.body = body.take();

    ++m_session;
    r.userAgent = u"boo-simfleet/%1"_s.arg(QStringLiteral(BOO_VERSION_STRING));
    r.headers = {{"Accept"_ba, r.stream ? "text/event-stream"_ba : "application/json"_ba},
                 {"Content-Length"_ba, QByteArray::number(r.body.size())},
                 {"Content-Type"_ba, "application/json"_ba},
                 {"User-Agent"_ba, r.userAgent.toLatin1()},
                 {"X-Session-Id"_ba, "sess-" + QByteArray::number(1000 + m_session % 7, 16)}};
    r.remoteIp = u"10.0.0.%1"_s.arg(20 + m_session % 5);
    return r;
}

void SimTrafficGenerator::startBackground()
{
    if (m_host->config().background.requestsPerMinute > 0)
        scheduleBackground();
}

void SimTrafficGenerator::stopBackground()
{
    m_background.stop();
}

void SimTrafficGenerator::scheduleBackground()
{
    // Poisson arrivals: exponential gaps around the configured mean.
    const double meanMs = 60000.0 / m_host->config().background.requestsPerMinute;
    const double gap = -std::log(qMax(1e-6, 1.0 - random())) * meanMs;
    m_background.start(int(qBound(1.0, gap, 3600000.0)));
}

void SimTrafficGenerator::backgroundArrival()
{
    const SimBackgroundTraffic &bg = m_host->config().background;
    SimTrafficSpec spec;
    if (!bg.models.isEmpty())
        spec.model = bg.models.at(int(random() * bg.models.size()) % bg.models.size());
    spec.stream = random() < bg.streamRatio;
    spec.status = random() < bg.errorRatio ? 500 : 200;
    spec.timing = SimTrafficSpec::Timing::RealTime;
    ++m_submitted;
    m_host->pipeline()->submit(makeRequest(spec, true));
    scheduleBackground();
}

} // namespace boo
