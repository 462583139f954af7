// /api/leases on a ControlServer over a live simulated host (FleetRuntime, SQLite): what a
// script or an attached cockpit does to hold a host for a benchmark.

#include "core/actions/leasebook.h"
#include "core/fleet/fleetstate.h"
#include "core/server/controlserver.h"
#include "core/server/leasesapi.h"
#include "core/sim/simhost.h"
#include "tests/common/livefleet.h"
#include "tests/sim/simtestsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

class TestLeasesApi : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::LiveFleet> m_live;
    std::unique_ptr<ControlServer> m_server;
    QNetworkAccessManager m_nam;

    struct Answer
    {
        int status = 0;
        QJsonObject body;
    };

    Answer call(const QByteArray &method, const QString &path, const QByteArray &body = {})
    {
        QNetworkRequest request(QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_server->port()).arg(path)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        QNetworkReply *reply = m_nam.sendCustomRequest(request, method, body);
        const simtest::Reply r = simtest::wait(reply);
        return {r.status, QJsonDocument::fromJson(r.body).object()};
    }

private Q_SLOTS:
    void init()
    {
        QString error;
        m_live = test::LiveFleet::start({simtest::fastHost(u"h1"_s)}, &error);
        QVERIFY2(m_live, qPrintable(error));
        QVERIFY(m_live->waitConnected());
        ControlServerOptions options;
        options.listen = ListenAddress{QHostAddress(QHostAddress::LocalHost), 0};
        m_server = std::make_unique<ControlServer>(m_live->fleet(), nullptr, nullptr, m_live->runtime()->database(), options);
        LeasesApi::install(m_server->http(), m_live->runtime()->accessGate(), m_live->runtime()->leases());
        QVERIFY(m_server->start().ok());
    }

    void cleanup()
    {
        m_server.reset();
        m_live.reset();
    }

    void acquireHeartbeatListRelease()
    {
        const Answer granted = call("POST", u"/api/leases"_s,
                                    R"({"provider":"h1","model":"qwen3-8b","holder":"ci:nightly","purpose":"benchmark","ttl_s":30})");
        QCOMPARE(granted.status, 201);
        const QJsonObject lease = granted.body.value(u"lease"_s).toObject();
        QCOMPARE(lease.value(u"holder"_s).toString(), u"ci:nightly"_s);
        QCOMPARE(lease.value(u"model"_s).toString(), u"qwen3-8b"_s);
        QVERIFY(lease.value(u"active"_s).toBool());
        const qint64 id = lease.value(u"id"_s).toInteger();
        const qint64 firstEnd = lease.value(u"expires_at"_s).toInteger();

        const Answer beat = call("POST", u"/api/leases/%1/heartbeat"_s.arg(id), R"({"ttl_s":600})");
        QCOMPARE(beat.status, 200);
        QVERIFY(beat.body.value(u"lease"_s).toObject().value(u"expires_at"_s).toInteger() > firstEnd);

        const Answer listed = call("GET", u"/api/leases"_s);
        QCOMPARE(listed.status, 200);
        QCOMPARE(listed.body.value(u"leases"_s).toArray().size(), 1);
        QCOMPARE(listed.body.value(u"decisions"_s).toArray().first().toObject().value(u"outcome"_s).toString(), u"granted"_s);

        // Someone else is refused, and told by whom.
        const Answer taken = call("POST", u"/api/leases"_s, R"({"provider":"h1","holder":"other","force":true})");
        QCOMPARE(taken.status, 409);
        QCOMPARE(taken.body.value(u"error"_s).toObject().value(u"code"_s).toString(), u"leased"_s);
        QVERIFY(taken.body.value(u"error"_s).toObject().value(u"message"_s).toString().contains(u"ci:nightly"_s));

        QCOMPARE(call("DELETE", u"/api/leases/%1"_s.arg(id)).status, 200);
        QCOMPARE(call("DELETE", u"/api/leases/%1"_s.arg(id)).status, 404);
        QCOMPARE(call("POST", u"/api/leases/%1/heartbeat"_s.arg(id)).status, 404);
        const Answer after = call("GET", u"/api/leases"_s);
        QCOMPARE(after.body.value(u"leases"_s).toArray().size(), 0);
        QCOMPARE(after.body.value(u"recent"_s).toArray().first().toObject().value(u"active"_s).toBool(), false);
    }

    void badRequestsGetClearErrors()
    {
        QCOMPARE(call("POST", u"/api/leases"_s, "not json").status, 400);
        const Answer noProvider = call("POST", u"/api/leases"_s, R"({"holder":"x"})");
        QCOMPARE(noProvider.status, 400);
        QVERIFY(noProvider.body.value(u"error"_s).toObject().value(u"message"_s).toString().contains(u"provider"_s));
        QCOMPARE(call("POST", u"/api/leases"_s, R"({"provider":"h1","ttl_s":"long"})").status, 400);
        QCOMPARE(call("POST", u"/api/leases"_s, R"({"provider":"h1","ttl_s":0})").status, 400);
        QCOMPARE(call("POST", u"/api/leases"_s, R"({"provider":"nowhere"})").status, 404);
        QCOMPARE(call("DELETE", u"/api/leases/abc"_s).status, 404);
        // A body larger than the route takes is refused before it is read.
        QCOMPARE(call("POST", u"/api/leases"_s, QByteArray(LeasesApi::kMaxBodyBytes + 10, ' ')).status, 413);
    }

    void aBusyHostIsRefusedUnlessForced()
    {
        SimTrafficSpec spec;
        spec.model = u"qwen3-8b"_s;
        spec.timing = SimTrafficSpec::Timing::RealTime;
        spec.maxTokens = 100000;
        m_live->host(u"h1"_s)->generateTraffic(spec);
        QTRY_VERIFY_WITH_TIMEOUT(m_live->fleet()->host(u"h1"_s)->inflightCount > 0, 10000);
        const Answer busy = call("POST", u"/api/leases"_s, R"({"provider":"h1","holder":"ci"})");
        QCOMPARE(busy.status, 409);
        QCOMPARE(busy.body.value(u"decision"_s).toObject().value(u"outcome"_s).toString(), u"busy"_s);
        const Answer forced = call("POST", u"/api/leases"_s, R"({"provider":"h1","holder":"ci","force":true})");
        QCOMPARE(forced.status, 201);
        QVERIFY(forced.body.value(u"decision"_s).toObject().value(u"forced"_s).toBool());
    }
};

QTEST_GUILESS_MAIN(TestLeasesApi)
#include "tst_leasesapi.moc"
