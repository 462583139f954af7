// The desktop's two backends against a live simulated host: in-process (LocalBackend) and
// attached to a server (RemoteBackend through ControlServer and its host routes). Both must
// offer the same actions, captures, model logs and history.

#include "core/actions/actionjob.h"
#include "core/actions/logstreamreader.h"
#include "core/alerts/alertdelivery.h"
#include "core/alerts/alertservice.h"
#include "core/client/historysource.h"
#include "core/client/localbackend.h"
#include "core/client/remotebackend.h"
#include "core/client/remotefleetclient.h"
#include "core/fleet/fleetstate.h"
#include "core/runtime/fleetruntime.h"
#include "core/server/alertsapi.h"
#include "core/server/controlserver.h"
#include "core/sim/simhost.h"
#include "core/sim/simlogmonitor.h"
#include "tests/alerts/webhookreceiver.h"
#include "tests/common/livefleet.h"
#include "tests/sim/simtestsupport.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

class TestCockpitBackend : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::LiveFleet> m_live;
    std::unique_ptr<ControlServer> m_server;
    std::unique_ptr<CockpitBackend> m_backend;

    FleetState *fleet() const { return m_backend->fleet(); }

    // A finished request with a capture, as the backend's fleet reports it.
    ActivityEntry capturedRequest()
    {
        SimTrafficSpec spec;
        spec.model = u"qwen3-8b"_s;
        spec.stream = true;
        spec.timing = SimTrafficSpec::Timing::Instant;
        m_live->host(u"h1"_s)->generateTraffic(spec);
        ActivityEntry found;
        const bool ok = QTest::qWaitFor(
            [&] {
                const QList<ActivityEntry> recent = fleet()->recentActivity(u"h1"_s);
                for (const ActivityEntry &e : recent) {
                    if (e.hasCapture) {
                        found = e;
                        return true;
                    }
                }
                return false;
            },
            10000);
        if (!ok)
            qWarning("no captured request arrived");
        return found;
    }

