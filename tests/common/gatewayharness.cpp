#include "tests/common/gatewayharness.h"

#include "core/fleet/fleetstate.h"
#include "core/providers/providerregistry.h"
#include "core/server/controlserver.h"
#include "core/sim/simhost.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

namespace boo::test {

QJsonObject GatewayHarness::Reply::json() const
{
    return QJsonDocument::fromJson(body).object();
}

GatewayOptions GatewayHarness::fastOptions()
{
    GatewayOptions o;
    o.timeouts.connectMs = 1000;
    o.timeouts.headerMs = 3000;
    o.timeouts.idleMs = 3000;
    o.defaultColdStartMs = 1000;
    o.leaseRefreshMs = 200;
    return o;
}

GatewayHarness::GatewayHarness(DatabaseUrl database, QList<SimHostConfig> hosts, GatewayOptions options, QString token, QObject *parent)
    : QObject(parent)
    , m_ingest(std::make_unique<IngestHarness>(std::move(database), std::move(hosts)))
    , m_options(std::move(options))
    , m_token(std::move(token))
{
}

GatewayHarness::~GatewayHarness()
{
    delete m_server; // it serves the gateway's routes: it goes first
    delete m_gateway;
    m_ingest->stop();
}

Result<void> GatewayHarness::start()
{
    if (auto started = m_ingest->start(); !started)
        return started.error();
    m_server = new ControlServer(m_ingest->fleet(), m_ingest->ingest(), m_ingest->writer(), m_ingest->database(),
                                 {ListenAddress{QHostAddress(QHostAddress::LocalHost), 0}, m_token, {}, {}});
    m_gateway
        = new Gateway(m_ingest->fleet(), m_ingest->registry(), m_ingest->access(), m_ingest->secrets(), m_ingest->database(), m_options);
    if (auto ready = m_gateway->start(); !ready)
        return ready.error();
    m_server->addGateway(m_gateway);
    // As boocontrol --serve wires it.
    m_server->addMetricsSource([recorder = QPointer<HistoryRecorder>(m_ingest->runtime()->recorder())] {
        return recorder ? recorder->attributionMetricsText() : QByteArray();
    });
    if (auto listening = m_server->start(); !listening)
        return listening.error();
    const auto ready = [this] {
        for (const QString &name : m_ingest->hostNames()) {
            const auto view = m_ingest->fleet()->host(name);
            if (!view || view->liveness != Liveness::Connected || view->models.isEmpty())
                return false;
        }
        return true;
    };
    if (!QTest::qWaitFor(ready, 10000))
        return makeError(u"harness"_s, u"the simulated hosts did not all connect"_s);
    return {};
}

void GatewayHarness::addProviders(const QList<ProviderConfig> &providers)
{
    QList<ProviderConfig> all = m_ingest->registry()->providers();
    all += providers;
    m_ingest->registry()->replaceProviders(all);
}

Result<void> GatewayHarness::putPolicies(const QJsonArray &policies)
{
    const Reply r = send("PUT", u"/api/routing/policies"_s, QJsonDocument(QJsonObject{{u"policies"_s, policies}}).toJson(), {});
    if (r.status != 200)
        return makeError(u"harness"_s, QString::fromUtf8(r.body));
    return {};
}

QString GatewayHarness::baseUrl() const
{
    return u"http://127.0.0.1:%1"_s.arg(m_server->port());
}

GatewayHarness::Reply GatewayHarness::post(const QString &path, const QByteArray &body, const QHash<QByteArray, QByteArray> &headers)
{
    return send("POST", path, body, headers);
}

GatewayHarness::Reply GatewayHarness::get(const QString &path, const QHash<QByteArray, QByteArray> &headers)
{
    return send("GET", path, {}, headers);
}

GatewayHarness::Reply GatewayHarness::send(const QByteArray &method, const QString &path, const QByteArray &body,
                                           QHash<QByteArray, QByteArray> headers)
{
    QNetworkRequest request(QUrl(baseUrl() + path));
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    if (!m_token.isEmpty() && !headers.contains("Authorization"))
        headers.insert("Authorization", "Bearer " + m_token.toUtf8());
    if (!body.isEmpty() && !headers.contains("Content-Type"))
        headers.insert("Content-Type", "application/json");
    for (auto it = headers.cbegin(); it != headers.cend(); ++it) {
        if (!it.value().isNull())
            request.setRawHeader(it.key(), it.value());
    }
    QNetworkReply *reply = m_nam.sendCustomRequest(request, method, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!finished.wait(15000))
        qFatal("no answer for %s %s", method.constData(), qPrintable(path));
    Reply r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.body = reply->readAll();
    if (reply->error() != QNetworkReply::NoError && r.status == 0)
        r.networkError = reply->errorString();
    for (const auto &[name, value] : reply->rawHeaderPairs())
        r.headers.insert(name.toLower(), value);
    reply->deleteLater();
    return r;
}

qsizetype GatewayHarness::rowsOn(const QString &host) const
{
    return qsizetype(m_ingest->host(host)->activity().lastId());
}

} // namespace boo::test
