#pragma once

#include "core/common/result.h"
#include "core/sim/simconfig.h"

#include <QJsonArray>
#include <QList>
#include <QObject>

namespace boo {

class SimHost;

// Several simulated hosts in one thread. Create it in (or move it to) the thread it should
// run in; it keeps no global state, so several fleets can coexist.
class SimFleet final : public QObject
{
    Q_OBJECT

public:
    explicit SimFleet(QObject *parent = nullptr);
    ~SimFleet() override;
    Q_DISABLE_COPY_MOVE(SimFleet)

    // Adds a host (not started yet). Names must be unique; null when it is not.
    SimHost *addHost(SimHostConfig config);
    // Starts every host not yet running; on failure stops what it started.
    Result<void> startAll();
    void stopAll();

    SimHost *host(const QString &name) const;
    QList<SimHost *> hosts() const { return m_hosts; }
    QJsonArray stateJson() const;

    // Three hosts for `boocontrol --demo`: a 2-GPU Linux box (qwen/gpt-oss/llama, speculative
    // decoding, an embedding model), a Mac with unified memory, and a small box running
    // llama-swap v250 — each with steady background traffic. basePort 0: any free ports.
    static QList<SimHostConfig> demoPreset(quint16 basePort = 0);

private:
    QList<SimHost *> m_hosts;
};

} // namespace boo
