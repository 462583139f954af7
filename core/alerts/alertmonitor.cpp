#include "core/alerts/alertmonitor.h"

#include "core/fleet/fleetstate.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

// What a person calls a failed request: the host or the gateway answered 5xx, or the client
// gave up waiting (499) — from outside, a hung model looks exactly like that.
bool isFailure(int status)
{
    return status >= 500 || status == 499;
}

QString minutes(qint64 ms)
{
    return ms % 60000 == 0 ? u"%1 min"_s.arg(ms / 60000) : u"%1 s"_s.arg(ms / 1000);
}

} // namespace

AlertMonitor::AlertMonitor(FleetState *fleet, QObject *parent)
    : QObject(parent)
    , m_fleet(fleet)
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
{
    connect(fleet, &FleetState::changed, this, &AlertMonitor::onChanged);
    connect(fleet, &FleetState::reset, this, &AlertMonitor::seed);
    setThresholds(m_thresholds);
    seed();
}

void AlertMonitor::setThresholds(const AlertThresholds &thresholds)
{
    m_thresholds = thresholds;
    // Windows of another length count anew.
    m_errorRates.clear();
    m_failovers = RateWindow{WindowCounter(thresholds.failoverWindowMs), false};
}

void AlertMonitor::raise(Alert alert)
{
    if (alert.atMs == 0)
        alert.atMs = now();
    Q_EMIT this->alert(alert);
}

Alert AlertMonitor::make(Alert::Kind kind, const QString &hostId) const
{
    Alert a;
    a.kind = kind;
    a.hostId = hostId;
    if (!hostId.isEmpty() && m_fleet) {
        if (const auto host = m_fleet->host(hostId))
            a.hostName = host->name;
    }
    a.atMs = now();
    return a;
}

void AlertMonitor::seed()
{
    // What a (re)joined snapshot shows is the starting point, not news.
    m_hosts.clear();
    for (const QString &id : m_fleet->hostIds()) {
        const auto host = m_fleet->host(id);
        m_hosts.insert(id, HostFlags{host->liveness, host->gapSuspected});
    }
}

void AlertMonitor::onChanged(const FleetDelta &delta)
{
    if (delta.is<HostRemoved>()) {
        m_hosts.remove(delta.hostId);
        m_errorRates.remove(u"host:"_s + delta.hostId);
    } else if (const auto *perf = delta.as<GpuSampled>()) {
        const auto host = m_fleet->host(delta.hostId);
        checkGpus(delta.hostId, host ? host->name : QString(), perf->samples);
    } else if (const auto *changed = delta.as<HostChanged>()) {
        onHostChanged(delta.hostId, changed->host);
    } else if (const auto *finished = delta.as<RequestsFinished>()) {
        countRequests(delta.hostId, finished->rows);
    } else if (const auto *dispatch = delta.as<DispatchFinished>()) {
        countDispatch(dispatch->record);
    }
}

void AlertMonitor::onHostChanged(const QString &hostId, const HostState &host)
{
    const auto it = m_hosts.constFind(hostId);
    const std::optional<HostFlags> before = it == m_hosts.cend() ? std::nullopt : std::optional<HostFlags>(*it);
    m_hosts.insert(hostId, HostFlags{host.liveness, host.gapSuspected});
    if (!before)
        return;
    if (!before->gapSuspected && host.gapSuspected)
        raise(make(Alert::Kind::GapSuspected, hostId));
    if (before->liveness == host.liveness)
        return;
    if (host.liveness == Liveness::Down)
        raise(make(Alert::Kind::HostDown, hostId));
    else if (before->liveness == Liveness::Down && host.liveness == Liveness::Connected)
        raise(make(Alert::Kind::HostBack, hostId));
}

