#pragma once

#include "core/gateway/gateway.h"
#include "tests/common/ingestharness.h"

#include <QByteArray>
#include <QHash>
#include <QNetworkAccessManager>
#include <QObject>

#include <memory>

namespace boo::test {

// Simulated hosts, the live ingest and a gateway on a control server of its own (so that a
// test can give it a token), as `boocontrol --serve` wires them. Requests go through real
// loopback HTTP.
class GatewayHarness final : public QObject
{
    Q_OBJECT

public:
    struct Reply
    {
        int status = 0;
        QByteArray body;
        QHash<QByteArray, QByteArray> headers; // lower-case names
        QString networkError;                  // empty when the exchange completed
        QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
        QJsonObject json() const;
        QJsonObject error() const { return json().value(QStringLiteral("error")).toObject(); }
    };

    static GatewayOptions fastOptions();

    GatewayHarness(DatabaseUrl database, QList<SimHostConfig> hosts, GatewayOptions options = fastOptions(), QString token = {},
                   QObject *parent = nullptr);
    ~GatewayHarness() override;

    // Starts everything and waits until every host is connected with its models known.
    Result<void> start();
    // Providers next to the simulated hosts (cloud kinds, unreachable ones).
    void addProviders(const QList<ProviderConfig> &providers);
    Result<void> putPolicies(const QJsonArray &policies);

    IngestHarness *ingest() const { return m_ingest.get(); }
    Gateway *gateway() const { return m_gateway; }
    SimHost *host(const QString &name) const { return m_ingest->host(name); }
    QString baseUrl() const;

    Reply post(const QString &path, const QByteArray &body, const QHash<QByteArray, QByteArray> &headers = {});
    Reply get(const QString &path, const QHash<QByteArray, QByteArray> &headers = {});
    Reply send(const QByteArray &method, const QString &path, const QByteArray &body, QHash<QByteArray, QByteArray> headers);
    // Rows the simulated host recorded (one per request that reached it, errors included).
    qsizetype rowsOn(const QString &host) const;

private:
    std::unique_ptr<IngestHarness> m_ingest;
    GatewayOptions m_options;
    QString m_token;
    ControlServer *m_server = nullptr;
    Gateway *m_gateway = nullptr;
    QNetworkAccessManager m_nam;
};

} // namespace boo::test
