#include "core/history/sourceattributor.h"

#include <cmath>

namespace boo {

void SourceAttributor::attemptStarted(const QString &provider, const QString &model)
{
    ++m_running[key(provider, model)];
}

bool SourceAttributor::fits(const Expectation &e, const RequestRow &row) const
{
    if (e.status != 0 && row.respStatusCode != e.status)
        return false;
    // The row's time is the finish, truncated to a second of the host's clock.
    const qint64 lower = (e.endedMs / 1000) * 1000 - m_options.toleranceMs;
    const qint64 upper = e.endedMs + m_options.toleranceMs;
    return row.ts >= lower && row.ts <= upper;
}

double SourceAttributor::distance(const Expectation &e, const RequestRow &row)
{
    const double timeOff = std::abs(double(row.ts) + 500.0 - double(e.endedMs));
    const double durationOff = std::abs(double(row.durationMs) - double(e.endedMs - e.startedMs));
    return timeOff + durationOff;
}

void SourceAttributor::attemptAbandoned(const QString &provider, const QString &model)
{
    stopRunning(key(provider, model));
}

void SourceAttributor::stopRunning(const QString &key)
{
    if (auto it = m_running.find(key); it != m_running.end() && --*it <= 0)
        m_running.erase(it);
}

void SourceAttributor::attemptEnded(const QString &provider, const QString &model, const QString &source, int status, qint64 startedMs,
                                    qint64 endedMs)
{
    const QString k = key(provider, model);
    stopRunning(k);
    const Expectation e{source, status, startedMs, endedMs};

    // A row that came early?
    if (auto held = m_held.find(k); held != m_held.end()) {
        qsizetype best = -1;
        for (qsizetype i = 0; i < held->size(); ++i) {
            if (fits(e, held->at(i).row) && (best < 0 || distance(e, held->at(i).row) < distance(e, held->at(best).row)))
                best = i;
        }
        if (best >= 0) {
            RequestRow row = held->takeAt(best).row;
            row.source = source;
            ++m_counters.matchedLate;
            if (m_lateSink)
                m_lateSink(row);
            return;
        }
    }
    QList<Expectation> &list = m_expected[k];
    if (list.size() < m_options.maxRemembered)
        list.append(e);
    expire(endedMs);
}

void SourceAttributor::annotate(const QString &provider, QList<RequestRow> &rows, qint64 nowMs)
{
    expire(nowMs);
    for (RequestRow &row : rows) {
        if (!row.source.isEmpty())
            continue;
        const QString k = key(provider, row.model);
        if (auto it = m_expected.find(k); it != m_expected.end()) {
            qsizetype best = -1;
            for (qsizetype i = 0; i < it->size(); ++i) {
                if (fits(it->at(i), row) && (best < 0 || distance(it->at(i), row) < distance(it->at(best), row)))
                    best = i;
            }
            if (best >= 0) {
                row.source = it->takeAt(best).source;
                ++m_counters.matched;
                if (it->isEmpty())
                    m_expected.erase(it);
                continue;
            }
        }
        // Only rows of a model the gateway is busy with can belong to an attempt still running.
        if (m_running.value(k) > 0) {
            QList<Held> &held = m_held[k];
            if (held.size() < m_options.maxRemembered)
                held.append({row, nowMs});
        }
    }
}

void SourceAttributor::expire(qint64 nowMs)
{
    // Once a second is plenty for a minute-long window, and keeps busy paths cheap.
    if (nowMs - m_lastExpireMs < 1000)
        return;
    m_lastExpireMs = nowMs;
    for (auto it = m_expected.begin(); it != m_expected.end();) {
        const qsizetype before = it->size();
        it->removeIf([&](const Expectation &e) { return nowMs - e.endedMs > m_options.keepMs; });
        m_counters.expired += before - it->size();
        it = it->isEmpty() ? m_expected.erase(it) : std::next(it);
    }
    for (auto it = m_held.begin(); it != m_held.end();) {
        it->removeIf([&](const Held &h) { return nowMs - h.heldAtMs > m_options.keepMs; });
        it = it->isEmpty() ? m_held.erase(it) : std::next(it);
    }
}

int SourceAttributor::pendingCount() const
{
    int n = 0;
    for (const auto &list : m_expected)
        n += int(list.size());
    return n;
}

} // namespace boo
