#include "core/sim/simmodelmanager.h"

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;

namespace boo {

QString simModelStateName(SimModelState state)
{
    return enumNameString(kSimModelStateNames, state);
}

SimModelManager::SimModelManager(const QList<SimModelConfig> &models, int ttlCheckIntervalMs, QObject *parent)
    : QObject(parent)
    , m_models(models)
{
    std::sort(m_models.begin(), m_models.end(), [](const auto &a, const auto &b) { return a.id < b.id; });
    for (const SimModelConfig &m : m_models)
        m_runtime[m.id] = Runtime{};
    m_clock.start();
    m_ttlTimer.setInterval(qMax(10, ttlCheckIntervalMs));
    connect(&m_ttlTimer, &QTimer::timeout, this, &SimModelManager::checkTtl);
    m_ttlTimer.start();
}

const SimModelConfig *SimModelManager::resolve(QStringView idOrAlias) const
{
    for (const SimModelConfig &m : m_models) {
        if (m.id == idOrAlias)
            return &m;
    }
    for (const SimModelConfig &m : m_models) {
        if (m.aliases.contains(idOrAlias))
            return &m;
    }
    return nullptr;
}

const SimModelConfig &SimModelManager::config(const QString &id) const
{
    return *resolve(id);
}

bool SimModelManager::setTiming(const QString &id, int timeToFirstTokenMs, double generationTokensPerSecond)
{
    for (SimModelConfig &m : m_models) {
        if (m.id == id) {
            m.timeToFirstTokenMs = timeToFirstTokenMs;
            m.generationTokensPerSecond = generationTokensPerSecond;
            return true;
        }
    }
    return false;
}

SimModelState SimModelManager::state(const QString &id) const
{
    const auto it = m_runtime.find(id);
    return it == m_runtime.end() ? SimModelState::Stopped : it->second.state;
}

int SimModelManager::activeRequests(const QString &id) const
{
    const auto it = m_runtime.find(id);
    return it == m_runtime.end() ? 0 : it->second.active;
}

void SimModelManager::setState(const QString &id, SimModelState state)
{
    Runtime &rt = m_runtime[id];
    if (rt.state == state)
        return;
    const SimModelState from = rt.state;
    rt.state = state;
    if (state == SimModelState::Ready)
        rt.lastFinishedMs = m_clock.elapsed();
    Q_EMIT stateChanged(id, from, state);
}

bool SimModelManager::groupBusy(const QString &group) const
{
    for (const SimModelConfig &m : m_models) {
        if (m.group != group)
            continue;
        const SimModelState s = m_runtime.at(m.id).state;
        if (s == SimModelState::Starting || s == SimModelState::Stopping)
            return true;
    }
    return false;
}

quint64 SimModelManager::acquire(const QString &id, ReadyCallback ready)
{
    const SimModelConfig *model = resolve(id);
    if (!model) {
        ready(false, u"model not found"_s);
        return 0;
    }
    const QString group = model->group;
    const bool othersWaiting
        = std::any_of(m_waiters.begin(), m_waiters.end(), [&](const Waiter &w) { return config(w.model).group == group; });
    if (m_runtime[model->id].state == SimModelState::Ready && !othersWaiting) {
        ++m_runtime[model->id].active;
        ready(true, {});
        return 0;
    }
    const quint64 ticket = m_nextTicket++;
    m_waiters.push_back({ticket, model->id, std::move(ready)});
    pump(group);
    return ticket;
}

void SimModelManager::cancel(quint64 ticket)
{
    const auto it = std::find_if(m_waiters.begin(), m_waiters.end(), [&](const Waiter &w) { return w.ticket == ticket; });
    if (it == m_waiters.end())
        return;
    const QString group = config(it->model).group;
    m_waiters.erase(it);
    pump(group);
}

void SimModelManager::endRequest(const QString &id)
{
    Runtime &rt = m_runtime[id];
    rt.active = qMax(0, rt.active - 1);
    rt.lastFinishedMs = m_clock.elapsed();
    if (const SimModelConfig *m = resolve(id))
        pump(m->group);
}

void SimModelManager::pump(const QString &group)
{
    for (;;) {
        if (groupBusy(group))
            return;
        const auto head = std::find_if(m_waiters.begin(), m_waiters.end(), [&](const Waiter &w) { return config(w.model).group == group; });
        if (head == m_waiters.end())
            return;
        const QString target = head->model;
        if (m_runtime[target].state == SimModelState::Ready) {
            // Release every request waiting for this model, in order. Callbacks may call back
            // into the manager, so take them out of the queue first.
            std::vector<ReadyCallback> released;
            for (auto it = m_waiters.begin(); it != m_waiters.end();) {
                if (it->model == target) {
                    released.push_back(std::move(it->ready));
                    ++m_runtime[target].active; // counted before any callback can end a request
                    it = m_waiters.erase(it);
                } else {
                    ++it;
                }
            }
            for (ReadyCallback &cb : released)
                cb(true, {});
            continue;
        }
        QStringList evict;
        for (const SimModelConfig &m : m_models) {
            if (m.group == group && m.id != target && m_runtime[m.id].state == SimModelState::Ready) {
                if (m_runtime[m.id].active > 0)
                    return; // a swap waits until the evicted models are idle
                evict.append(m.id);
            }
        }
        if (!evict.isEmpty()) {
            for (const QString &id : evict)
                startStopping(id);
            return;
        }
        startStarting(target);
        return;
    }
}

void SimModelManager::startStopping(const QString &id)
{
    Runtime &rt = m_runtime[id];
    const quint64 epoch = ++rt.epoch;
    setState(id, SimModelState::Stopping);
    QTimer::singleShot(config(id).unloadMs, this, [this, id, epoch] {
        Runtime &r = m_runtime[id];
        if (r.epoch != epoch)
            return;
        setState(id, SimModelState::Stopped);
        const auto done = std::exchange(r.stopped, {});
        for (const auto &fn : done)
            fn();
        pump(config(id).group);
    });
}

void SimModelManager::startStarting(const QString &id)
{
    Runtime &rt = m_runtime[id];
    const quint64 epoch = ++rt.epoch;
    setState(id, SimModelState::Starting);
    QTimer::singleShot(config(id).loadMs, this, [this, id, epoch] {
        if (m_runtime[id].epoch != epoch)
            return;
        setState(id, SimModelState::Ready);
        pump(config(id).group);
    });
}

void SimModelManager::failWaiters(const QString &id, const QString &error)
{
    std::vector<ReadyCallback> failed;
    for (auto it = m_waiters.begin(); it != m_waiters.end();) {
        if (id.isEmpty() || it->model == id) {
            failed.push_back(std::move(it->ready));
            it = m_waiters.erase(it);
        } else {
            ++it;
        }
    }
    for (ReadyCallback &cb : failed)
        cb(false, error);
}

void SimModelManager::unload(const QString &id, std::function<void()> done)
{
    Runtime &rt = m_runtime[id];
    switch (rt.state) {
    case SimModelState::Stopped: done(); return;
    case SimModelState::Stopping: rt.stopped.push_back(std::move(done)); return;
    case SimModelState::Starting:
        // A stop during start aborts it (starting -> stopped).
        ++rt.epoch;
        setState(id, SimModelState::Stopped);
        failWaiters(id, u"unspecific error: process stopped while starting"_s);
        done();
        pump(config(id).group);
        return;
    case SimModelState::Ready:
        rt.stopped.push_back(std::move(done));
        startStopping(id);
        return;
    }
}

void SimModelManager::unloadAll(std::function<void()> done)
{
    auto remaining = std::make_shared<int>(int(m_models.size()) + 1);
    auto finish = [remaining, done = std::move(done)] {
        if (--*remaining == 0)
            done();
    };
    for (const SimModelConfig &m : m_models)
        unload(m.id, finish);
    finish();
}

void SimModelManager::resetAll(const QString &reason)
{
    for (const SimModelConfig &m : m_models) {
        Runtime &rt = m_runtime[m.id];
        ++rt.epoch;
        rt.active = 0;
        setState(m.id, SimModelState::Stopped);
        const auto done = std::exchange(rt.stopped, {});
        for (const auto &fn : done)
            fn();
    }
    failWaiters(QString(), reason);
}

bool SimModelManager::crash(const QString &id)
{
    Runtime &rt = m_runtime[id];
    if (rt.state != SimModelState::Ready)
        return false;
    ++rt.epoch;
    rt.active = 0;
    setState(id, SimModelState::Stopped);
    pump(config(id).group);
    return true;
}

void SimModelManager::checkTtl()
{
    const qint64 now = m_clock.elapsed();
    for (const SimModelConfig &m : m_models) {
        if (m.ttlMs <= 0)
            continue;
        const Runtime &rt = m_runtime[m.id];
        if (rt.state != SimModelState::Ready || rt.active > 0 || now - rt.lastFinishedMs <= m.ttlMs)
            continue;
        const bool wanted = std::any_of(m_waiters.begin(), m_waiters.end(), [&](const Waiter &w) { return w.model == m.id; });
        if (wanted)
            continue;
        Q_EMIT ttlExpired(m.id, (m.ttlMs + 999) / 1000);
        startStopping(m.id);
    }
}

} // namespace boo
