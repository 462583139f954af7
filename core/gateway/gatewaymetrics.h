#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

namespace boo {

struct DispatchAttempt;
struct DispatchRecord;

// Prometheus counters of the gateway, rendered into the listener's /metrics:
//   boo_gateway_requests_total{policy,status}        requests by policy ("-" for direct ids) and status class
//   boo_gateway_attempts_total{provider,outcome}      upstream attempts: ok, failed, cancelled
//   boo_gateway_failovers_total{policy}               requests that needed more than one attempt
//   boo_gateway_inflight{provider}                    attempts in flight now
//   boo_gateway_overhead_ms (histogram)               the gateway's own time per request
//   boo_gateway_ttft_ms (histogram)                   time to the client's first byte
//   boo_gateway_upstream_connections[_total]          the upstream pool: opened, reused, open now
class GatewayMetrics final
{
public:
    GatewayMetrics();

    void attemptStarted(const QString &provider);
    void attemptEnded(const DispatchAttempt &attempt);
    void requestFinished(const DispatchRecord &record);
    // `pool`: connections opened, reused and open now, from the upstream pool.
    QByteArray render(qint64 opened, qint64 reused, int open) const;

private:
    struct Histogram
    {
        QList<double> bounds;
        QList<qint64> counts; // one per bound, plus +Inf
        double sum = 0;
        qint64 count = 0;
        void observe(double value);
        void render(QByteArray &out, const char *name, const char *help) const;
    };

    QHash<std::pair<QString, QString>, qint64> m_byPolicy; // (policy, status class)
    QHash<std::pair<QString, QString>, qint64> m_attempts; // (provider, outcome)
    QHash<QString, qint64> m_failovers;
    QHash<QString, qint64> m_inflight;
    Histogram m_overhead;
    Histogram m_ttft;
};

} // namespace boo
