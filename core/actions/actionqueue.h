#pragma once

#include "core/actions/actionjob.h"
#include "core/http/hostendpoint.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>

#include <deque>
#include <optional>

class QNetworkReply;

namespace boo {

class FleetState;
class HostAccess;
class LeaseBook;
struct HostState;

// Runs the operator's actions (warm, unload, unload all, cancel) against the hosts.
//
// One FIFO per host, one action running at a time per host, at most kMaxWaiting waiting
// behind it. An action is refused while its host is down (or unknown, or the queue is full).
// When its turn comes, the host's liveness is checked again and stale actions are skipped: the
// host went down meanwhile, it waited longer than staleAfterMs, or there is nothing left to do
// (the request finished, the model is already stopped). Every step is published as a
// `control_job` delta through FleetState::publishJob, so attached cockpits see progress too.
class ActionQueue final : public QObject
{
    Q_OBJECT

public:
    static constexpr int kMaxWaiting = 4;
    static constexpr qint64 kDefaultStaleAfterMs = 60'000;
    // Unloading a model that served a request this recently takes it from someone: confirm first.
    static constexpr qint64 kTakeoverWindowMs = 60'000;

    static constexpr int kWarmTimeoutMs = 300'000;   // a cold load of a big model takes minutes
    static constexpr int kUnloadTimeoutMs = 120'000; // llama-swap answers once the process stopped
    static constexpr int kCancelTimeoutMs = 10'000;

    ActionQueue(FleetState *fleet, HostAccess *access, QObject *parent = nullptr);
    ~ActionQueue() override;
    Q_DISABLE_COPY_MOVE(ActionQueue)

    void setStaleAfterMs(qint64 ms) { m_staleAfterMs = ms; }
    // Leases are honoured once a book is set: warm and unload on a host someone else holds are
    // refused (action.host_leased); cancel is always allowed.
    void setLeaseBook(LeaseBook *leases);

    // Accepts the action (its id and queue time are filled in) or says why not, with codes
    // action.invalid, action.host_unknown, action.host_down, action.host_leased, action.queue_full.
    Result<HostAction> submit(HostAction action);

    int waitingCount(const QString &hostId) const;
    std::optional<HostAction> running(const QString &hostId) const;

    // True when the action would take a model away from traffic it served in the last minute
    // (or is serving now): the cockpit asks before it submits.
    static bool needsConfirmation(const HostState &host, const HostAction &action, qint64 nowMs);

Q_SIGNALS:
    void jobChanged(const boo::ActionJob &job);

private:
    struct HostQueue
    {
        std::deque<HostAction> waiting;
        std::optional<HostAction> running;
        QElapsedTimer runTimer;
        QPointer<QNetworkReply> reply;
    };

    void startNext(const QString &hostId);
    std::optional<QString> staleReason(const HostAction &action, qint64 nowMs) const;
    void execute(const HostAction &action, const HostEndpoint &endpoint);
    void warmByUpstream(const HostAction &action, const HostEndpoint &endpoint);
    void onAnswer(const HostAction &action, const Result<HostResponse> &response, bool viaUpstream = false);
    void finish(const QString &hostId, ActionJob::State state, const QString &message);
    void publish(const ActionJob &job);
    void dropHost(const QString &hostId);
    std::optional<Error> leaseRefusal(const HostAction &action);
    static int timeoutFor(const HostAction &action);

    QPointer<FleetState> m_fleet;
    QPointer<HostAccess> m_access;
    QPointer<LeaseBook> m_leases;
    qint64 m_staleAfterMs = kDefaultStaleAfterMs;
    QHash<QString, HostQueue> m_queues;
    qint64 m_nextId = 1;
};

} // namespace boo
