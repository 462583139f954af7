#include "core/bench/benchload.h"

#include "core/bench/syntheticprompt.h"
#include "core/common/monotonic.h"

#include <QDateTime>

#include <cmath>

using namespace Qt::StringLiterals;

namespace boo {

BenchLoad::BenchLoad(BenchEndpoint endpoint, BenchLoadPlan plan, QObject *parent)
    : QObject(parent)
    , m_endpoint(std::move(endpoint))
    , m_plan(plan)
{
    m_arrivalTimer.setSingleShot(true);
    m_arrivalTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_arrivalTimer, &QTimer::timeout, this, &BenchLoad::scheduleArrivals);
}

BenchLoad::~BenchLoad()
{
    // Connections are our children; an exchange still running must not report into a dead load.
    for (const auto &client : m_clients) {
        if (client->exchange.isRunning())
            client->connection->abortExchange();
    }
}

QList<double> BenchLoad::arrivalOffsets(quint32 seed, double rate, int count)
{
    // A 64-bit LCG (Knuth's MMIX constants): the same gaps on every platform, unlike the
    // standard library's distributions.
    quint64 state = 0x853c49e6748fea9bULL ^ (quint64(seed) << 1);
    QList<double> offsets;
    offsets.reserve(count);
    double t = 0;
    for (int i = 0; i < count; ++i) {
        offsets << t;
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        const double uniform = (double(state >> 11) + 0.5) / 9007199254740992.0; // (0, 1)
        t += -std::log(uniform) / rate;
    }
    return offsets;
}

void BenchLoad::start()
{
    m_startNs = steadyNs();
    if (m_plan.requests <= 0) {
        m_endNs = m_startNs;
        QMetaObject::invokeMethod(this, &BenchLoad::finished, Qt::QueuedConnection);
        return;
    }
    if (m_plan.mode == BenchLoadMode::Concurrency) {
        const int clients = qMin(m_plan.clients, m_plan.requests);
        for (int i = 0; i < clients; ++i)
            send(idleClient());
        return;
    }
    m_arrivals = arrivalOffsets(m_plan.seed ^ quint32(m_plan.repetition + 2) * 0x9e3779b9U, m_plan.rate, m_plan.requests);
    scheduleArrivals();
}

BenchLoad::Client &BenchLoad::idleClient()
{
    for (const auto &client : m_clients) {
        if (!client->exchange.isRunning())
            return *client;
    }
    auto client = std::make_unique<Client>();
    m_clients.push_back(std::move(client));
    return *m_clients.back();
}

void BenchLoad::send(Client &client)
{
    if (client.connection && !client.connection->isReusable()) {
        client.connection->deleteLater();
        client.connection = nullptr;
    }
    if (!client.connection)
        client.connection = new UpstreamConnection(m_endpoint.upstream.origin, this);
    const int index = m_plan.firstIndex + m_sent++;
    BenchSample sample;
    sample.repetition = m_plan.repetition;
    sample.index = index;
    sample.startedAtMs = QDateTime::currentMSecsSinceEpoch();
    sample.host = m_endpoint.providerId;
    const QByteArray request = m_endpoint.chatRequest(SyntheticPrompt::make(m_plan.seed, m_plan.promptTokens, index), m_plan.maxTokens);
    UpstreamTimeouts timeouts;
    timeouts.headerMs = m_plan.timeoutMs;
    timeouts.idleMs = m_plan.timeoutMs;
    client.exchange.start(client.connection, request, timeouts, sample, [this, c = &client](BenchSample done) {
        onEnded(std::move(done));
        // The next request of a closed-loop client goes out on the next turn of the event loop:
        // the connection is still inside its own callback here.
        // Asked again when it runs: other clients may have taken the last requests meanwhile.
        if (m_plan.mode == BenchLoadMode::Concurrency && m_sent < m_plan.requests)
            QMetaObject::invokeMethod(
                this,
                [this, c] {
                    if (m_sent < m_plan.requests)
                        send(*c);
                },
                Qt::QueuedConnection);
    });
}

void BenchLoad::onEnded(BenchSample sample)
{
    m_samples << std::move(sample);
    Q_EMIT requestEnded(int(m_samples.size()), m_plan.requests);
    if (m_samples.size() == m_plan.requests) {
        m_endNs = steadyNs();
        QMetaObject::invokeMethod(this, &BenchLoad::finished, Qt::QueuedConnection);
    }
}

void BenchLoad::scheduleArrivals()
{
    const double elapsed = double(steadyNs() - m_startNs) / 1e9;
    while (m_sent < m_plan.requests && m_arrivals[m_sent] <= elapsed)
        send(idleClient());
    if (m_sent < m_plan.requests)
        m_arrivalTimer.start(qMax(0, int(std::ceil((m_arrivals[m_sent] - elapsed) * 1000.0))));
}

double BenchLoad::durationSeconds() const
{
    return double(m_endNs - m_startNs) / 1e9;
}

} // namespace boo
