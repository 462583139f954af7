#pragma once

#include "core/fleet/fleetdelta.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>

class QNetworkRequest;
class QWebSocket;
class QWebSocketServer;

namespace boo {

class FleetState;

// The WebSocket feed `/api/ws/control`: a snapshot on join (every host with its seq), then every
// FleetDelta as JSON. Consecutive whole-host deltas of one host are coalesced for a few ms (each
// carries the host's entire view, so only the newest matters); any other delta of that host
// first flushes the pending one, so each client sees a host's changes in seq order.
//
// A client that cannot keep up (more than kMaxPendingBytes unsent) is dropped with close code
// 1008 and may rejoin for a fresh snapshot; it never slows the others down.
class ControlFeed final : public QObject
{
    Q_OBJECT

public:
    static constexpr qint64 kMaxPendingBytes = 8 * 1024 * 1024;
    static constexpr int kCoalesceMs = 50;

    using Authorizer = std::function<bool(const QNetworkRequest &)>;

    explicit ControlFeed(FleetState *fleet, QObject *parent = nullptr);
    ~ControlFeed() override;
    Q_DISABLE_COPY_MOVE(ControlFeed)

    QWebSocketServer *server() const { return m_server; }
    void setAuthorizer(Authorizer authorizer) { m_authorizer = std::move(authorizer); }
    void setMaxPendingBytes(qint64 bytes) { m_maxPending = bytes; }
    int clientCount() const;
    qint64 droppedClients() const { return m_dropped; }
    qint64 messagesSent() const { return m_sent; }

private:
    void onNewConnection();
    void onDelta(const FleetDelta &delta);
    void flushHost(const QString &hostId);
    void flushAll();
    void broadcast(const QString &message);

    QPointer<FleetState> m_fleet;
    QWebSocketServer *m_server;
    QList<QPointer<QWebSocket>> m_clients;
    QHash<QString, FleetDelta> m_pendingHosts;
    QTimer m_flushTimer;
    Authorizer m_authorizer;
    qint64 m_maxPending = kMaxPendingBytes;
    qint64 m_dropped = 0;
    qint64 m_sent = 0;
};

} // namespace boo
