#pragma once

#include "core/common/backoff.h"
#include "core/common/result.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

namespace boo {

class FleetState;

// Feeds a FleetState from a remote `boocontrol --serve` (`boocontrol --attach ws://host:9503`):
// the WebSocket /api/ws/control sends a snapshot on join, then seq-stamped deltas, which are
// applied with FleetState::loadSnapshot() and apply() (older deltas are discarded there).
//
// A lost connection is retried with backoff and jitter; every rejoin starts from a fresh
// snapshot, so nothing missed while away can linger. The hosts keep their last known state in
// between, and state() says the picture is not live.
class RemoteFleetClient final : public QObject
{
    Q_OBJECT

public:
    enum class State { Connecting, Connected, Reconnecting };

    // `--attach` accepts ws://, wss://, http:// and https:// with host and port; a URL without a
    // path gets /api/ws/control.
    static Result<QUrl> controlUrl(const QString &text);
    // The control API's HTTP base for a WebSocket URL (ws -> http, wss -> https, no path).
    static QUrl httpBase(const QUrl &controlUrl);

    RemoteFleetClient(QUrl controlUrl, QString token, FleetState *fleet, QObject *parent = nullptr);
    ~RemoteFleetClient() override;
    Q_DISABLE_COPY_MOVE(RemoteFleetClient)

    void setBackoff(const Backoff &backoff) { m_backoff = backoff; }
    void start();
    void stop();

    State state() const { return m_state; }
    QString lastError() const { return m_lastError; }
    const QUrl &url() const { return m_url; }
    qint64 snapshots() const { return m_snapshots; }
    qint64 malformedMessages() const { return m_malformed; }
    // The message types the feed sends besides snapshots and deltas.
    static bool isSideMessage(const QString &type);

Q_SIGNALS:
    void stateChanged(boo::RemoteFleetClient::State state, const QString &error);
    void snapshotLoaded();
    // A message of the feed that is neither a snapshot nor a fleet delta, e.g. `bench_progress`
    // (docs/server.md, "WebSocket"); whoever shows it listens here, FleetState never sees it.
    void sideMessage(const QJsonObject &message);

private:
    void open();
    void onConnected();
    void onDisconnected();
    void onMessage(const QString &message);
    void setState(State state, const QString &error = {});

    QUrl m_url;
    QString m_token;
    QPointer<FleetState> m_fleet;
    QWebSocket m_socket;
    Backoff m_backoff;
    QTimer m_retryTimer;
    State m_state = State::Connecting;
    QString m_lastError;
    bool m_running = false;
    qint64 m_snapshots = 0;
    qint64 m_malformed = 0;
};

} // namespace boo
