#pragma once

#include "core/fleet/fleetdelta.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace boo {

class FleetState;
class WebSocketConnection;

// The WebSocket feed `/api/ws/control`: a snapshot on join (every host with its seq), then every
// FleetDelta as JSON. Consecutive whole-host deltas of one host are coalesced for a few ms (each
// carries the host's entire view, so only the newest matters); any other delta of that host
// first flushes the pending one, so each client sees a host's changes in seq order.
//
// A client that cannot keep up (more than kMaxPendingBytes unsent) is dropped and may rejoin for
// a fresh snapshot; it never slows the others down. Clients arrive authorised: the listener's
// pre-routing hook decides before the upgrade (ControlServer), and WebSocketConnection bounds
// and checks what they send.
class ControlFeed final : public QObject
{
    Q_OBJECT

public:
    static constexpr qint64 kMaxPendingBytes = 8 * 1024 * 1024;
    static constexpr int kCoalesceMs = 50;

    explicit ControlFeed(FleetState *fleet, QObject *parent = nullptr);
    ~ControlFeed() override;
    Q_DISABLE_COPY_MOVE(ControlFeed)

    // Takes over an upgraded connection (its 101 not sent yet): sends the snapshot, then deltas.
    void addClient(WebSocketConnection *client);
    // A message about no host (a benchmark run's progress): to every client as it is, after the
    // hosts' pending deltas. Clients that do not know its "type" ignore it.
    void broadcastMessage(const QJsonObject &message);
    void setMaxPendingBytes(qint64 bytes) { m_maxPending = bytes; }
    int clientCount() const;
    qint64 droppedClients() const { return m_dropped; }
    qint64 messagesSent() const { return m_sent; }

private:
    void onDelta(const FleetDelta &delta);
    void flushHost(const QString &hostId);
    void flushAll();
    void broadcast(const QByteArray &message);

    QPointer<FleetState> m_fleet;
    QList<QPointer<WebSocketConnection>> m_clients;
    QHash<QString, FleetDelta> m_pendingHosts;
    QTimer m_flushTimer;
    qint64 m_maxPending = kMaxPendingBytes;
    qint64 m_dropped = 0;
    qint64 m_sent = 0;
};

} // namespace boo
