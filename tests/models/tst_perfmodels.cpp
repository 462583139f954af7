// The chart and totals models over a real SQLite history: GPU timelines (raw and 5-minute),
// request rates, token totals, and what live deltas add to them.

#include "core/client/localhistorysource.h"
#include "core/fleet/fleetstate.h"
#include "core/store/database.h"
#include "core/store/migrations.h"
#include "core/store/rowinserter.h"
#include "models/perfseriesmodel.h"
#include "models/requestratemodel.h"
#include "models/tokentotalsmodel.h"
#include "tests/common/historyrowfactory.h"
#include "tests/common/testdatabases.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;
using boo::test::TestDatabase;

namespace {

const qint64 kNow = QDateTime::currentMSecsSinceEpoch();
const qint64 kHour = 3600'000;

} // namespace

class TestPerfModels : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestDatabase> m_tdb;
    std::unique_ptr<LocalHistorySource> m_history;
    std::unique_ptr<FleetState> m_fleet;

private Q_SLOTS:
    void init()
    {
        m_tdb = TestDatabase::create(SqlDialect::Sqlite);
        auto db = std::move(Database::open(m_tdb->url(), u"fill"_s)).value();
        QVERIFY(Migrations::migrate(*db).ok());
        QList<HistoryRow> rows;
        // Two hours of samples every 30 s on h1 (2 GPUs), requests every 10 s on h1 and h2.
        for (qint64 ts = kNow - 2 * kHour; ts < kNow; ts += 30'000) {
            for (int gpu = 0; gpu < 2; ++gpu) {
                PerfSampleRow s = test::makePerfRow(u"h1"_s, 0, gpu);
                s.ts = ts;
                s.tempC = 50 + gpu;
                s.memUsedMb = 1000 * (gpu + 1);
                rows << HistoryRow{s};
            }
        }
        int i = 0;
        for (qint64 ts = kNow - 2 * kHour; ts < kNow; ts += 10'000, ++i) {
            RequestRow r = test::makeRequestRow(i % 2 ? u"h2"_s : u"h1"_s, i);
            r.ts = ts;
            r.source = i % 3 == 0 ? u"agent"_s : QString();
            r.inputTokens = 100;
            r.cacheTokens = 10;
            r.outputTokens = 20;
            rows << HistoryRow{r};
        }
        RowInserter inserter(*db);
        QVERIFY(db->inTransaction([&]() -> Result<void> {
                      auto n = inserter.insert(rows, kNow);
                      return n ? Result<void>() : Result<void>(n.error());
                  }).ok());
        m_history = std::make_unique<LocalHistorySource>(m_tdb->url());
        m_fleet = std::make_unique<FleetState>();
        m_fleet->addHost(u"h1"_s, u"h1"_s, u"http://h1"_s);
    }

    void cleanup()
    {
        m_history.reset();
        m_fleet.reset();
        m_tdb.reset();
    }

    void gpuTimelineRawAndLive()
    {
        PerfSeriesModel model(m_fleet.get(), m_history.get());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy loaded(&model, &PerfSeriesModel::loaded);
        model.setRange(kNow - kHour, kNow, false);
        QVERIFY(loaded.wait(5000));
        QCOMPARE(model.resolution(), PerfSeries::Resolution::Raw);
        QCOMPARE(model.rowCount(), 2 * 120);
        // Ordered by time, then host and GPU.
        QVERIFY(model.index(0, PerfSeriesModel::TimeColumn).data(PerfSeriesModel::ValueRole).toLongLong() >= kNow - kHour);
        QCOMPARE(model.index(0, PerfSeriesModel::GpuColumn).data().toInt(), 0);
        QCOMPARE(model.index(1, PerfSeriesModel::GpuColumn).data().toInt(), 1);
        QCOMPARE(model.index(1, PerfSeriesModel::TemperatureColumn).data().toDouble(), 51.0);
        QCOMPARE(model.index(1, PerfSeriesModel::VramUsedColumn).data().toDouble(), 2000.0);

        // A live range moves with the clock and takes new samples as they come.
        model.setRange(kNow - kHour, kNow, true);
        QVERIFY(loaded.wait(5000));
        GpuSample live;
        live.id = 0;
        live.timestampMs = QDateTime::currentMSecsSinceEpoch() + 1000;
        live.tempC = 77;
        live.memUsedMb = 5;
        live.memTotalMb = 10;
        m_fleet->addGpuSamples(u"h1"_s, {live});
        model.flushPending();
        const int last = model.rowCount() - 1;
        QCOMPARE(model.index(last, PerfSeriesModel::TemperatureColumn).data().toDouble(), 77.0);
        QCOMPARE(model.index(last, PerfSeriesModel::HostColumn).data().toString(), u"h1"_s);
    }

    void gpuTimelineInBuckets()
    {
        PerfSeriesModel model(m_fleet.get(), m_history.get());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy loaded(&model, &PerfSeriesModel::loaded);
        model.setRange(kNow - 24 * kHour, kNow, false);
        QVERIFY(loaded.wait(5000));
        QCOMPARE(model.resolution(), PerfSeries::Resolution::FiveMinutes);
        QVERIFY(model.rowCount() >= 2 * 24 && model.rowCount() <= 2 * 25); // two hours of 5-minute buckets, 2 GPUs
        QCOMPARE(model.index(0, PerfSeriesModel::TemperatureColumn).data(PerfSeriesModel::MinRole).toDouble(), 50.0);
        QVERIFY(model.index(2, 0).data(PerfSeriesModel::SamplesRole).toLongLong() > 1);
    }

    void requestRates()
    {
        QCOMPARE(RequestRateModel::bucketFor(kHour), 60'000);
        QCOMPARE(RequestRateModel::bucketFor(24 * kHour), 5 * 60'000);
        QCOMPARE(RequestRateModel::bucketFor(7 * 24 * kHour), kHour);
        RequestRateModel model(m_fleet.get(), m_history.get());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy loaded(&model, &RequestRateModel::loaded);
        model.setRange(kNow - kHour, kNow, true);
        QVERIFY(loaded.wait(5000));
        QCOMPARE(model.bucketMs(), 60'000);
        // A request every 10 s alternating hosts: 3 per minute and host.
        const int middle = model.rowCount() / 2;
        QCOMPARE(model.index(middle, RequestRateModel::RequestsPerMinuteColumn).data().toDouble(), 3.0);
        QCOMPARE(model.index(middle, RequestRateModel::OutputTokensPerMinuteColumn).data().toDouble(), 60.0);

        const int rows = model.rowCount();
        ActivityEntry e;
        e.id = 1;
        e.timestampMs = QDateTime::currentMSecsSinceEpoch() + 120'000; // a bucket of its own
        e.inputTokens = 7;
        m_fleet->addActivity(u"h1"_s, {e, e});
        QCOMPARE(model.rowCount(), rows + 1);
        QCOMPARE(model.index(rows, RequestRateModel::RequestsPerMinuteColumn).data().toDouble(), 2.0);
        QCOMPARE(model.index(rows, RequestRateModel::InputTokensPerMinuteColumn).data().toDouble(), 14.0);
    }

    void tokenTotals()
    {
        TokenTotalsModel model(m_fleet.get(), m_history.get());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy loaded(&model, &TokenTotalsModel::loaded);
        RequestFilter filter;
        filter.host = u"h2"_s;
        model.setFilter(filter);
        QVERIFY(loaded.wait(5000));
        // Total, 2 sources (agent, none), 1 model (the factory's model alternates with the host).
        QCOMPARE(model.rowCount(), 4);
        const qint64 requests = model.index(0, TokenTotalsModel::RequestsColumn).data(TokenTotalsModel::SortRole).toLongLong();
        QCOMPARE(requests, 360); // 720 requests in two hours, every other on h2
        QCOMPARE(model.index(0, TokenTotalsModel::OutputColumn).data(TokenTotalsModel::SortRole).toLongLong(), requests * 20);
        qint64 bySource = 0, byModel = 0;
        for (int row = 1; row < model.rowCount(); ++row) {
            const auto group = TokenTotalsModel::Group(model.index(row, 0).data(TokenTotalsModel::GroupRole).toInt());
            const qint64 n = model.index(row, TokenTotalsModel::RequestsColumn).data(TokenTotalsModel::SortRole).toLongLong();
            (group == TokenTotalsModel::Group::Source ? bySource : byModel) += n;
        }
        QCOMPARE(bySource, requests);
        QCOMPARE(byModel, requests);
    }

    // Which consumer key a source's totals belong to in the Activity tab.
    void sourcesOfKeys()
    {
        const auto key = [](const QString &name, const QString &source, bool sub) {
            ConsumerKey k;
            k.spec.name = name;
            k.spec.source = source;
            k.spec.allowSubSource = sub;
            return k;
        };
        const QList<ConsumerKey> keys{key(u"notes"_s, u"notes-app"_s, true), key(u"web"_s, u"web"_s, false),
                                      key(u"web2"_s, u"web"_s, false), key(u"team"_s, u"notes-app/team"_s, true)};
        QCOMPARE(TokenTotalsModel::keyOfSource(u"notes-app"_s, keys), u"notes"_s);
        QCOMPARE(TokenTotalsModel::keyOfSource(u"notes-app/user-42"_s, keys), u"notes"_s);
        QCOMPARE(TokenTotalsModel::keyOfSource(u"notes-app/team/x"_s, keys), u"team"_s); // the longest source wins
        QCOMPARE(TokenTotalsModel::keyOfSource(u"web"_s, keys), u"web, web2"_s);
        QCOMPARE(TokenTotalsModel::keyOfSource(u"web/sub"_s, keys), QString()); // sub-sources not allowed
        QCOMPARE(TokenTotalsModel::keyOfSource(u"notes-apps"_s, keys), QString());
    }
};

QTEST_MAIN(TestPerfModels)
#include "tst_perfmodels.moc"
