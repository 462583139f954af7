#include "core/fleet/fleetstate.h"
#include "core/http/httpserver.h"
#include "core/server/controlfeed.h"
#include "core/server/controlserver.h"
#include "core/store/database.h"
#include "core/store/historywriter.h"
#include "core/store/migrations.h"
#include "core/store/rowinserter.h"
#include "tests/common/fleetdeltas.h"
#include "tests/common/historyrowfactory.h"
#include "tests/common/testdatabases.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QWebSocket>

using namespace Qt::StringLiterals;
using namespace boo;
using boo::test::TestDatabase;

namespace {

constexpr qint64 kT0 = 1'790'000'000'000;

const QByteArray kUpgradeHeaders = "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                   "Sec-WebSocket-Version: 13\r\n\r\n"_ba;

struct Reply
{
    int status = 0;
    QJsonObject json;
    QByteArray body;
    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
    QHash<QByteArray, QByteArray> headers;
};

ModelStatus readyModel(const QString &id)
{
    ModelStatus s;
    s.id = id;
    s.state = ModelState::Ready;
    s.stateText = u"ready"_s;
    return s;
}

} // namespace

class TestControlServer : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestDatabase> m_tdb;
    std::unique_ptr<Database> m_db;
    FleetState *m_fleet = nullptr;
    ControlServer *m_server = nullptr;
    QNetworkAccessManager m_nam;

    Reply get(const QString &pathAndQuery, const QByteArray &token = {}, const QByteArray &method = "GET")
    {
        QNetworkRequest request(QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_server->port()).arg(pathAndQuery)));
        if (!token.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + token);
        QNetworkReply *reply = m_nam.sendCustomRequest(request, method);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!finished.wait(5000))
            qFatal("no answer for %s", qPrintable(pathAndQuery));
        Reply r;
        r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        r.body = reply->readAll();
        r.json = QJsonDocument::fromJson(r.body).object();
        for (const auto &[name, value] : reply->rawHeaderPairs())
            r.headers.insert(name.toLower(), value);
        reply->deleteLater();
        return r;
    }

    void startServer(const QString &token = {})
    {
        m_tdb = TestDatabase::create(SqlDialect::Sqlite);
        m_db = std::move(Database::open(m_tdb->url(), u"test"_s)).value();
        QVERIFY(Migrations::migrate(*m_db).ok());
        m_fleet = new FleetState(this);
        m_fleet->addHost(u"h1"_s, u"Host 1"_s, u"http://h1:8080"_s);
        m_fleet->addHost(u"h2"_s, u"Host 2"_s, u"http://h2:8080"_s);
        m_fleet->setLiveness(u"h1"_s, Liveness::Connected, QDateTime::currentMSecsSinceEpoch());
        m_fleet->applyModelStatus(u"h1"_s, {readyModel(u"qwen"_s)}, QDateTime::currentMSecsSinceEpoch());
        m_fleet->setModelTtls(u"h1"_s, {{u"qwen"_s, 300}});
        ControlServerOptions options;
        options.listen = ListenAddress{QHostAddress(QHostAddress::LocalHost), 0};
        options.token = token;
        options.databaseLabel = m_tdb->url().displayString();
        m_server = new ControlServer(m_fleet, nullptr, nullptr, m_db.get(), options, this);
        const auto started = m_server->start();
        QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().message));
    }

    void insertRequests(int count)
    {
        QList<HistoryRow> rows;
        for (int i = 0; i < count; ++i) {
            RequestRow r = test::makeRequestRow(i % 2 ? u"h2"_s : u"h1"_s, i);
            r.ts = kT0 + i * 1000;
            r.respStatusCode = i % 10 == 9 ? 500 : 200;
            r.source = i % 3 == 0 ? u"agent"_s : QString();
            rows << HistoryRow{r};
        }
        for (int i = 0; i < 40; ++i) {
            PerfSampleRow s = test::makePerfRow(u"h1"_s, i);
            s.ts = kT0 + i * 60'000; // a sample a minute for 40 minutes
            rows << HistoryRow{s};
        }
        RowInserter inserter(*m_db);
        QVERIFY(m_db->inTransaction([&]() -> Result<void> {
                        auto n = inserter.insert(rows, kT0);
                        if (!n)
                            return n.error();
                        return {};
                    })
                    .ok());
    }

