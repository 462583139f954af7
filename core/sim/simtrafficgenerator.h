#pragma once

#include "core/sim/simjob.h"
#include "core/sim/simtrafficspec.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <list>

namespace boo {

class SimHost;

// Internal requests through a host's own pipeline, without sockets: bursts on demand
// (count/rate/model/stream/status) and the steady background load of the demo fleet.
class SimTrafficGenerator final : public QObject
{
    Q_OBJECT

public:
    explicit SimTrafficGenerator(SimHost *host, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(SimTrafficGenerator)

    void enqueue(const SimTrafficSpec &spec);
    void stopBursts();
    void startBackground();
    void stopBackground();
    int pending() const;
    qint64 submitted() const { return m_submitted; }

    SimInferenceRequest makeRequest(const SimTrafficSpec &spec, bool realtime);

private:
    struct Burst
    {
        SimTrafficSpec spec;
        int issued = 0;
        QElapsedTimer clock;
    };
    void pump();
    void scheduleBackground();
    void backgroundArrival();
    double random();

    SimHost *m_host;
    std::list<Burst> m_bursts;
    QTimer m_timer;
    QTimer m_background;
    quint32 m_rng;
    qint64 m_submitted = 0;
    quint32 m_session = 0;
};

} // namespace boo
