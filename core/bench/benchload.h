#pragma once

#include "core/bench/benchendpoint.h"
#include "core/bench/benchexchange.h"
#include "core/bench/benchsuite.h"

#include <QObject>
#include <QTimer>

#include <memory>
#include <vector>

namespace boo {

// One batch of requests at one load: the unit the runner repeats (warmup, each repetition).
struct BenchLoadPlan
{
    BenchLoadMode mode = BenchLoadMode::Concurrency;
    int clients = 1;   // closed loop
    double rate = 1.0; // open loop, requests per second
    int requests = 1;
    int repetition = 0; // stamped on the samples (-1: warmup)
    int firstIndex = 0; // prompt index of the first request; the others follow
    int promptTokens = 128;
    int maxTokens = 128;
    quint32 seed = 1;
    int timeoutMs = 120000;
};

// Drives one BenchLoadPlan against one endpoint and reports when every request has ended.
//
// Closed loop: `clients` connections, each sending its next request as soon as its previous one
// ended. Open loop: request k is sent at the k-th arrival of a Poisson process (exponential gaps
// of mean 1/rate from the plan's seed), on an idle connection or a new one, whether or not the
// earlier ones have finished, so a slow host builds a queue as it would with real users.
class BenchLoad final : public QObject
{
    Q_OBJECT

public:
    BenchLoad(BenchEndpoint endpoint, BenchLoadPlan plan, QObject *parent = nullptr);
    ~BenchLoad() override;
    Q_DISABLE_COPY_MOVE(BenchLoad)

    void start();
    const QList<BenchSample> &samples() const { return m_samples; }
    // From the first request sent to the last one ended.
    double durationSeconds() const;

    // The Poisson arrival offsets (seconds from the start) of `count` requests at `rate`.
    static QList<double> arrivalOffsets(quint32 seed, double rate, int count);

Q_SIGNALS:
    void requestEnded(int ended, int total);
    void finished();

private:
    struct Client
    {
        UpstreamConnection *connection = nullptr;
        BenchExchange exchange;
    };

    Client &idleClient();
    void send(Client &client);
    void onEnded(BenchSample sample);
    void scheduleArrivals();

    BenchEndpoint m_endpoint;
    BenchLoadPlan m_plan;
    std::vector<std::unique_ptr<Client>> m_clients;
    QList<BenchSample> m_samples;
    QList<double> m_arrivals;
    QTimer m_arrivalTimer;
    int m_sent = 0;
    qint64 m_startNs = 0;
    qint64 m_endNs = 0;
};

} // namespace boo
