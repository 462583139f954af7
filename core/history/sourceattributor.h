#pragma once

#include "core/store/historyrows.h"

#include <QHash>
#include <QList>
#include <QString>

#include <functional>

namespace boo {

// Fills control_requests.source for the requests the gateway sent (docs/gateway.md,
// "Attribution"). llama-swap does not record request headers in its activity rows, so each
// row is matched to the gateway attempt it came from: same host, same model, a finish time
// within the tolerance (rows carry whole seconds of the host's clock), the same status, and the
// closest duration when several fit.
//
// Two paths, because either side may come first:
//  * the attempt ended before its row arrived (the usual case: llama-swap records the row after
//    the response, then announces it): annotate() sets `source` on the row before it is queued;
//  * the row arrived while the attempt was still running (possible when the host's event
//    races our last read): the row is remembered, and when the attempt ends the match goes to
//    the late sink, which stores it as an AttributedRequestRow (an upsert that only fills an
//    empty source).
class SourceAttributor final
{
public:
    struct Options
    {
        qint64 toleranceMs = 2000;
        qint64 keepMs = 60000;     // an attempt whose row never comes is forgotten after this
        int maxRemembered = 20000; // pending attempts and held-back rows, each
    };
    struct Counters
    {
        qint64 matched = 0;
        qint64 matchedLate = 0;
        qint64 expired = 0; // attempts whose row never came
    };

    SourceAttributor() = default;
    explicit SourceAttributor(Options options)
        : m_options(options)
    {
    }

    void setLateSink(std::function<void(const RequestRow &row)> sink) { m_lateSink = std::move(sink); }

    // Every attempt that starts must end with attemptEnded() or attemptAbandoned().
    void attemptStarted(const QString &provider, const QString &model);
    // The attempt is over; `status` 0 when it ended without a status (cancelled, reset).
    void attemptEnded(const QString &provider, const QString &model, const QString &source, int status, qint64 startedMs, qint64 endedMs);
    // The attempt is over without reaching the host (refused, failed before it was sent): the
    // host has no row of it, so rows that come now are not held for it.
    void attemptAbandoned(const QString &provider, const QString &model);
    // Rows of `provider` on their way to the database.
    void annotate(const QString &provider, QList<RequestRow> &rows, qint64 nowMs);

    const Counters &counters() const { return m_counters; }
    int pendingCount() const;

private:
    struct Expectation
    {
        QString source;
        int status = 0;
        qint64 startedMs = 0;
        qint64 endedMs = 0;
    };
    struct Held
    {
        RequestRow row;
        qint64 heldAtMs = 0;
    };

    void stopRunning(const QString &key);
    bool fits(const Expectation &e, const RequestRow &row) const;
    static double distance(const Expectation &e, const RequestRow &row);
    void expire(qint64 nowMs);
    static QString key(const QString &provider, const QString &model) { return provider + u'\n' + model; }

    Options m_options;
    std::function<void(const RequestRow &)> m_lateSink;
    QHash<QString, QList<Expectation>> m_expected;
    QHash<QString, QList<Held>> m_held;
    QHash<QString, int> m_running;
    Counters m_counters;
    qint64 m_lastExpireMs = 0;
};

} // namespace boo
