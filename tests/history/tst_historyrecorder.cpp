#include "core/fleet/fleetstate.h"
#include "core/history/historyrecorder.h"
#include "core/providers/providerregistry.h"
#include "core/store/database.h"
#include "core/store/historywriter.h"
#include "core/store/migrations.h"
#include "tests/common/testdatabases.h"

#include <QDateTime>
#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;
using boo::test::TestDatabase;

namespace {

ActivityEntry activity(qint64 id, qint64 tsMs, qint64 durationMs, const QString &model = u"m"_s)
{
    ActivityEntry e;
    e.id = id;
    e.timestampMs = tsMs / 1000 * 1000; // llama-swap keeps whole seconds
    e.model = model;
    e.reqPath = u"/v1/chat/completions"_s;
    e.respContentType = u"text/event-stream"_s;
    e.respStatusCode = 200;
    e.durationMs = durationMs;
    return e;
}

ModelStatus ready(const QString &model)
{
    ModelStatus s;
    s.id = model;
    s.state = ModelState::Ready;
    s.stateText = u"ready"_s;
    return s;
}

} // namespace

// The HistoryRecorder is the one writer of history: everything FleetState announces that is
// history reaches the database through it, and nothing else does.
class TestHistoryRecorder : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestDatabase> m_tdb;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<ProviderRegistry> m_registry;
    std::unique_ptr<HistoryWriter> m_writer;
    std::unique_ptr<FleetState> m_fleet;
    std::unique_ptr<HistoryRecorder> m_recorder;

    // False when the test cannot go on: its dialect is not available here (skipped), or the
    // set-up failed (reported).
    bool setUp(const HistoryOptions &historyOptions = {})
    {
        m_tdb = TestDatabase::createForCurrentRow();
        if (!m_tdb)
            return false;
        auto db = Database::open(m_tdb->url(), u"test"_s);
        if (!db) {
            QTest::qFail(qPrintable(db.error().message), __FILE__, __LINE__);
            return false;
        }
        m_db = std::move(db).value();
        if (auto migrated = Migrations::migrate(*m_db); !migrated) {
            QTest::qFail(qPrintable(migrated.error().message), __FILE__, __LINE__);
            return false;
        }
        ProviderConfig provider;
        provider.id = u"h1"_s;
        provider.name = u"Host 1"_s;
        provider.baseUrl = QUrl(u"http://h1:8080"_s);
        m_registry = std::make_unique<ProviderRegistry>(QString());
        m_registry->replaceProviders({provider});
        HistoryWriterOptions options;
        options.flushIntervalMs = 10;
        m_writer = std::make_unique<HistoryWriter>(m_tdb->url(), options);
        m_fleet = std::make_unique<FleetState>();
        m_recorder = std::make_unique<HistoryRecorder>(m_fleet.get(), m_registry.get(), m_writer.get(), m_db.get(), historyOptions);
        if (auto recorded = m_recorder->recordProviders(); !recorded) {
            QTest::qFail(qPrintable(recorded.error().message), __FILE__, __LINE__);
            return false;
        }
        m_writer->start();
        m_recorder->start();
        m_fleet->addHost(u"h1"_s, u"Host 1"_s, u"http://h1:8080"_s);
        return true;
    }

    qint64 count(const QString &table, const QString &where = {}) const { return m_tdb->count(table, where); }

    QString sourceOf(qint64 swapEntryId) const
    {
        auto q = m_db->exec(u"SELECT source FROM control_requests WHERE swap_entry_id = ?"_s, {swapEntryId});
        return q && q->next() ? q->value(0).toString() : u"<no row>"_s;
    }