void AlertMonitor::checkGpus(const QString &hostId, const QString &hostName, const QList<GpuSample> &samples)
{
    auto check = [&](const GpuSample &s, Alert::Kind kind, double value, double threshold) {
        const QString key = u"%1/%2/%3"_s.arg(hostId).arg(s.id).arg(int(kind));
        if (value >= threshold) {
            if (m_firing.contains(key))
                return;
            m_firing.insert(key);
            Alert a = make(kind, QString());
            a.hostId = hostId;
            a.hostName = hostName;
            a.gpu = s.id;
            a.value = value;
            a.threshold = threshold;
            raise(a);
        } else if (value < threshold - m_thresholds.hysteresis) {
            m_firing.remove(key);
        }
    };
    for (const GpuSample &s : samples) {
        if (s.memTotalMb > 0)
            check(s, Alert::Kind::VramHigh, 100.0 * double(s.memUsedMb) / double(s.memTotalMb), m_thresholds.vramPercent);
        // Unified-memory machines report no temperature (0): nothing to judge.
        if (s.tempC > 0)
            check(s, Alert::Kind::TemperatureHigh, double(s.tempC), m_thresholds.temperatureC);
    }
}

void AlertMonitor::countRequests(const QString &hostId, const QList<ActivityEntry> &rows)
{
    const QString key = u"host:"_s + hostId;
    auto it = m_errorRates.find(key);
    if (it == m_errorRates.end())
        it = m_errorRates.insert(key, RateWindow{WindowCounter(m_thresholds.errorRateWindowMs), false});
    it->counter.advance(now());
    for (const ActivityEntry &row : rows)
        it->counter.add(row.timestampMs, isFailure(row.respStatusCode));
    judgeErrorRate(*it, hostId, QString());
}

void AlertMonitor::countDispatch(const GatewayDispatchRow &record)
{
    const qint64 t = now();
    // Direct ids (<provider>/<model>) have no policy: their failures show in the host's rate.
    if (!record.policy.isEmpty()) {
        const QString subject = u"policy:"_s + record.policy;
        auto it = m_errorRates.find(subject);
        if (it == m_errorRates.end())
            it = m_errorRates.insert(subject, RateWindow{WindowCounter(m_thresholds.errorRateWindowMs), false});
        it->counter.advance(t);
        it->counter.add(record.ts, isFailure(record.status));
        judgeErrorRate(*it, QString(), subject);
    }
    m_failovers.counter.advance(t);
    m_failovers.counter.add(record.ts, record.attempts > 1);
    judgeFailovers();
}

void AlertMonitor::judgeErrorRate(RateWindow &window, const QString &hostId, const QString &subject)
{
    const int total = window.counter.total();
    const int failed = window.counter.hits();
    const double percent = total > 0 ? 100.0 * failed / total : 0;
    if (window.firing) {
        // Half the threshold, or a window with too little traffic to judge: the next rise is news.
        if (total < m_thresholds.errorRateMinRequests || percent < m_thresholds.errorRatePercent / 2)
            window.firing = false;
        return;
    }
    if (total < m_thresholds.errorRateMinRequests || percent < m_thresholds.errorRatePercent)
        return;
    window.firing = true;
    Alert a = make(Alert::Kind::ErrorRate, hostId);
    a.subject = subject;
    a.value = percent;
    a.threshold = m_thresholds.errorRatePercent;
    a.detail = u"%1 of %2 requests in the last %3"_s.arg(failed).arg(total).arg(minutes(m_thresholds.errorRateWindowMs));
    raise(a);
}

void AlertMonitor::judgeFailovers()
{
    const int failovers = m_failovers.counter.hits();
    if (m_failovers.firing) {
        if (failovers * 2 < m_thresholds.failoverCount)
            m_failovers.firing = false;
        return;
    }
    if (failovers < m_thresholds.failoverCount)
        return;
    m_failovers.firing = true;
    Alert a = make(Alert::Kind::FailoverStorm, QString());
    a.value = failovers;
    a.threshold = m_thresholds.failoverCount;
    a.detail = u"%1 of %2 dispatches in the last %3 needed another host"_s.arg(failovers)
                   .arg(m_failovers.counter.total())
                   .arg(minutes(m_thresholds.failoverWindowMs));
    raise(a);
}

} // namespace boo
