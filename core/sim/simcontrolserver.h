#pragma once

#include "core/common/result.h"

#include <QHostAddress>
#include <QObject>

namespace boo {

class HttpServer;
class SimFleet;

// The JSON control API of boo-simfleet (documented in docs/simfleet.md): host state, internal
// traffic and every fault, over HTTP on loopback. Lives in the fleet's thread.
class SimControlServer final : public QObject
{
    Q_OBJECT

public:
    explicit SimControlServer(SimFleet *fleet, QObject *parent = nullptr);
    ~SimControlServer() override;
    Q_DISABLE_COPY_MOVE(SimControlServer)

    Result<void> listen(const QHostAddress &address, quint16 port);
    quint16 port() const;

Q_SIGNALS:
    void quitRequested();

private:
    void installRoutes();

    SimFleet *m_fleet;
    HttpServer *m_server;
};

} // namespace boo
