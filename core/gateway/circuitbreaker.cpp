#include "core/gateway/circuitbreaker.h"

using namespace Qt::StringLiterals;

namespace boo {

std::optional<QString> CircuitBreaker::refusal(const QString &host, qint64 nowMs) const
{
    const auto it = m_hosts.constFind(host);
    if (it == m_hosts.cend() || it->failures < m_options.failuresToOpen)
        return std::nullopt;
    if (nowMs < it->openUntilMs)
        return u"circuit open after %1 failed requests; next try in %2 s"_s.arg(it->failures)
            .arg(double(it->openUntilMs - nowMs) / 1000.0, 0, 'f', 1);
    if (it->trialInFlight)
        return u"circuit half-open: a trial request is on its way"_s;
    return std::nullopt;
}

void CircuitBreaker::attempt(const QString &host, qint64 nowMs)
{
    const auto it = m_hosts.find(host);
    if (it != m_hosts.end() && it->failures >= m_options.failuresToOpen && nowMs >= it->openUntilMs)
        it->trialInFlight = true;
}

void CircuitBreaker::succeeded(const QString &host)
{
    m_hosts.remove(host);
}

void CircuitBreaker::failed(const QString &host, qint64 nowMs)
{
    State &s = m_hosts[host];
    s.trialInFlight = false;
    if (++s.failures >= m_options.failuresToOpen) {
        const qint64 openMs = qMin<qint64>(qint64(m_options.openMs) << qMin(s.opens, 16), m_options.maxOpenMs);
        ++s.opens;
        s.openUntilMs = nowMs + openMs;
    }
}

void CircuitBreaker::abandoned(const QString &host)
{
    const auto it = m_hosts.find(host);
    if (it != m_hosts.end())
        it->trialInFlight = false;
}

} // namespace boo
