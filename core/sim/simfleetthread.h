#pragma once

#include "core/common/result.h"
#include "core/sim/simconfig.h"

#include <QList>
#include <QObject>
#include <QThread>
#include <QUrl>

#include <functional>

namespace boo {

class SimFleet;

struct SimFleetEndpoint
{
    QString name;
    QUrl baseUrl;
    QString apiKey; // first configured key, empty when the host is open
    QString compat; // "current", "v250", "v235"
};

// A SimFleet running in its own thread, for `boocontrol --demo` and for benchmarks that must
// not share an event loop with the code under test:
//
//   boo::SimFleetThread demo;
//   const auto endpoints = demo.start(boo::SimFleet::demoPreset());
//   if (!endpoints) ... endpoints->at(i).baseUrl ...
class SimFleetThread final : public QObject
{
    Q_OBJECT

public:
    explicit SimFleetThread(QObject *parent = nullptr);
    ~SimFleetThread() override;
    Q_DISABLE_COPY_MOVE(SimFleetThread)

    // Starts the thread and the hosts; returns once every port is bound.
    Result<QList<SimFleetEndpoint>> start(const QList<SimHostConfig> &hosts);
    // Stops the hosts and the thread. Idempotent; also done by the destructor.
    void stop();
    bool isRunning() const { return m_fleet != nullptr; }
    // Runs `fn` in the fleet's thread (queued, returns at once): traffic, faults.
    void post(std::function<void(SimFleet *)> fn);

private:
    QThread m_thread;
    SimFleet *m_fleet = nullptr;
};

} // namespace boo