private Q_SLOTS:
    void cleanup()
    {
        delete m_server;
        m_server = nullptr;
        delete m_fleet;
        m_fleet = nullptr;
        m_db.reset();
        m_tdb.reset();
    }

    void healthAndFleet()
    {
        startServer();
        const Reply health = get(u"/api/health"_s);
        QCOMPARE(health.status, 200);
        QCOMPARE(health.json.value(u"status"_s).toString(), u"ok"_s);
        QCOMPARE(health.json.value(u"version"_s).toString(), QStringLiteral(BOO_VERSION_STRING));
        QCOMPARE(health.json.value(u"hosts"_s).toInt(), 2);

        const Reply fleet = get(u"/api/fleet"_s);
        QCOMPARE(fleet.status, 200);
        const QJsonArray hosts = fleet.json.value(u"hosts"_s).toArray();
        QCOMPARE(hosts.size(), 2);
        const QJsonObject h1 = hosts.at(0).toObject();
        QCOMPARE(h1.value(u"id"_s).toString(), u"h1"_s);
        QCOMPARE(h1.value(u"liveness"_s).toString(), u"connected"_s);
        QVERIFY(h1.value(u"last_seen_at"_s).isDouble());
        QCOMPARE(h1.value(u"gap_suspected"_s).toBool(), false);
        QVERIFY(h1.value(u"seq"_s).toInteger() > 0);
        QCOMPARE(h1.value(u"inflight"_s).toInt(), 0);
        QVERIFY(h1.value(u"gpus"_s).isArray());
        const QJsonObject model = h1.value(u"models"_s).toArray().at(0).toObject();
        QCOMPARE(model.value(u"id"_s).toString(), u"qwen"_s);
        QCOMPARE(model.value(u"state"_s).toString(), u"ready"_s);
        QVERIFY(model.value(u"ttl_remaining_s"_s).toInt() > 295);
        QCOMPARE(hosts.at(1).toObject().value(u"liveness"_s).toString(), u"reconnecting"_s);
        QVERIFY(hosts.at(1).toObject().value(u"last_seen_at"_s).isNull());

        // `summary`: the fleet's totals, as the desktop's strip shows them.
        const QJsonObject summary = fleet.json.value(u"summary"_s).toObject();
        const QJsonObject counts = summary.value(u"hosts"_s).toObject();
        QCOMPARE(counts.value(u"total"_s).toInt(), 2);
        QCOMPARE(counts.value(u"up"_s).toInt(), 1);
        QCOMPARE(counts.value(u"reconnecting"_s).toInt(), 1);
        QCOMPARE(counts.value(u"down"_s).toInt(), 0);
        QCOMPARE(counts.value(u"needing_attention"_s).toInt(), 1);
        QCOMPARE(summary.value(u"models_loaded"_s).toInt(), 1);
        QCOMPARE(summary.value(u"requests_last_minute"_s).toInt(), 0);
        QCOMPARE(summary.value(u"gaps_suspected"_s).toInt(), 0);

        // Requests and GPUs arrive: the next answer counts them.
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        ActivityEntry e;
        e.model = u"qwen"_s;
        e.respStatusCode = 200;
        e.outputTokens = 600;
        QList<ActivityEntry> finished;
        for (int i = 1; i <= 3; ++i) {
            e.id = i;
            e.timestampMs = now - i * 5000;
            finished << e;
        }
        m_fleet->addActivity(u"h1"_s, finished);
        GpuSample g{now, 0, u"RTX"_s, u"GPU-0"_s, 90, 0, 50, 50, 23000, 24000, 30, 200};
        m_fleet->addGpuSamples(u"h1"_s, {g});
        m_fleet->setGapSuspected(u"h1"_s, true, now);
        const QJsonObject later = get(u"/api/fleet"_s).json.value(u"summary"_s).toObject();
        QCOMPARE(later.value(u"requests_last_minute"_s).toInt(), 3);
        QCOMPARE(later.value(u"output_tokens_per_second"_s).toDouble(), 30.0); // 1,800 tokens in 60 s
        QCOMPARE(later.value(u"vram_used_mb"_s).toInteger(), 23000);
        QCOMPARE(later.value(u"vram_total_mb"_s).toInteger(), 24000);
        QCOMPARE(later.value(u"gaps_suspected"_s).toInt(), 1);
        QCOMPARE(later.value(u"hosts"_s).toObject().value(u"needing_attention"_s).toInt(), 2);
        QCOMPARE(later.value(u"alerts"_s).toInt(), 2); // 95.8 % VRAM and 90 °C on GPU 0
    }

    void requestsArePagedNewestFirst()
    {
        startServer();
        insertRequests(25);
        Reply page = get(u"/api/requests?limit=10"_s);
        QCOMPARE(page.status, 200);
        QJsonArray rows = page.json.value(u"requests"_s).toArray();
        QCOMPARE(rows.size(), 10);
        QCOMPARE(rows.at(0).toObject().value(u"ts"_s).toInteger(), kT0 + 24'000);
        QCOMPARE(rows.at(9).toObject().value(u"ts"_s).toInteger(), kT0 + 15'000);
        qint64 cursor = page.json.value(u"next_before_id"_s).toInteger();
        QVERIFY(cursor > 0);

        QList<qint64> seen;
        for (const QJsonValue &row : std::as_const(rows))
            seen << row.toObject().value(u"ts"_s).toInteger();
        while (cursor > 0) {
            page = get(u"/api/requests?limit=10&before_id=%1"_s.arg(cursor));
            QCOMPARE(page.status, 200);
            for (const QJsonValue &row : page.json.value(u"requests"_s).toArray())
                seen << row.toObject().value(u"ts"_s).toInteger();
            cursor = page.json.value(u"next_before_id"_s).toInteger();
        }
        QCOMPARE(seen.size(), 25);
        QVERIFY(std::is_sorted(seen.crbegin(), seen.crend()));

        const QJsonObject row = rows.at(0).toObject();
        QCOMPARE(row.value(u"host"_s).toString(), u"h1"_s);
        QVERIFY(row.value(u"tokens"_s).toObject().contains(u"cache"_s));
        QVERIFY(row.value(u"time"_s).toString().endsWith(u'Z'));
    }

    void requestFilters()
    {
        startServer();
        insertRequests(30);
        auto count = [this](const QString &query) {
            const Reply r = get(u"/api/requests?limit=1000&"_s + query);
            return r.status == 200 ? int(r.json.value(u"requests"_s).toArray().size()) : -r.status;
        };
        QCOMPARE(count(u"host=h1"_s), 15);
        QCOMPARE(count(u"host=h1&model=gpt-oss-20b"_s), 15);
        QCOMPARE(count(u"model=qwen3-30b-a3b&model=gpt-oss-20b"_s), 30);
        QCOMPARE(count(u"status=5xx"_s), 3);
        QCOMPARE(count(u"source=agent"_s), 10);
        QCOMPARE(count(u"source=-"_s), 20);
        QCOMPARE(count(u"since=%1&until=%2"_s.arg(kT0 + 5000).arg(kT0 + 10000)), 5);
        QCOMPARE(count(u"since=2026-09-21T14:13:25Z"_s), count(u"since=%1"_s.arg(qint64(1'790'000'005'000))));
        QCOMPARE(count(u"q=qwen3"_s), 15);
    }

    void badRequestsGetJsonErrors_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("limit") << u"/api/requests?limit=0"_s << 400 << u"'limit' must be an integer from 1 to 1000"_s;
        QTest::newRow("limit text") << u"/api/requests?limit=lots"_s << 400 << u"'limit'"_s;
        QTest::newRow("since") << u"/api/requests?since=yesterday"_s << 400 << u"'since' must be epoch milliseconds or an RFC 3339 time"_s;
        QTest::newRow("status") << u"/api/requests?status=2x"_s << 400 << u"'status' must be one of"_s;
        QTest::newRow("cursor") << u"/api/requests?before_id=999999"_s << 400 << u"before_id 999999 does not name a stored request"_s;
        QTest::newRow("perf range") << u"/api/perf?from=2000&to=1000"_s << 400 << u"'to' must be after 'from'"_s;
        QTest::newRow("gpu") << u"/api/perf?gpu=-1"_s << 400 << u"'gpu'"_s;
        QTest::newRow("unknown path") << u"/api/nothing"_s << 404 << u"no such endpoint: /api/nothing"_s;
    }

    void badRequestsGetJsonErrors()
    {
        QFETCH(QString, path);
        QFETCH(int, status);
        QFETCH(QString, mentions);
        startServer();
        const Reply r = get(path);
        QCOMPARE(r.status, status);
        QVERIFY(r.header("content-type").startsWith("application/json"));
        const QString message = r.json.value(u"error"_s).toObject().value(u"message"_s).toString();
        QVERIFY2(message.contains(mentions), qPrintable(message));
    }

    void wrongMethodIs405()
    {
        startServer();
        const Reply r = get(u"/api/fleet"_s, {}, "POST");
        QCOMPARE(r.status, 405);
        QCOMPARE(r.header("allow"), QByteArray("GET, HEAD"));
        QCOMPARE(r.json.value(u"error"_s).toObject().value(u"code"_s).toString(), u"method_not_allowed"_s);
    }

    void aSuspectedGapCanBeAcknowledged()
    {
        qRegisterMetaType<FleetDelta>();
        startServer();
        m_fleet->setGapSuspected(u"h1"_s, true, kT0);
        QSignalSpy changed(m_fleet, &FleetState::changed);
        const Reply r = get(u"/api/hosts/h1/gap/acknowledge"_s, {}, "POST");
        QCOMPARE(r.status, 200);
        const QJsonObject host = r.json.value(u"host"_s).toObject();
        QCOMPARE(host.value(u"id"_s).toString(), u"h1"_s);
        QCOMPARE(host.value(u"gap_suspected"_s).toBool(true), false);
        QVERIFY(!m_fleet->host(u"h1"_s)->gapSuspected);
        QCOMPARE(get(u"/api/fleet"_s).json.value(u"hosts"_s).toArray().at(0).toObject().value(u"gap_suspected"_s).toBool(true), false);
        // Announced for the recorder, with where it came from.
        const auto incidents = test::factsIn<HostIncident>(changed);
        QCOMPARE(incidents.size(), 1);
        QCOMPARE(incidents.first().kind, u"gap_acknowledged"_s);
        QVERIFY2(incidents.first().detail.contains(u"127.0.0.1"_s), qPrintable(incidents.first().detail));

        QCOMPARE(get(u"/api/hosts/h1/gap/acknowledge"_s, {}, "POST").status, 200); // again: no error
        const Reply unknown = get(u"/api/hosts/nope/gap/acknowledge"_s, {}, "POST");
        QCOMPARE(unknown.status, 404);
        QCOMPARE(unknown.json.value(u"error"_s).toObject().value(u"code"_s).toString(), u"host_unknown"_s);
        QCOMPARE(get(u"/api/hosts/h1/gap/acknowledge"_s).status, 405);
    }

    void perfRawAndBuckets()
    {
        startServer();
        insertRequests(1);
        const Reply raw = get(u"/api/perf?host=h1&gpu=0&from=%1&to=%2"_s.arg(kT0).arg(kT0 + 3600'000));
        QCOMPARE(raw.status, 200);
        QCOMPARE(raw.json.value(u"resolution"_s).toString(), u"raw"_s);
        QCOMPARE(raw.json.value(u"points"_s).toArray().size(), 40);
        QVERIFY(raw.json.value(u"points"_s).toArray().at(0).toObject().value(u"temp_c"_s).isDouble());

        const Reply buckets = get(u"/api/perf?host=h1&from=%1&to=%2"_s.arg(kT0 - 12 * 3600'000).arg(kT0 + 3600'000));
        QCOMPARE(buckets.status, 200);
        QCOMPARE(buckets.json.value(u"resolution"_s).toString(), u"5m"_s);
        const QJsonArray points = buckets.json.value(u"points"_s).toArray();
        qint64 samples = 0;
        for (const QJsonValue &p : points)
            samples += p.toObject().value(u"samples"_s).toInteger();
        QCOMPARE(samples, 40);
        QVERIFY(points.at(0).toObject().value(u"temp_c"_s).toObject().contains(u"max"_s));
    }

    void metricsInPrometheusFormat()
    {
        startServer();
        const Reply r = get(u"/metrics"_s);
        QCOMPARE(r.status, 200);
        QVERIFY(r.header("content-type").startsWith("text/plain; version=0.0.4"));
        const QByteArray body = r.body;
        QVERIFY(body.contains("# TYPE boo_host_liveness gauge\n"));
        QVERIFY(body.contains("boo_host_liveness{host=\"h1\",state=\"connected\"} 1\n"));
        QVERIFY(body.contains("boo_host_liveness{host=\"h2\",state=\"reconnecting\"} 1\n"));
        QVERIFY(body.contains("boo_host_models_loaded{host=\"h1\"} 1\n"));
        QVERIFY(body.contains("boo_control_feed_clients 0\n"));
    }

    void tokenGuardsEverythingButHealth()
    {
        startServer(u"s3cret"_s);
        QCOMPARE(get(u"/api/health"_s).status, 200);
        const Reply refused = get(u"/api/fleet"_s);
        QCOMPARE(refused.status, 401);
        QCOMPARE(refused.header("www-authenticate"), QByteArray("Bearer"));
        QCOMPARE(refused.json.value(u"error"_s).toObject().value(u"code"_s).toString(), u"unauthorized"_s);
        QCOMPARE(get(u"/api/fleet"_s, "wrong").status, 401);
        QCOMPARE(get(u"/api/fleet"_s, "s3cret").status, 200);
        QCOMPARE(get(u"/metrics"_s).status, 401);

        // Refused before the upgrade (401), so the socket never opens.
        QWebSocket anonymous;
        QSignalSpy anonymousFailed(&anonymous, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error));
        QSignalSpy anonymousConnected(&anonymous, &QWebSocket::connected);
        QSignalSpy anonymousMessages(&anonymous, &QWebSocket::textMessageReceived);
        anonymous.open(QUrl(u"ws://127.0.0.1:%1/api/ws/control"_s.arg(m_server->port())));
        QTRY_COMPARE_WITH_TIMEOUT(anonymousFailed.count(), 1, 5000);
        QCOMPARE(anonymousConnected.count(), 0);
        QCOMPARE(anonymousMessages.count(), 0);

        QWebSocket withToken;
        QSignalSpy messages(&withToken, &QWebSocket::textMessageReceived);
        withToken.open(QUrl(u"ws://127.0.0.1:%1/api/ws/control?token=s3cret"_s.arg(m_server->port())));
        QTRY_COMPARE_WITH_TIMEOUT(messages.count(), 1, 5000);
    }

    // Issue 17: an upgrade is authorised on its head, before 101, on the path routing uses.
    void webSocketAuthorisedBeforeUpgrade_data()
    {
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<QByteArray>("statusLine");
        QTest::newRow("no token") << "/api/ws/control"_ba
                                  << "HTTP/1.1 401 "_ba;
        QTest::newRow("wrong token") << "/api/ws/control?token=nope"_ba
                                     << "HTTP/1.1 401 "_ba;
        QTest::newRow("encoded letter") << "/api/ws/%63ontrol"_ba
                                        << "HTTP/1.1 401 "_ba;
        QTest::newRow("empty segments") << "//api//ws/control"_ba
                                        << "HTTP/1.1 401 "_ba;
        QTest::newRow("encoded slashes") << "/api%2Fws%2Fcontrol"_ba
                                         << "HTTP/1.1 400 "_ba;
        QTest::newRow("dot segments") << "/api/health/../ws/control"_ba
                                      << "HTTP/1.1 400 "_ba;
        QTest::newRow("token elsewhere is no token") << "/api/fleet?token=s3cret"_ba
                                                     << "HTTP/1.1 401 "_ba;
        QTest::newRow("query token") << "/api/ws/control?token=s3cret"_ba
                                     << "HTTP/1.1 101 Switching Protocols\r\n"_ba;
        QTest::newRow("query token, encoded path") << "/api/ws/%63ontrol?token=s3cret"_ba
                                                   << "HTTP/1.1 101 Switching Protocols\r\n"_ba;
    }
    void webSocketAuthorisedBeforeUpgrade()
    {
        QFETCH(QByteArray, target);
        QFETCH(QByteArray, statusLine);
        startServer(u"s3cret"_s);
        QTcpSocket raw;
        raw.connectToHost(QHostAddress::LocalHost, m_server->port());
        QVERIFY(raw.waitForConnected(3000));
        raw.write("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + kUpgradeHeaders);
        QByteArray got;
        QTRY_VERIFY_WITH_TIMEOUT((got += raw.readAll()).contains("\r\n\r\n"), 5000);
        QVERIFY2(got.startsWith(statusLine), got.constData());
        if (!statusLine.contains("101"))
            QCOMPARE(m_server->feed()->clientCount(), 0);
        else
            QTRY_COMPARE_WITH_TIMEOUT(m_server->feed()->clientCount(), 1, 5000);
    }

    // Issue 17: the control WebSocket takes small, masked frames only, and closes the socket.
    void webSocketRefusesBadFrames_data()
    {
        QTest::addColumn<QByteArray>("frame");
        QTest::addColumn<int>("closeCode");
        QTest::newRow("unmasked") << QByteArray("\x81\x02hi", 4) << 1002;
        // The probe's frame claimed 100 MiB: refused from its header, nothing of it buffered.
        QTest::newRow("claims 100 MiB") << QByteArray("\x82\xff\x00\x00\x00\x00\x06\x40\x00\x00\x01\x02\x03\x04", 14) << 1009;
        QTest::newRow("reserved bits") << QByteArray("\xf1\x80\x01\x02\x03\x04", 6) << 1002;
    }
    void webSocketRefusesBadFrames()
    {
        QFETCH(QByteArray, frame);
        QFETCH(int, closeCode);
        startServer();
        QTcpSocket raw;
        raw.connectToHost(QHostAddress::LocalHost, m_server->port());
        QVERIFY(raw.waitForConnected(3000));
        raw.write("GET /api/ws/control HTTP/1.1\r\nHost: 127.0.0.1\r\n" + kUpgradeHeaders);
        QByteArray got;
        QTRY_VERIFY_WITH_TIMEOUT((got += raw.readAll()).contains("\r\n\r\n"), 5000);
        QVERIFY(got.startsWith("HTTP/1.1 101 "));
        QTRY_COMPARE_WITH_TIMEOUT(m_server->feed()->clientCount(), 1, 5000);
        raw.write(frame);
        QTRY_COMPARE_WITH_TIMEOUT(raw.state(), QAbstractSocket::UnconnectedState, 5000);
        got += raw.readAll();
        // The snapshot, then a close frame with the code.
        const QByteArray close = QByteArray("\x88", 1);
        const qsizetype at = got.lastIndexOf(close);
        QVERIFY2(at > 0, got.right(64).toHex().constData());
        QCOMPARE((quint8(got.at(at + 2)) << 8) | quint8(got.at(at + 3)), closeCode);
        QTRY_COMPARE_WITH_TIMEOUT(m_server->feed()->clientCount(), 0, 5000);
    }

    // Issue 17: /upstream/{model}/... never leaves the model's own paths, and an unauthorised
    // body is refused before it is read.
    void traversalAndUnauthorisedBodies()
    {
        startServer(u"s3cret"_s);
        for (const QByteArray &path :
             {"/upstream/auto/../../api/fleet"_ba, "/upstream/auto/%2e%2e/%2e%2e/unload"_ba, "/upstream/auto/..%2F..%2Fapi%2Ffleet"_ba}) {
            QTcpSocket raw;
            raw.connectToHost(QHostAddress::LocalHost, m_server->port());
            QVERIFY(raw.waitForConnected(3000));
            raw.write("GET " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer s3cret\r\n\r\n");
            QByteArray got;
            QTRY_VERIFY_WITH_TIMEOUT((got += raw.readAll()).contains("\r\n\r\n"), 5000);
            QVERIFY2(got.startsWith("HTTP/1.1 400 "), path.constData());
        }
        QTcpSocket raw;
        raw.connectToHost(QHostAddress::LocalHost, m_server->port());
        QVERIFY(raw.waitForConnected(3000));
        QElapsedTimer t;
        t.start();
        raw.write("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 31457280\r\n\r\n" + QByteArray(1024, '{'));
        QByteArray got;
        QTRY_VERIFY_WITH_TIMEOUT((got += raw.readAll()).contains("\r\n\r\n"), 2000);
        QVERIFY(got.startsWith("HTTP/1.1 401 "));
        QVERIFY(t.elapsed() < 2000);
    }

    void nonLoopbackNeedsAToken()
    {
        FleetState fleet;
        ControlServerOptions options;
        options.listen = ListenAddress{QHostAddress(QHostAddress::AnyIPv4), 0};
        ControlServer server(&fleet, nullptr, nullptr, nullptr, options);
        const auto started = server.start();
        QVERIFY(!started.ok());
        QVERIFY2(started.error().message.contains(u"--token-file"_s), qPrintable(started.error().message));
        QVERIFY(started.error().message.contains(u"BOO_TOKEN"_s));
    }

    void webSocketSnapshotThenDeltas()
    {
        startServer();
        QWebSocket client;
        QList<QJsonObject> frames;
        connect(&client, &QWebSocket::textMessageReceived, this,
                [&](const QString &text) { frames << QJsonDocument::fromJson(text.toUtf8()).object(); });
        client.open(QUrl(u"ws://127.0.0.1:%1/api/ws/control"_s.arg(m_server->port())));
        QTRY_COMPARE_WITH_TIMEOUT(frames.size(), 1, 5000);
        const QJsonObject snapshot = frames.takeFirst();
        QCOMPARE(snapshot.value(u"type"_s).toString(), u"control_snapshot"_s);
        const qint64 seqAtSnapshot = snapshot.value(u"hosts"_s).toArray().at(0).toObject().value(u"seq"_s).toInteger();

        // A burst of whole-host changes is coalesced; the activity after it keeps seq order.
        for (int i = 0; i < 20; ++i)
            m_fleet->setGapSuspected(u"h1"_s, i % 2 == 0, kT0 + i);
        ActivityEntry row;
        row.id = 7;
        row.model = u"qwen"_s;
        row.timestampMs = kT0;
        row.respStatusCode = 200;
        m_fleet->addActivity(u"h1"_s, {row});
        QTRY_VERIFY_WITH_TIMEOUT(!frames.isEmpty() && frames.constLast().value(u"type"_s).toString() == u"control_activity"_s, 5000);
        QVERIFY2(frames.size() < 20, qPrintable(QString::number(frames.size())));
        qint64 previous = seqAtSnapshot;
        for (const QJsonObject &frame : std::as_const(frames)) {
            QCOMPARE(frame.value(u"host"_s).toString(), u"h1"_s);
            QVERIFY(frame.value(u"seq"_s).toInteger() > previous);
            previous = frame.value(u"seq"_s).toInteger();
        }
        const QJsonObject lastHost = frames.at(frames.size() - 2);
        QCOMPARE(lastHost.value(u"type"_s).toString(), u"control_fleet"_s);
        QCOMPARE(lastHost.value(u"data"_s).toObject().value(u"gap_suspected"_s).toBool(), false); // i = 19
        QCOMPARE(frames.constLast().value(u"data"_s).toArray().at(0).toObject().value(u"id"_s).toInt(), 7);
    }

    void slowClientIsDroppedOthersKeepUp()
    {
        startServer();
        m_server->feed()->setMaxPendingBytes(256 * 1024);
        // A client that completes the handshake and then never reads.
        QTcpSocket slow;
        slow.setReadBufferSize(1);
        slow.connectToHost(QHostAddress::LocalHost, m_server->port());
        QVERIFY(slow.waitForConnected(3000));
        slow.write("GET /api/ws/control HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        QTRY_COMPARE_WITH_TIMEOUT(m_server->feed()->clientCount(), 1, 5000);

        QWebSocket good;
        qint64 goodFrames = 0;
        connect(&good, &QWebSocket::textMessageReceived, this, [&](const QString &) { ++goodFrames; });
        good.open(QUrl(u"ws://127.0.0.1:%1/api/ws/control"_s.arg(m_server->port())));
        QTRY_COMPARE_WITH_TIMEOUT(goodFrames, 1, 5000);

        const QString bigLine(4000, u'x');
        int sent = 0;
        for (int batch = 0; batch < 400 && m_server->feed()->droppedClients() == 0; ++batch) {
            QList<LogLine> lines(10, LogLine{bigLine, bigLine, false});
            m_fleet->appendLog(u"h1"_s, u"upstream"_s, lines);
            ++sent;
            QTest::qWait(1);
        }
        QCOMPARE(m_server->feed()->droppedClients(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(goodFrames, qint64(1 + sent), 10000); // the reader missed nothing
        QTRY_COMPARE(m_server->feed()->clientCount(), 1);
    }
};

QTEST_GUILESS_MAIN(TestControlServer)
#include "tst_controlserver.moc"