private Q_SLOTS:
    void init()
    {
        QFETCH(bool, attached);
        QString error;
        m_live = test::LiveFleet::start({simtest::fastHost(u"h1"_s)}, &error);
        QVERIFY2(m_live, qPrintable(error));
        QVERIFY(m_live->waitConnected());
        FleetRuntime *runtime = m_live->runtime();
        if (!attached) {
            m_backend = std::make_unique<LocalBackend>(runtime);
            return;
        }
        ControlServerOptions options;
        options.listen = ListenAddress{QHostAddress(QHostAddress::LocalHost), 0};
        options.token = u"tok"_s;
        options.databaseLabel = m_live->databaseUrl().displayString();
        m_server = std::make_unique<ControlServer>(runtime->fleet(), runtime->ingest(), runtime->writer(), runtime->database(), options);
        m_server->setHostServices(runtime->access(), runtime->actions());
        QVERIFY(m_server->start().ok());
        auto remote
            = std::make_unique<RemoteBackend>(*RemoteFleetClient::controlUrl(u"ws://127.0.0.1:%1"_s.arg(m_server->port())), u"tok"_s);
        remote->start();
        QTRY_COMPARE(remote->client()->state(), RemoteFleetClient::State::Connected);
        QTRY_COMPARE(remote->databaseUp(), std::optional<bool>(true));
        QCOMPARE(remote->attachedServer(), u"ws://127.0.0.1:%1/api/ws/control"_s.arg(m_server->port()));
        m_backend = std::move(remote);
    }

    void cleanup()
    {
        m_backend.reset();
        m_server.reset();
        m_live.reset();
    }

    void modelPreferencesAreStored_data() { addRows(); }
    void modelPreferencesAreStored()
    {
        // Marked through the backend (here, or the server's PUT), read back through it, and in the
        // database the runtime (or the server) uses.
        const auto save = [this](const ModelPreference &p) -> Result<void> {
            std::optional<Result<void>> saved;
            m_backend->saveModelPreference(p, this, [&](Result<void> r) { saved = r; });
            if (!QTest::qWaitFor([&] { return saved.has_value(); }, 5000))
                return makeError(u"test.timeout"_s, u"no answer"_s);
            return *saved;
        };
        QVERIFY(save({u"h1"_s, u"qwen3-8b"_s, true, false, 0}).ok());
        QVERIFY(save({u"h1"_s, u"gpt-oss-20b"_s, false, true, 0}).ok());
        QVERIFY(save({u"h1"_s, u"gpt-oss-20b"_s, false, false, 0}).ok()); // unmarked again: gone
        const Result<void> invalid = save({u""_s, u"x"_s, true, false, 0});
        QVERIFY(!invalid.ok());

        std::optional<Result<QList<ModelPreference>>> loaded;
        m_backend->loadModelPreferences(this, [&](Result<QList<ModelPreference>> r) { loaded = r; });
        QTRY_VERIFY(loaded.has_value());
        QVERIFY2(loaded->ok(), loaded->ok() ? "" : qPrintable(loaded->error().message));
        QCOMPARE((*loaded)->size(), 1);
        QCOMPARE((*loaded)->at(0).provider, u"h1"_s);
        QCOMPARE((*loaded)->at(0).model, u"qwen3-8b"_s);
        QVERIFY((*loaded)->at(0).favorite && !(*loaded)->at(0).hidden);
        QCOMPARE(ModelPreferenceStore::load(*m_live->runtime()->database())->size(), 1);
    }

    void actionsShowTheirProgressInTheFleet_data() { addRows(); }
    void actionsShowTheirProgressInTheFleet()
    {
        QList<ActionJob> jobs;
        connect(fleet(), &FleetState::changed, this, [&jobs](const FleetDelta &delta) {
            if (const auto *update = delta.as<JobUpdated>()) {
                if (auto job = ActionJob::fromJson(update->job))
                    jobs << *job;
            }
        });
        HostAction warm;
        warm.hostId = u"h1"_s;
        warm.kind = HostAction::Kind::Warm;
        warm.model = u"qwen3-8b"_s;
        std::optional<Result<HostAction>> accepted;
        m_backend->submit(warm, this, [&accepted](Result<HostAction> r) { accepted = r; });
        QTRY_VERIFY(accepted.has_value());
        QVERIFY2(accepted->ok(), qPrintable(accepted->ok() ? QString() : accepted->error().message));
        const qint64 id = (*accepted)->id;
        QVERIFY(id > 0);
        QTRY_VERIFY_WITH_TIMEOUT(!jobs.isEmpty() && jobs.constLast().action.id == id && jobs.constLast().isFinished(), 10000);
        QCOMPARE(jobs.constLast().state, ActionJob::State::Succeeded);
        QTRY_COMPARE(fleet()->host(u"h1"_s)->model(u"qwen3-8b"_s)->state, ModelState::Ready);

        HostAction elsewhere = warm;
        elsewhere.hostId = u"nope"_s;
        std::optional<Result<HostAction>> refused;
        m_backend->submit(elsewhere, this, [&refused](Result<HostAction> r) { refused = r; });
        QTRY_VERIFY(refused.has_value());
        QVERIFY(!refused->ok());
        QCOMPARE(refused->error().code, u"action.host_unknown"_s);
    }

    void testAlertGoesOutFromTheServerOnly_data() { addRows(); }
    void testAlertGoesOutFromTheServerOnly()
    {
        QFETCH(bool, attached);
        alerttest::WebhookReceiver receiver;
        AlertConfig config;
        AlertSinkConfig hook;
        hook.name = u"hook"_s;
        hook.url = receiver.url(u"/hook"_s);
        config.sinks = {hook};
        AlertService alerts(m_live->fleet(), config);
        if (m_server)
            AlertsApi::install(m_server->http(), alerts.delivery());
        std::optional<Result<QString>> answer;
        m_backend->sendTestAlert(this, [&answer](Result<QString> sent) { answer = sent; });
        QTRY_VERIFY(answer.has_value());
        if (!attached) {
            QVERIFY(!answer->ok());
            QCOMPARE(answer->error().code, u"alerts.local"_s);
            QTest::qWait(100);
            QCOMPARE(receiver.count(), 0);
            return;
        }
        QVERIFY2(answer->ok(), qPrintable(answer->ok() ? QString() : answer->error().message));
        QVERIFY2(answer->value().contains(u"1 sink(s)"_s), qPrintable(answer->value()));
        QTRY_COMPARE(receiver.count(), 1);
        QCOMPARE(QJsonDocument::fromJson(receiver.received().front().body).object().value(u"kind"_s).toString(), u"test"_s);
    }

    void capturesAndEvictedCaptures_data() { addRows(); }
    void capturesAndEvictedCaptures()
    {
        const ActivityEntry entry = capturedRequest();
        QVERIFY(entry.hasCapture);
        std::optional<Result<Capture>> capture;
        m_backend->fetchCapture(u"h1"_s, entry.id, this, [&capture](Result<Capture> c) { capture = c; });
        QTRY_VERIFY(capture.has_value());
        QVERIFY2(capture->ok(), qPrintable(capture->ok() ? QString() : capture->error().message));
        QCOMPARE((*capture)->id, entry.id);
        QVERIFY((*capture)->reqBody && (*capture)->reqBody->contains("qwen3-8b"));
        QVERIFY((*capture)->respBody && (*capture)->respBody->contains("data: "));

        std::optional<Result<Capture>> gone;
        m_backend->fetchCapture(u"h1"_s, 424242, this, [&gone](Result<Capture> c) { gone = c; });
        QTRY_VERIFY(gone.has_value());
        QVERIFY(!gone->ok());
        QCOMPARE(gone->error().code, u"capture.gone"_s);
    }

    void modelLogStreams_data() { addRows(); }
    void modelLogStreams()
    {
        m_live->host(u"h1"_s)->modelLog(u"qwen3-8b"_s)->write("loading model\nsrv  ready\n");
        auto reader = m_backend->openModelLog(u"h1"_s, u"qwen3-8b"_s, this);
        QVERIFY(reader.ok());
        QList<LogLine> lines;
        connect(*reader, &LogStreamReader::linesReceived, this, [&lines](const QList<LogLine> &l) { lines += l; });
        QTRY_COMPARE(lines.size(), 2);
        QCOMPARE(lines.at(1).plain, u"srv  ready"_s);
        m_live->host(u"h1"_s)->modelLog(u"qwen3-8b"_s)->write("live line\n");
        QTRY_COMPARE(lines.size(), 3);
        delete *reader;

        auto unknown = m_backend->openModelLog(u"h1"_s, u"no-such-model"_s, this);
        QVERIFY(unknown.ok());
        QSignalSpy ended(*unknown, &LogStreamReader::ended);
        QVERIFY(ended.wait(5000));
        QVERIFY2(ended.at(0).at(0).toString().contains(u"400"_s), qPrintable(ended.at(0).at(0).toString()));
    }

    void historyHasTheRequests_data() { addRows(); }
    void historyHasTheRequests()
    {
        const ActivityEntry entry = capturedRequest();
        QVERIFY(entry.id > 0);
        std::optional<Result<RequestPage>> page;
        QTRY_VERIFY_WITH_TIMEOUT(([&] {
                                     page.reset();
                                     m_backend->history()->requests(RequestFilter{}, this, [&page](Result<RequestPage> p) { page = p; });
                                     return QTest::qWaitFor([&] { return page.has_value(); }, 5000) && page->ok()
                                         && !(*page)->rows.isEmpty();
                                 }()),
                                 10000);
        QCOMPARE((*page)->rows.constFirst().row.providerId, u"h1"_s);
        QCOMPARE((*page)->rows.constFirst().row.swapEntryId, entry.id);
    }

    // The operator acknowledges a suspected gap from the desktop, in either mode; the
    // acknowledgement is stored, so that the next start does not bring the gap back.
    void gapsCanBeAcknowledged_data() { addRows(); }
    void gapsCanBeAcknowledged()
    {
        FleetRuntime *runtime = m_live->runtime();
        const auto unacknowledgedAtStart = [runtime] { return FleetRuntime::resumeFrom(runtime->database())(u"h1"_s).gapSuspectedMs; };
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        runtime->fleet()->setGapSuspected(u"h1"_s, true, now);
        runtime->fleet()->announce(u"h1"_s, HostIncident{u"gap"_s, u"activity ids 5-9 are no longer on the host"_s, now});
        QTRY_VERIFY(fleet()->host(u"h1"_s)->gapSuspected);
        QTRY_COMPARE_WITH_TIMEOUT(unacknowledgedAtStart(), std::optional<qint64>(now), 5000); // a restart would show it again

        std::optional<Result<void>> done;
        m_backend->acknowledgeGap(u"h1"_s, this, [&done](Result<void> r) { done = r; });
        QTRY_VERIFY(done.has_value());
        QVERIFY2(done->ok(), qPrintable(done->ok() ? QString() : done->error().message));
        QTRY_VERIFY(!fleet()->host(u"h1"_s)->gapSuspected);
        QVERIFY(!runtime->fleet()->host(u"h1"_s)->gapSuspected);
        QTRY_COMPARE_WITH_TIMEOUT(unacknowledgedAtStart(), std::optional<qint64>(), 5000); // nor after a restart

        std::optional<Result<void>> unknown;
        m_backend->acknowledgeGap(u"nope"_s, this, [&unknown](Result<void> r) { unknown = r; });
        QTRY_VERIFY(unknown.has_value());
        QVERIFY(!unknown->ok());
        QCOMPARE(unknown->error().code, u"host.unknown"_s);
    }

    void hostRoutesSayWhatIsWrong()
    {
        QNetworkAccessManager nam;
        auto call = [&](const QByteArray &method, const QString &path, const QByteArray &body = {}) {
            QNetworkRequest request(QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_server->port()).arg(path)));
            request.setRawHeader("Authorization", "Bearer tok");
            request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
            return simtest::wait(nam.sendCustomRequest(request, method, body));
        };
        const simtest::Reply notJson = call("POST", u"/api/actions"_s, "warm it");
        QCOMPARE(notJson.status, 400);
        QVERIFY(notJson.body.contains("must be a JSON object"));
        const simtest::Reply badKind = call("POST", u"/api/actions"_s, "{\"host\":\"h1\",\"action\":\"reboot\"}");
        QCOMPARE(badKind.status, 400);
        QVERIFY(badKind.body.contains("unknown action 'reboot'"));
        const simtest::Reply noModel = call("POST", u"/api/actions"_s, "{\"host\":\"h1\",\"action\":\"warm\"}");
        QCOMPARE(noModel.status, 400);
        const simtest::Reply accepted = call("POST", u"/api/actions"_s, "{\"host\":\"h1\",\"action\":\"unload_all\",\"id\":77}");
        QCOMPARE(accepted.status, 202);
        QVERIFY(accepted.object().value(u"action"_s).toObject().value(u"id"_s).toInteger() != 77); // the server numbers actions
        QCOMPARE(call("GET", u"/api/hosts/h1/captures/abc"_s).status, 400);
        QCOMPARE(call("GET", u"/api/hosts/nope/captures/1"_s).status, 404);
        QCOMPARE(call("GET", u"/api/hosts/nope/logs/proxy"_s).status, 404);

        m_live->host(u"h1"_s)->goDown();
        QTRY_COMPARE_WITH_TIMEOUT(m_live->fleet()->host(u"h1"_s)->liveness, Liveness::Down, 10000);
        const simtest::Reply down = call("POST", u"/api/actions"_s, "{\"host\":\"h1\",\"action\":\"unload_all\"}");
        QCOMPARE(down.status, 409);
        QCOMPARE(down.object().value(u"error"_s).toObject().value(u"code"_s).toString(), u"host_down"_s);
    }

    void hostRoutesSayWhatIsWrong_data()
    {
        QTest::addColumn<bool>("attached");
        QTest::newRow("attached") << true;
    }

private:
    static void addRows()
    {
        QTest::addColumn<bool>("attached");
        QTest::newRow("local") << false;
        QTest::newRow("attached") << true;
    }
};

QTEST_GUILESS_MAIN(TestCockpitBackend)
#include "tst_cockpitbackend.moc"
