#pragma once

#include "core/common/enumnames.h"
#include "core/sim/simconfig.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <deque>
#include <functional>
#include <map>
#include <vector>

namespace boo {

enum class SimModelState { Stopped, Starting, Ready, Stopping };
// llama-swap's names. The same words as ModelState's table in core/protocol, kept apart because
// the simulator imitates llama-swap without using our decoder (and may not include it).
inline constexpr EnumName<SimModelState> kSimModelStateNames[] = {
    {SimModelState::Stopped, u"stopped"},
    {SimModelState::Starting, u"starting"},
    {SimModelState::Ready, u"ready"},
    {SimModelState::Stopping, u"stopping"},
};
QString simModelStateName(SimModelState state);

// Model processes of one simulated host: states, swaps, TTL unloads (reference §5).
//
// Within a group only one model runs. A request for a model that is not ready waits in one
// FIFO queue per host; the queue head decides the next swap, which first waits until the
// models to evict have no requests left, stops them (stopping -> stopped), then starts the
// target (starting -> ready). Every waiter for that model is released together: requests for
// the same model join one swap. While others wait, new requests for the running model queue
// behind them, so a busy model cannot starve a swap.
class SimModelManager final : public QObject
{
    Q_OBJECT

public:
    using ReadyCallback = std::function<void(bool ok, const QString &error)>;

    SimModelManager(const QList<SimModelConfig> &models, int ttlCheckIntervalMs, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(SimModelManager)

    // Sorted by id.
    const QList<SimModelConfig> &models() const { return m_models; }
    // By id or alias.
    const SimModelConfig *resolve(QStringView idOrAlias) const;
    SimModelState state(const QString &id) const;
    int activeRequests(const QString &id) const;
    int waitingRequests() const { return int(m_waiters.size()); }

    // Calls `ready` once the model is ready (at once, before returning 0, when it already is)
    // or with ok=false when its start was aborted. The ticket cancels the wait. With ok=true the
    // request already counts as running on the model (so that no eviction can slip in between
    // the released waiters); the caller must pair it with endRequest().
    quint64 acquire(const QString &id, ReadyCallback ready);
    void cancel(quint64 ticket);
    // Requests running on a ready model: evictions wait for them, TTL counts from the last end.
    void endRequest(const QString &id);

    // Stops the model; `done` runs once it is stopped (at once when it already is).
    void unload(const QString &id, std::function<void()> done);
    void unloadAll(std::function<void()> done);
    // Every model stopped at once and every wait failed: the router is replaced or the
    // process restarts.
    void resetAll(const QString &reason);
    // The model's process exited on its own (ready -> stopped, no stopping). False when it was
    // not ready. Its running requests must have been ended first.
    bool crash(const QString &id);
    // The model got slower or faster (a driver update, a throttled GPU): requests that start from
    // now on are timed with these figures. False for an unknown id.
    bool setTiming(const QString &id, int timeToFirstTokenMs, double generationTokensPerSecond);

Q_SIGNALS:
    void stateChanged(const QString &id, boo::SimModelState from, boo::SimModelState to);
    void ttlExpired(const QString &id, int ttlSeconds);

private:
    struct Runtime
    {
        SimModelState state = SimModelState::Stopped;
        int active = 0;
        qint64 lastFinishedMs = 0;
        quint64 epoch = 0; // bumped to void pending transitions
        std::vector<std::function<void()>> stopped;
    };
    struct Waiter
    {
        quint64 ticket;
        QString model;
        ReadyCallback ready;
    };

    const SimModelConfig &config(const QString &id) const;
    void setState(const QString &id, SimModelState state);
    void pump(const QString &group);
    void startStopping(const QString &id);
    void startStarting(const QString &id);
    void failWaiters(const QString &id, const QString &error);
    void checkTtl();
    bool groupBusy(const QString &group) const;

    QList<SimModelConfig> m_models;
    std::map<QString, Runtime> m_runtime;
    std::deque<Waiter> m_waiters;
    quint64 m_nextTicket = 1;
    QElapsedTimer m_clock;
    QTimer m_ttlTimer;
};

} // namespace boo
