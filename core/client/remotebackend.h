#pragma once

#include "core/client/cockpitbackend.h"
#include "core/http/hostendpoint.h"

#include <QNetworkAccessManager>
#include <QTimer>
#include <QUrl>

namespace boo {

class RemoteFleetClient;
class RemoteHistorySource;
class RemoteRoutingSource;

// The cockpit attached to a remote `boocontrol --serve`: FleetState fed by its WebSocket,
// history, actions, captures and model logs through its control API (docs/server.md).
class RemoteBackend final : public CockpitBackend
{
    Q_OBJECT

public:
    static constexpr int kHealthIntervalMs = 10000;

    // `controlUrl` as RemoteFleetClient::controlUrl() returns it.
    RemoteBackend(const QUrl &controlUrl, const QString &token, QObject *parent = nullptr);
    ~RemoteBackend() override;
    Q_DISABLE_COPY_MOVE(RemoteBackend)

    void start();
    RemoteFleetClient *client() const { return m_client; }

    FleetState *fleet() const override { return m_fleet; }
    HistorySource *history() const override;
    RoutingSource *routing() const override;
    void submit(const HostAction &action, QObject *context, ActionCallback done) override;
    void acknowledgeGap(const QString &hostId, QObject *context, DoneCallback done) override;
    void sendTestAlert(QObject *context, MessageCallback done) override;
    void fetchCapture(const QString &hostId, qint64 captureId, QObject *context, CaptureCallback done) override;
    Result<LogStreamReader *> openModelLog(const QString &hostId, const QString &model, QObject *parent) override;
    Result<ChatTarget> chatTarget(const QString &provider, const QString &model) const override;
    void loadModelPreferences(QObject *context, PreferencesCallback done) override;
    void saveModelPreference(const ModelPreference &preference, QObject *context, DoneCallback done) override;
    QString databaseLabel() const override { return m_databaseLabel; }
    std::optional<bool> databaseUp() const override { return m_databaseUp; }
    QString attachedServer() const override;
    QString connectionProblem() const override;

private:
    void checkHealth();

    QNetworkAccessManager m_nam;
    HostEndpoint m_server;
    FleetState *m_fleet;
    RemoteFleetClient *m_client;
    RemoteHistorySource *m_history;
    RemoteRoutingSource *m_routing;
    QTimer m_healthTimer;
    QString m_databaseLabel;
    std::optional<bool> m_databaseUp;
};

} // namespace boo
