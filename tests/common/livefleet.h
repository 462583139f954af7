#pragma once

#include "core/runtime/fleetruntime.h"
#include "core/sim/simconfig.h"

#include <QTemporaryDir>

#include <memory>

namespace boo {
class SimFleet;
class SimHost;
} // namespace boo

namespace boo::test {

// A whole live fleet in the test's thread: simulated llama-swap hosts on loopback and a
// FleetRuntime (SQLite in a temporary directory) watching them with short timings, as the
// desktop runs it. Tests of actions, backends, models and views share it.
class LiveFleet final
{
public:
    // Fast timings: failures count after tens of milliseconds, a host is down after 2 of them.
    static ConnectorTimings fastTimings();
    // Null (and a failed QVERIFY-style message in `error`) when something did not start.
    static std::unique_ptr<LiveFleet> start(const QList<SimHostConfig> &hosts, QString *error = nullptr);

    ~LiveFleet();
    Q_DISABLE_COPY_MOVE(LiveFleet)

    FleetRuntime *runtime() const { return m_runtime.get(); }
    FleetState *fleet() const;
    SimHost *host(const QString &name) const;
    QString directory() const { return m_dir.path(); }
    const DatabaseUrl &databaseUrl() const { return m_url; }

    // Waits until every host is connected (true) or the time is up (false).
    bool waitConnected(int timeoutMs = 10000) const;

private:
    LiveFleet() = default;

    QTemporaryDir m_dir;
    DatabaseUrl m_url;
    std::unique_ptr<SimFleet> m_sims;
    std::unique_ptr<FleetRuntime> m_runtime;
};

} // namespace boo::test