private Q_SLOTS:
    void cleanup()
    {
        if (m_recorder)
            m_recorder->stop();
        if (m_writer)
            m_writer->stop();
        m_recorder.reset();
        m_fleet.reset();
        m_writer.reset();
        m_registry.reset();
        m_db.reset();
        m_tdb.reset();
    }

    void everyKindOfHistoryReachesItsTable_data()
    {
        TestDatabase::addDialectColumn();
        TestDatabase::addDialectRows();
    }
    void everyKindOfHistoryReachesItsTable()
    {
        if (!setUp())
            return;
        QCOMPARE(count(u"control_hosts"_s, u"provider_id = 'h1'"_s), 1); // from the registry, before any row names it
        const qint64 now = QDateTime::currentMSecsSinceEpoch();

        m_fleet->setLiveness(u"h1"_s, Liveness::Connected, now);
        m_fleet->applyModelStatus(u"h1"_s, {ready(u"m"_s)}, now);
        m_fleet->addActivity(u"h1"_s, {activity(1, now, 300), activity(2, now, 400)});
        GpuSample gpu{now, 0, u"RTX"_s, u"GPU-0"_s, 50, 0, 30, 50, 12000, 24000, 30, 200};
        m_fleet->addGpuSamples(u"h1"_s, {gpu});
        m_fleet->setGapSuspected(u"h1"_s, true, now);
        m_fleet->announce(u"h1"_s, HostIncident{u"gap"_s, u"ids jumped from 2 to 9"_s, now});
        GatewayDispatchRow dispatch;
        dispatch.dispatchId = u"d-1"_s;
        dispatch.ts = now;
        dispatch.source = u"notes-app"_s;
        dispatch.requestedModel = u"auto"_s;
        dispatch.endpoint = u"/v1/chat/completions"_s;
        dispatch.candidatesJson = u"[]"_s;
        dispatch.attemptsJson = u"[]"_s;
        dispatch.status = 200;
        m_fleet->announce(QString(), DispatchFinished{dispatch});
        // Live state that is not history: logs and jobs.
        m_fleet->appendLog(u"h1"_s, u"proxy"_s, {LogLine{u"hi"_s, u"hi"_s, false}});
        m_fleet->publishJob(u"h1"_s, QJsonObject{{u"id"_s, 1}});

        QTRY_COMPARE(count(u"control_requests"_s), 2);
        QTRY_COMPARE(count(u"control_perf_samples"_s), 1);
        QTRY_COMPARE(count(u"control_model_events"_s, u"model = 'm' AND state = 'ready'"_s), 1);
        QTRY_COMPARE(count(u"control_host_events"_s, u"kind = 'liveness' AND detail = 'reconnecting -> connected'"_s), 1);
        QTRY_COMPARE(count(u"control_host_events"_s, u"kind = 'gap'"_s), 1);
        QTRY_COMPARE(count(u"gateway_dispatch_log"_s, u"dispatch_id = 'd-1'"_s), 1);
        // The host's status follows its liveness and the suspected gap.
        QTRY_COMPARE(count(u"control_hosts"_s, u"provider_id = 'h1' AND last_seen_at = %1 AND gap_suspected = 1"_s.arg(now)), 1);
        QCOMPARE(count(u"control_host_events"_s), 2);
    }

    // The gateway reports its attempts; the recorder gives the host's rows their source.
    void gatewayAttemptsAttributeTheHostsRows_data()
    {
        TestDatabase::addDialectColumn();
        TestDatabase::addDialectRows();
    }
    void gatewayAttemptsAttributeTheHostsRows()
    {
        if (!setUp())
            return;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();

        // The usual order: the attempt ends, then the host announces its row.
        m_fleet->announce(u"h1"_s, GatewayAttemptStarted{u"m"_s, u"d1.1"_s, u"notes-app"_s, now - 800});
        m_fleet->announce(u"h1"_s, GatewayAttemptEnded{u"m"_s, u"notes-app"_s, 200, now - 800, now, true, u"d1.1"_s});
        m_fleet->addActivity(u"h1"_s, {activity(1, now, 800), activity(2, now, 50, u"other"_s)});
        // The row first, while the attempt still runs: stored at once, attributed when it ends.
        m_fleet->announce(u"h1"_s, GatewayAttemptStarted{u"m"_s, u"d2.1"_s, u"aider"_s, now - 1000});
        m_fleet->addActivity(u"h1"_s, {activity(3, now + 2000, 500)});
        QTRY_COMPARE(count(u"control_requests"_s), 3);
        QCOMPARE(sourceOf(3), QString());
        m_fleet->announce(u"h1"_s, GatewayAttemptEnded{u"m"_s, u"aider"_s, 200, now - 1000, now + 2000, true, u"d2.1"_s});

        QTRY_COMPARE(sourceOf(3), u"aider"_s);
        QCOMPARE(sourceOf(1), u"notes-app"_s);
        QCOMPARE(sourceOf(2), QString()); // another model: not the gateway's
        QCOMPARE(m_recorder->attribution().matched, 1);
        QCOMPARE(m_recorder->attribution().matchedLate, 1);
    }

    // The first retention pass comes soon after start, not an interval later: a server that is
    // restarted more often than hourly must still prune.
    void retentionRunsSoonAfterStart_data()
    {
        TestDatabase::addDialectColumn();
        TestDatabase::addDialectRows();
    }
    void retentionRunsSoonAfterStart()
    {
        HistoryOptions options;
        options.firstRetentionDelayMs = 1500;
        options.retentionIntervalMs = 3600 * 1000;
        if (!setUp(options))
            return;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const qint64 beyondWindow = now - options.retention.requestsMs - RetentionPolicy::kDayMs;
        m_fleet->addActivity(u"h1"_s, {activity(1, beyondWindow, 300), activity(2, now, 300)});
        QTRY_COMPARE_WITH_TIMEOUT(count(u"control_requests"_s), 2, 1000);
        QTRY_COMPARE_WITH_TIMEOUT(count(u"control_requests"_s, u"swap_entry_id = 1"_s), 0, 10000);
        QCOMPARE(count(u"control_requests"_s, u"swap_entry_id = 2"_s), 1);
    }

    void registryChangesReachControlHosts_data()
    {
        TestDatabase::addDialectColumn();
        TestDatabase::addDialectRows();
    }
    void registryChangesReachControlHosts()
    {
        if (!setUp())
            return;
        QList<ProviderConfig> providers = m_registry->providers();
        ProviderConfig second;
        second.id = u"h2"_s;
        second.name = u"Host 2"_s;
        second.baseUrl = QUrl(u"http://h2:8080"_s);
        providers << second;
        m_registry->replaceProviders(providers);
        QCOMPARE(count(u"control_hosts"_s), 2);
        QCOMPARE(count(u"control_hosts"_s, u"provider_id = 'h2' AND name = 'Host 2'"_s), 1);

        // A provider made by a program rather than read from the file may have no name: its id
        // stands in (control_hosts.name is required).
        ProviderConfig unnamed;
        unnamed.id = u"h3"_s;
        unnamed.baseUrl = QUrl(u"http://h3:8080"_s);
        providers << unnamed;
        m_registry->replaceProviders(providers);
        QCOMPARE(count(u"control_hosts"_s, u"provider_id = 'h3' AND name = 'h3'"_s), 1);
        m_fleet->addHost(u"h3"_s, QString(), u"http://h3:8080"_s);
        m_fleet->setLiveness(u"h3"_s, Liveness::Connected, QDateTime::currentMSecsSinceEpoch());
        QTRY_COMPARE(count(u"control_host_events"_s, u"provider_id = 'h3'"_s), 1);
        QCOMPARE(count(u"control_hosts"_s, u"provider_id = 'h3' AND name = 'h3' AND last_seen_at IS NOT NULL"_s), 1);
    }
};

QTEST_GUILESS_MAIN(TestHistoryRecorder)
#include "tst_historyrecorder.moc"
