#include "core/history/sourceattributor.h"

#include <algorithm>

namespace boo {

void SourceAttributor::attemptStarted(const QString &provider, const QString &model, const QString &attemptId, const QString &source,
                                      qint64 startedMs)
{
    QList<Attempt> &list = m_attempts[key(provider, model)];
    if (list.size() < m_options.maxRemembered)
        list.append(Attempt{attemptId, source, 0, startedMs, 0});
}

bool SourceAttributor::fits(const Attempt &a, const RequestRow &row, qint64 nowMs) const
{
    // The host's duration starts after ours and ends before it (its clock may differ, its
    // duration does not run on it); its time is the finish, truncated to a second.
    if (a.endedMs == 0) {
        const qint64 startedSecond = (a.startedMs / 1000) * 1000;
        return row.ts >= startedSecond - m_options.toleranceMs && row.durationMs <= nowMs - a.startedMs + m_options.durationSlackMs;
    }
    if (a.status != 0 && row.respStatusCode != a.status)
        return false;
    const qint64 lower = (a.endedMs / 1000) * 1000 - m_options.toleranceMs;
    const qint64 upper = a.endedMs + m_options.toleranceMs;
    return row.ts >= lower && row.ts <= upper && row.durationMs <= a.endedMs - a.startedMs + m_options.durationSlackMs;
}

SourceAttributor::Verdict SourceAttributor::resolve(RequestRow &row, qint64 nowMs)
{
    const auto it = m_attempts.find(key(row.providerId, row.model));
    if (it == m_attempts.end())
        return Verdict::NotOurs;
    qsizetype only = -1;
    for (qsizetype i = 0; i < it->size(); ++i) {
        if (!fits(it->at(i), row, nowMs))
            continue;
        if (only >= 0)
            return Verdict::Ambiguous;
        only = i;
    }
    if (only < 0)
        return Verdict::NotOurs;
    if (it->at(only).endedMs == 0)
        return Verdict::Hold;
    row.source = it->takeAt(only).source;
    if (it->isEmpty())
        m_attempts.erase(it);
    return Verdict::Matched;
}

void SourceAttributor::settleAmbiguous(const RequestRow &row)
{
    if (m_captureRequest)
        m_captureRequest(row);
    else
        ++m_counters.ambiguous;
}

void SourceAttributor::attemptEnded(const QString &provider, const QString &model, const QString &attemptId, int status, qint64 endedMs)
{
    const QString k = key(provider, model);
    if (auto it = m_attempts.find(k); it != m_attempts.end()) {
        for (Attempt &a : *it) {
            if (a.id == attemptId) {
                a.status = status;
                a.endedMs = qMax<qint64>(endedMs, a.startedMs + 1); // 0 means running
                break;
            }
        }
    }
    // Rows that came while it ran can be decided now.
    if (auto held = m_held.find(k); held != m_held.end()) {
        QList<Held> rows = std::exchange(*held, {});
        m_held.erase(held);
        for (Held &h : rows) {
            switch (resolve(h.row, endedMs)) {
            case Verdict::Matched:
                ++m_counters.matchedLate;
                if (m_lateSink)
                    m_lateSink(h.row);
                break;
            case Verdict::Hold: m_held[k].append(h); break;
            case Verdict::Ambiguous: settleAmbiguous(h.row); break;
            case Verdict::NotOurs: break;
            }
        }
    }
    expire(endedMs);
}

void SourceAttributor::attemptAbandoned(const QString &provider, const QString &model, const QString &attemptId)
{
    const QString k = key(provider, model);
    if (auto it = m_attempts.find(k); it != m_attempts.end()) {
        it->removeIf([&attemptId](const Attempt &a) { return a.id == attemptId; });
        if (it->isEmpty())
            m_attempts.erase(it);
    }
    // A row held for it alone belongs to someone else: it was stored as it came.
    if (auto held = m_held.find(k); held != m_held.end()) {
        held->removeIf([this, k](const Held &h) {
            const auto list = m_attempts.constFind(k);
            return list == m_attempts.cend() || std::none_of(list->cbegin(), list->cend(), [&](const Attempt &a) {
                       return a.endedMs == 0 && fits(a, h.row, h.heldAtMs);
                   });
        });
        if (held->isEmpty())
            m_held.erase(held);
    }
}

void SourceAttributor::annotate(const QString &provider, QList<RequestRow> &rows, qint64 nowMs)
{
    expire(nowMs);
    for (RequestRow &row : rows) {
        if (!row.source.isEmpty())
            continue;
        if (row.providerId.isEmpty())
            row.providerId = provider;
        switch (resolve(row, nowMs)) {
        case Verdict::Matched: ++m_counters.matched; break;
        case Verdict::Hold: {
            QList<Held> &held = m_held[key(provider, row.model)];
            if (held.size() < m_options.maxRemembered)
                held.append({row, nowMs});
            break;
        }
        case Verdict::Ambiguous: settleAmbiguous(row); break;
        case Verdict::NotOurs: break;
        }
    }
}

void SourceAttributor::captureRead(const RequestRow &row, const std::optional<QString> &dispatchId)
{
    if (!dispatchId) {
        ++m_counters.ambiguous;
        return;
    }
    if (dispatchId->isEmpty()) {
        ++m_counters.notGateway;
        return;
    }
    const auto it = m_attempts.find(key(row.providerId, row.model));
    if (it != m_attempts.end()) {
        for (qsizetype i = 0; i < it->size(); ++i) {
            if (it->at(i).id != *dispatchId)
                continue;
            RequestRow attributed = row;
            attributed.source = it->takeAt(i).source;
            if (it->isEmpty())
                m_attempts.erase(it);
            ++m_counters.matchedByCapture;
            if (m_lateSink)
                m_lateSink(attributed);
            return;
        }
    }
    ++m_counters.ambiguous; // ours, but its attempt is forgotten (expired, or another process's)
}

void SourceAttributor::expire(qint64 nowMs)
{
    // Once a second is plenty for a minute-long window, and keeps busy paths cheap.
    if (nowMs - m_lastExpireMs < 1000)
        return;
    m_lastExpireMs = nowMs;
    for (auto it = m_attempts.begin(); it != m_attempts.end();) {
        const qsizetype before = it->size();
        it->removeIf([&](const Attempt &a) { return a.endedMs != 0 && nowMs - a.endedMs > m_options.keepMs; });
        m_counters.expired += before - it->size();
        it = it->isEmpty() ? m_attempts.erase(it) : std::next(it);
    }
    for (auto it = m_held.begin(); it != m_held.end();) {
        it->removeIf([&](const Held &h) { return nowMs - h.heldAtMs > m_options.keepMs; });
        it = it->isEmpty() ? m_held.erase(it) : std::next(it);
    }
}

int SourceAttributor::pendingCount() const
{
    int n = 0;
    for (const auto &list : m_attempts)
        n += int(list.size());
    return n;
}

} // namespace boo
