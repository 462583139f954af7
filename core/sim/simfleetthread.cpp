#include "core/sim/simfleetthread.h"

#include "core/sim/simfleet.h"
#include "core/sim/simhost.h"

using namespace Qt::StringLiterals;

namespace boo {

SimFleetThread::SimFleetThread(QObject *parent)
    : QObject(parent)
{
    m_thread.setObjectName(u"boo-simfleet"_s);
}

SimFleetThread::~SimFleetThread()
{
    stop();
}

Result<QList<SimFleetEndpoint>> SimFleetThread::start(const QList<SimHostConfig> &hosts)
{
    if (m_fleet)
        return makeError(u"sim.running"_s, u"the simulated fleet is already running"_s);
    m_thread.start();
    m_fleet = new SimFleet;
    m_fleet->moveToThread(&m_thread);

    Result<QList<SimFleetEndpoint>> result = QList<SimFleetEndpoint>{};
    QMetaObject::invokeMethod(
        m_fleet,
        [this, &hosts, &result] {
            for (const SimHostConfig &config : hosts) {
                if (!m_fleet->addHost(config)) {
                    result = makeError(u"sim.config"_s, u"duplicate host name \"%1\""_s.arg(config.name));
                    return;
                }
            }
            const Result<void> started = m_fleet->startAll();
            if (!started) {
                result = started.error();
                return;
            }
            QList<SimFleetEndpoint> endpoints;
            for (const SimHost *h : m_fleet->hosts())
                endpoints.append({h->name(), h->baseUrl(), h->config().apiKeys.value(0), simCompatName(h->compat())});
            result = endpoints;
        },
        Qt::BlockingQueuedConnection);
    if (!result)
        stop();
    return result;
}

void SimFleetThread::stop()
{
    if (!m_fleet)
        return;
    SimFleet *fleet = std::exchange(m_fleet, nullptr);
    QMetaObject::invokeMethod(
        fleet, [fleet] { fleet->stopAll(); }, Qt::BlockingQueuedConnection);
    // Hosts own sockets and timers of that thread, so they must die there: a deferred delete
    // is carried out by the thread as it finishes.
    fleet->deleteLater();
    m_thread.quit();
    m_thread.wait();
}

void SimFleetThread::post(std::function<void(SimFleet *)> fn)
{
    if (!m_fleet)
        return;
    SimFleet *fleet = m_fleet;
    QMetaObject::invokeMethod(
        fleet, [fleet, fn = std::move(fn)] { fn(fleet); }, Qt::QueuedConnection);
}

} // namespace boo
