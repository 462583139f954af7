#include "core/client/remotefleetclient.h"

#include "core/common/logging.h"
#include "core/fleet/fleetstate.h"
#include "core/http/useragent.h"

#include <QJsonDocument>
#include <QNetworkRequest>

using namespace Qt::StringLiterals;

namespace boo {

Result<QUrl> RemoteFleetClient::controlUrl(const QString &text)
{
    QUrl url = QUrl::fromUserInput(text.trimmed());
    const QString scheme = url.scheme().toLower();
    if (!text.contains(u"://"_s) || url.host().isEmpty() || !QList<QString>{u"ws"_s, u"wss"_s, u"http"_s, u"https"_s}.contains(scheme)) {
        return makeError(u"cli"_s,
                         u"--attach: '%1' is not a server address; give the WebSocket URL of a 'boocontrol --serve', "
                         u"e.g. ws://server:9503"_s.arg(text));
    }
    if (scheme == u"http"_s)
        url.setScheme(u"ws"_s);
    else if (scheme == u"https"_s)
        url.setScheme(u"wss"_s);
    if (url.path().isEmpty() || url.path() == u"/"_s)
        url.setPath(u"/api/ws/control"_s);
    return url;
}

QUrl RemoteFleetClient::httpBase(const QUrl &controlUrl)
{
    QUrl base = controlUrl;
    base.setScheme(controlUrl.scheme() == u"wss"_s ? u"https"_s : u"http"_s);
    base.setPath(QString());
    base.setQuery(QString());
    return base;
}

RemoteFleetClient::RemoteFleetClient(QUrl controlUrl, QString token, FleetState *fleet, QObject *parent)
    : QObject(parent)
    , m_url(std::move(controlUrl))
    , m_token(std::move(token))
    , m_fleet(fleet)
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &RemoteFleetClient::open);
    connect(&m_socket, &QWebSocket::connected, this, &RemoteFleetClient::onConnected);
    // A refused connection never reaches "connected", so no "disconnected" either: watch the state.
    connect(&m_socket, &QWebSocket::stateChanged, this, [this](QAbstractSocket::SocketState state) {
        if (state == QAbstractSocket::UnconnectedState)
            onDisconnected();
    });
    connect(&m_socket, &QWebSocket::textMessageReceived, this, &RemoteFleetClient::onMessage);
    connect(&m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this, [this](QAbstractSocket::SocketError) {
        m_lastError = m_socket.errorString();
        // A server that refuses the upgrade (401 without the token) answers over HTTP and QWebSocket
        // reports the error but stays "connecting" on that connection: drop it and retry later.
        if (m_socket.state() != QAbstractSocket::ConnectedState && m_socket.state() != QAbstractSocket::UnconnectedState)
            QMetaObject::invokeMethod(
                this, [this] { m_socket.abort(); }, Qt::QueuedConnection);
    });
    // The snapshot of a big fleet with its log tails is several megabytes in one message.
    m_socket.setMaxAllowedIncomingMessageSize(256 * 1024 * 1024);
}

RemoteFleetClient::~RemoteFleetClient()
{
    m_running = false;
    m_socket.disconnect(this);
    m_socket.abort();
}

void RemoteFleetClient::start()
{
    if (m_running)
        return;
    m_running = true;
    setState(State::Connecting);
    open();
}

void RemoteFleetClient::stop()
{
    m_running = false;
    m_retryTimer.stop();
    m_socket.close();
}

void RemoteFleetClient::open()
{
    if (!m_running)
        return;
    QNetworkRequest request(m_url);
    request.setRawHeader("User-Agent", booUserAgent());
    if (!m_token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    m_socket.open(request);
}

void RemoteFleetClient::onConnected()
{
    m_backoff.reset();
    m_lastError.clear();
    // "Connected" is announced with the snapshot: before it, the picture is still the old one.
}

void RemoteFleetClient::onDisconnected()
{
    if (m_socket.closeCode() == QWebSocketProtocol::CloseCodePolicyViolated)
        m_lastError = u"the server dropped this client for falling behind"_s;
    else if (m_lastError.isEmpty())
        m_lastError = m_socket.closeReason().isEmpty() ? u"connection closed"_s : m_socket.closeReason();
    if (!m_running || m_retryTimer.isActive())
        return;
    const int delay = m_backoff.nextDelayMs();
    qCInfo(lcFleet).noquote() << "attached server" << m_url.toDisplayString() << "lost:" << m_lastError << "- retrying in" << delay << "ms";
    setState(State::Reconnecting, m_lastError);
    m_retryTimer.start(delay);
}

void RemoteFleetClient::onMessage(const QString &message)
{
    if (!m_fleet)
        return;
    const QJsonObject object = QJsonDocument::fromJson(message.toUtf8()).object();
    if (object.value(u"type"_s).toString() == u"control_snapshot"_s) {
        auto snapshot = FleetState::Snapshot::fromJson(object);
        if (!snapshot) {
            ++m_malformed;
            qCWarning(lcFleet).noquote() << "attached server sent a bad snapshot:" << snapshot.error().message;
            m_socket.close(QWebSocketProtocol::CloseCodeBadOperation, u"bad snapshot"_s);
            return;
        }
        m_fleet->loadSnapshot(*snapshot);
        ++m_snapshots;
        setState(State::Connected);
        Q_EMIT snapshotLoaded();
        return;
    }
    if (isSideMessage(object.value(u"type"_s).toString())) {
        Q_EMIT sideMessage(object);
        return;
    }
    auto delta = FleetDelta::fromJson(object);
    if (!delta) {
        // One bad delta must not end the feed; the next snapshot repairs whatever it carried.
        if (++m_malformed % 100 == 1)
            qCWarning(lcFleet).noquote() << "attached server sent a bad delta:" << delta.error().message;
        return;
    }
    m_fleet->apply(*delta);
}

bool RemoteFleetClient::isSideMessage(const QString &type)
{
    return type == u"bench_progress"_s;
}

void RemoteFleetClient::setState(State state, const QString &error)
{
    if (m_state == state && error.isEmpty())
        return;
    m_state = state;
    Q_EMIT stateChanged(state, error);
}

} // namespace boo
