#include "core/server/controlfeed.h"

#include "core/common/logging.h"
#include "core/fleet/fleetstate.h"

#include "core/http/websocketconnection.h"
#include <QDateTime>

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

QByteArray toText(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace

ControlFeed::ControlFeed(FleetState *fleet, QObject *parent)
    : QObject(parent)
    , m_fleet(fleet)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(kCoalesceMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &ControlFeed::flushAll);
    connect(fleet, &FleetState::changed, this, &ControlFeed::onDelta);
}

ControlFeed::~ControlFeed()
{
    for (const QPointer<WebSocketConnection> &client : std::as_const(m_clients)) {
        if (client)
            client->abort();
    }
}

int ControlFeed::clientCount() const
{
    return int(
        std::count_if(m_clients.cbegin(), m_clients.cend(), [](const QPointer<WebSocketConnection> &c) { return c && c->isOpen(); }));
}

void ControlFeed::addClient(WebSocketConnection *socket)
{
    socket->setParent(this);
    connect(socket, &WebSocketConnection::disconnected, socket, &QObject::deleteLater);
    connect(socket, &QObject::destroyed, this,
            [this] { m_clients.removeIf([](const QPointer<WebSocketConnection> &c) { return c.isNull(); }); });
    socket->start();
    if (!m_fleet) {
        socket->close(1001, "shutting down");
        return;
    }
    // Whole-host deltas still waiting are older than this snapshot: the client drops them.
    socket->sendText(toText(m_fleet->snapshot().toJson(QDateTime::currentMSecsSinceEpoch())));
    ++m_sent;
    m_clients << socket;
}

void ControlFeed::broadcastMessage(const QJsonObject &message)
{
    m_clients.removeIf([](const QPointer<WebSocketConnection> &c) { return c.isNull(); });
    if (m_clients.isEmpty())
        return;
    flushAll();
    broadcast(toText(message));
}

void ControlFeed::onDelta(const FleetDelta &delta)
{
    if (!delta.isStateChange())
        return; // history facts stay in this process
    m_clients.removeIf([](const QPointer<WebSocketConnection> &c) { return c.isNull(); });
    if (m_clients.isEmpty()) {
        m_pendingHosts.clear();
        return;
    }
    if (delta.is<HostChanged>()) {
        m_pendingHosts.insert(delta.hostId, delta);
        if (!m_flushTimer.isActive())
            m_flushTimer.start();
        return;
    }
    flushHost(delta.hostId);
    broadcast(toText(delta.toJson(QDateTime::currentMSecsSinceEpoch())));
}

void ControlFeed::flushHost(const QString &hostId)
{
    const auto it = m_pendingHosts.constFind(hostId);
    if (it == m_pendingHosts.cend())
        return;
    const FleetDelta delta = *it;
    m_pendingHosts.erase(it);
    broadcast(toText(delta.toJson(QDateTime::currentMSecsSinceEpoch())));
}

void ControlFeed::flushAll()
{
    const QStringList hosts = m_pendingHosts.keys();
    for (const QString &host : hosts)
        flushHost(host);
}

void ControlFeed::broadcast(const QByteArray &message)
{
    for (QPointer<WebSocketConnection> &client : m_clients) {
        if (!client)
            continue;
        if (client->bytesToWrite() > m_maxPending) {
            ++m_dropped;
            qCInfo(lcApp) << "dropping a control feed client that fell" << client->bytesToWrite() << "bytes behind";
            client->abort(); // a close frame would queue behind the backlog it cannot drain

            client = nullptr;
            continue;
        }
        client->sendText(message);
        ++m_sent;
    }
}

} // namespace boo
