#pragma once

#include "core/client/routingsource.h"
#include "core/http/hostendpoint.h"

class QNetworkAccessManager;

namespace boo {

// The routing data of a remote `boocontrol --serve` (attached mode): /api/routing/policies,
// /api/routing/test and /api/gateway/log with the server's bearer token.
class RemoteRoutingSource final : public RoutingSource
{
    Q_OBJECT

public:
    static constexpr int kTimeoutMs = 15000;

    RemoteRoutingSource(HostEndpoint server, QNetworkAccessManager *nam, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(RemoteRoutingSource)

    void policies(QObject *context, Callback<QList<RoutePolicy>> done) override;
    void savePolicies(const QList<RoutePolicy> &policies, QObject *context, Callback<QList<RoutePolicy>> done) override;
    void test(const RoutePolicy &policy, const RouteFacts &facts, QObject *context, Callback<TestResult> done) override;
    void log(const GatewayLogFilter &filter, QObject *context, Callback<GatewayLogPage> done) override;
    void keys(QObject *context, Callback<QList<KeyRow>> done) override;
    void createKey(const ConsumerKeySpec &spec, QObject *context, Callback<IssuedKey> done) override;
    void editKey(const QString &name, const ConsumerKeyEdit &edit, QObject *context, Callback<ConsumerKey> done) override;
    void rotateKey(const QString &name, QObject *context, Callback<IssuedKey> done) override;
    void revokeKey(const QString &name, QObject *context, Callback<ConsumerKey> done) override;

    static QUrlQuery logQuery(const GatewayLogFilter &filter);

private:
    void call(const QByteArray &method, const QString &path, const QUrlQuery &query, const QJsonObject &body, QObject *context,
              std::function<void(Result<QJsonObject>)> done);

    HostEndpoint m_server;
    QNetworkAccessManager *m_nam;
};

} // namespace boo
