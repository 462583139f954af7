#pragma once

#include "core/store/historyrows.h"

#include <QHash>
#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace boo {

// Fills control_requests.source for the requests the gateway sent (docs/gateway.md,
// "Attribution"). llama-swap's activity rows carry no request headers, so each row is first
// matched to the gateway attempts that could have made it: same host and model, the same status,
// a finish time within the tolerance (rows carry whole seconds of the host's clock) and a
// duration no longer than the attempt's.
//
//  * Exactly one attempt fits: the row is its own. An attempt still running may be the one (the
//    host's event can race our last read), so a row that only a running attempt fits is held
//    until that attempt ends, then stored again with its source (the late sink: an upsert that
//    only fills an empty source).
//  * Several fit (two consumers on the same host and model at the same time): timing would be a
//    guess. The gateway sends every attempt's id upstream as `X-Boo-Dispatch-Id`, and llama-swap
//    keeps request headers in its captures, so the row's capture is read (captureRequest) and the
//    answer (captureRead) names the attempt exactly. A host without the capture leaves the row
//    unattributed and counted as ambiguous.
class SourceAttributor final
{
public:
    struct Options
    {
        qint64 toleranceMs = 2000; // finish times: the host's clock, whole seconds
        // Durations are intervals on both sides, so no clock skew: the host's is shorter than
        // ours but for rounding (and llama-server's own timings, which it may prefer).
        qint64 durationSlackMs = 100;
        qint64 keepMs = 60000;     // an attempt whose row never comes is forgotten after this
        int maxRemembered = 20000; // attempts and held-back rows per host and model, each
    };
    struct Counters
    {
        qint64 matched = 0;          // by timing, the only attempt that fits
        qint64 matchedLate = 0;      // the same, for a row that came before its attempt ended
        qint64 matchedByCapture = 0; // several fitted; the capture's X-Boo-Dispatch-Id decided
        qint64 ambiguous = 0;        // several fitted and no capture told: left unattributed
        qint64 notGateway = 0;       // several fitted, but the capture shows a request not sent by us
        qint64 expired = 0;          // attempts whose row never came
    };
    // The header the gateway sends upstream with each attempt's id.
    static constexpr QStringView kDispatchHeader = u"X-Boo-Dispatch-Id";

    SourceAttributor() = default;
    explicit SourceAttributor(Options options)
        : m_options(options)
    {
    }

    void setLateSink(std::function<void(const RequestRow &row)> sink) { m_lateSink = std::move(sink); }
    // Asked to read the capture of a row several attempts fit; the answer must come back
    // through captureRead(). Without it such rows are ambiguous at once.
    void setCaptureRequest(std::function<void(const RequestRow &row)> request) { m_captureRequest = std::move(request); }

    // Every attempt that starts must end with attemptEnded() or attemptAbandoned().
    void attemptStarted(const QString &provider, const QString &model, const QString &attemptId, const QString &source, qint64 startedMs);
    // The attempt is over; `status` 0 when it ended without a status (cancelled, reset).
    void attemptEnded(const QString &provider, const QString &model, const QString &attemptId, int status, qint64 endedMs);
    // The attempt is over without reaching the host (refused, failed before it was sent): the
    // host has no row of it.
    void attemptAbandoned(const QString &provider, const QString &model, const QString &attemptId);
    // Rows of `provider` on their way to the database.
    void annotate(const QString &provider, QList<RequestRow> &rows, qint64 nowMs);
    // The capture asked for: the row's X-Boo-Dispatch-Id value, an empty string when the request
    // carried none (not the gateway's), or nullopt when the host has no capture of it.
    void captureRead(const RequestRow &row, const std::optional<QString> &dispatchId);

    const Counters &counters() const { return m_counters; }
    // Attempts not yet matched to a row (running or ended).
    int pendingCount() const;

private:
    struct Attempt
    {
        QString id;
        QString source;
        int status = 0;
        qint64 startedMs = 0;
        qint64 endedMs = 0; // 0 while running
    };
    struct Held
    {
        RequestRow row;
        qint64 heldAtMs = 0;
    };
    enum class Verdict { NotOurs, Matched, Hold, Ambiguous };

    // Decides `row`; on Matched its source is set and the attempt consumed.
    Verdict resolve(RequestRow &row, qint64 nowMs);
    void settleAmbiguous(const RequestRow &row);
    bool fits(const Attempt &a, const RequestRow &row, qint64 nowMs) const;
    void expire(qint64 nowMs);
    static QString key(const QString &provider, const QString &model) { return provider + u'\n' + model; }

    Options m_options;
    std::function<void(const RequestRow &)> m_lateSink;
    std::function<void(const RequestRow &)> m_captureRequest;
    QHash<QString, QList<Attempt>> m_attempts;
    QHash<QString, QList<Held>> m_held;
    Counters m_counters;
    qint64 m_lastExpireMs = 0;
};

} // namespace boo
