#pragma once

#include <QList>
#include <QStringList>

#include <memory>

namespace boo {

class FleetState;
struct ProviderConfig;

// What `boocontrol bench` knows about its hosts' traffic before it asks the AccessGate: the
// command line has no running cockpit, so it watches the hosts it will measure for a moment
// (the same connectors the cockpit uses: the event stream for requests in flight, the activity
// rows for the last request) and hands that FleetState to the gate.
class BenchHostWatch final
{
public:
    explicit BenchHostWatch(const QList<ProviderConfig> &providers);
    ~BenchHostWatch();
    Q_DISABLE_COPY_MOVE(BenchHostWatch)

    // Runs the event loop until every host in `ids` is connected and its activity was read, or
    // `timeoutMs` passed (a host still not connected then is left for the gate to refuse).
    void waitUntilSeen(const QStringList &ids, int timeoutMs);
    FleetState *fleet() const;

private:
    struct Parts;
    std::unique_ptr<Parts> m_parts;
};

} // namespace boo
