#include "core/gateway/gatewaymetrics.h"

#include "core/gateway/dispatchrecord.h"

#include <algorithm>
#include <map>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

QByteArray label(const QString &value)
{
    QByteArray v = value.toUtf8();
    v.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
    return v;
}

QByteArray number(double value)
{
    return QByteArray::number(value, 'g', 10);
}

QString outcomeClass(const QString &outcome)
{
    if (outcome == u"ok"_s)
        return outcome;
    if (outcome.startsWith(u"cancelled"_s))
        return u"cancelled"_s;
    return u"failed"_s;
}

// Hash iteration order is random: sort so that scrapes diff cleanly.
template <typename Map>
auto sortedEntries(const Map &map)
{
    std::map<typename Map::key_type, typename Map::mapped_type> sorted;
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        sorted.emplace(it.key(), it.value());
    return sorted;
}

} // namespace

GatewayMetrics::GatewayMetrics()
{
    m_overhead.bounds = {0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 50};
    m_ttft.bounds = {5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000};
    m_overhead.counts.fill(0, m_overhead.bounds.size() + 1);
    m_ttft.counts.fill(0, m_ttft.bounds.size() + 1);
}

void GatewayMetrics::Histogram::observe(double value)
{
    const auto it = std::lower_bound(bounds.cbegin(), bounds.cend(), value);
    ++counts[it - bounds.cbegin()];
    sum += value;
    ++count;
}

void GatewayMetrics::Histogram::render(QByteArray &out, const char *name, const char *help) const
{
    out += QByteArray("# HELP ") + name + ' ' + help + "\n# TYPE " + name + " histogram\n";
    qint64 cumulative = 0;
    for (qsizetype i = 0; i < bounds.size(); ++i) {
        cumulative += counts.at(i);
        out += QByteArray(name) + "_bucket{le=\"" + number(bounds.at(i)) + "\"} " + QByteArray::number(cumulative) + '\n';
    }
    out += QByteArray(name) + "_bucket{le=\"+Inf\"} " + QByteArray::number(count) + '\n';
    out += QByteArray(name) + "_sum " + number(sum) + '\n';
    out += QByteArray(name) + "_count " + QByteArray::number(count) + '\n';
}

void GatewayMetrics::attemptStarted(const QString &provider)
{
    ++m_inflight[provider];
}

void GatewayMetrics::attemptEnded(const DispatchAttempt &attempt)
{
    --m_inflight[attempt.providerId];
    ++m_attempts[{attempt.providerId, outcomeClass(attempt.outcome)}];
}

void GatewayMetrics::requestFinished(const DispatchRecord &record)
{
    const QString policy = record.policy.isEmpty() ? u"-"_s : record.policy;
    ++m_byPolicy[{policy, QString::number(record.status / 100) + u"xx"_s}];
    if (record.attempts.size() > 1)
        ++m_failovers[policy];
    m_overhead.observe(record.overheadMs);
    if (record.ttftMs)
        m_ttft.observe(*record.ttftMs);
}

QByteArray GatewayMetrics::render(qint64 opened, qint64 reused, int open) const
{
    QByteArray out;
    out += "# HELP boo_gateway_upstream_connections_total Upstream connections by how they were had.\n"
           "# TYPE boo_gateway_upstream_connections_total counter\n"
           "boo_gateway_upstream_connections_total{how=\"opened\"} "
        + QByteArray::number(opened)
        + "\n"
          "boo_gateway_upstream_connections_total{how=\"reused\"} "
        + QByteArray::number(reused)
        + "\n"
          "# HELP boo_gateway_upstream_connections Upstream connections open now (busy and idle).\n"
          "# TYPE boo_gateway_upstream_connections gauge\nboo_gateway_upstream_connections "
        + QByteArray::number(open) + '\n';
    out += "# HELP boo_gateway_requests_total Gateway requests by policy and status class.\n"
           "# TYPE boo_gateway_requests_total counter\n";
    for (const auto &[key, n] : sortedEntries(m_byPolicy))
        out += "boo_gateway_requests_total{policy=\"" + label(key.first) + "\",status=\"" + label(key.second) + "\"} "
            + QByteArray::number(n) + '\n';
    out += "# HELP boo_gateway_attempts_total Upstream attempts by provider and outcome.\n"
           "# TYPE boo_gateway_attempts_total counter\n";
    for (const auto &[key, n] : sortedEntries(m_attempts))
        out += "boo_gateway_attempts_total{provider=\"" + label(key.first) + "\",outcome=\"" + label(key.second) + "\"} "
            + QByteArray::number(n) + '\n';
    out += "# HELP boo_gateway_failovers_total Requests that needed more than one attempt.\n"
           "# TYPE boo_gateway_failovers_total counter\n";
    for (const auto &[policy, n] : sortedEntries(m_failovers))
        out += "boo_gateway_failovers_total{policy=\"" + label(policy) + "\"} " + QByteArray::number(n) + '\n';
    out += "# HELP boo_gateway_inflight Upstream attempts in flight.\n# TYPE boo_gateway_inflight gauge\n";
    for (const auto &[provider, n] : sortedEntries(m_inflight))
        out += "boo_gateway_inflight{provider=\"" + label(provider) + "\"} " + QByteArray::number(n) + '\n';
    m_overhead.render(out, "boo_gateway_overhead_ms", "Time the gateway itself spent on a request (ranking, relaying), ms.");
    m_ttft.render(out, "boo_gateway_ttft_ms", "Time from a request's arrival to the first byte sent to its client, ms.");
    return out;
}

} // namespace boo
