// The two history sources of the cockpit answer the same questions with the same rows: the local
// database on reader threads (SQLite, and Postgres when BOO_TEST_PG is set) and a remote server's
// control API.

#include "core/client/localhistorysource.h"
#include "core/client/remotehistorysource.h"
#include "core/fleet/fleetstate.h"
#include "core/server/controlserver.h"
#include "core/store/database.h"
#include "core/store/migrations.h"
#include "core/store/rowinserter.h"
#include "tests/common/historyrowfactory.h"
#include "tests/common/testdatabases.h"

#include <QNetworkAccessManager>
#include <QTest>

#include <map>

using namespace Qt::StringLiterals;
using namespace boo;
using boo::test::TestDatabase;

namespace {

constexpr qint64 kT0 = 1'790'000'000'000;
constexpr int kRows = 250;

template <typename T>
std::optional<Result<T>> await(const std::function<void(QObject *, HistorySource::Callback<T>)> &ask, QObject *context)
{
    std::optional<Result<T>> answer;
    ask(context, [&answer](Result<T> result) { answer = std::move(result); });
    if (!QTest::qWaitFor([&] { return answer.has_value(); }, 10000))
        return std::nullopt;
    return answer;
}

} // namespace

class TestHistorySource : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestDatabase> m_tdb;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<FleetState> m_fleet;
    std::unique_ptr<ControlServer> m_server;
    QNetworkAccessManager m_nam;
    std::unique_ptr<HistorySource> m_source;
    QList<RequestRow> m_rows;

    void fill()
    {
        QList<HistoryRow> rows;
        for (int i = 0; i < kRows; ++i) {
            RequestRow r = test::makeRequestRow(i % 3 ? u"h1"_s : u"h2"_s, i);
            r.ts = kT0 + i * 1000;
            r.respStatusCode = i % 10 == 9 ? 500 : 200;
            r.source = i % 4 == 0 ? u"agent"_s : QString();
            if (i == 7)
                r.model = u"odd+model&name"_s; // must survive a query string unchanged
            rows << HistoryRow{r};
            m_rows << r;
        }
        for (int i = 0; i < 30; ++i) {
            PerfSampleRow s = test::makePerfRow(u"h1"_s, i);
            s.ts = kT0 + i * 5000;
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

    RequestPage page(const RequestFilter &filter)
    {
        auto answer
            = await<RequestPage>([&](QObject *c, HistorySource::Callback<RequestPage> cb) { m_source->requests(filter, c, cb); }, this);
        if (!answer || !answer->ok())
            qFatal("requests failed: %s", answer ? qPrintable(answer->error().message) : "no answer");
        return answer->value();
    }

private Q_SLOTS:
    void init()
    {
        QFETCH(QString, kind);
        QFETCH(int, dialect);
        m_tdb = TestDatabase::create(SqlDialect(dialect));
        if (!m_tdb)
            return;
        m_db = std::move(Database::open(m_tdb->url(), u"test"_s)).value();
        QVERIFY(Migrations::migrate(*m_db).ok());
        fill();
        if (kind == u"local"_s) {
            m_source = std::make_unique<LocalHistorySource>(m_tdb->url());
            return;
        }
        m_fleet = std::make_unique<FleetState>();
        ControlServerOptions options;
        options.listen = ListenAddress{QHostAddress(QHostAddress::LocalHost), 0};
        options.token = u"sekrit"_s;
        m_server = std::make_unique<ControlServer>(m_fleet.get(), nullptr, nullptr, m_db.get(), options);
        QVERIFY(m_server->start().ok());
        m_source = std::make_unique<RemoteHistorySource>(HostEndpoint(QUrl(u"http://127.0.0.1:%1"_s.arg(m_server->port())), u"sekrit"_s),
                                                         &m_nam);
    }

    void cleanup()
    {
        m_source.reset();
        m_server.reset();
        m_fleet.reset();
        m_db.reset();
        m_tdb.reset();
        m_rows.clear();
    }

    void pagesAndFilters_data() { addRows(); }
    void pagesAndFilters()
    {
        RequestFilter filter;
        filter.limit = 100;
        RequestPage first = page(filter);
        QCOMPARE(first.rows.size(), 100);
        QCOMPARE(first.rows.constFirst().row, m_rows.constLast()); // newest first, every field intact
        QVERIFY(first.nextBeforeId.has_value());
        filter.beforeId = first.nextBeforeId;
        RequestPage second = page(filter);
        QCOMPARE(second.rows.constFirst().row.ts, m_rows.at(kRows - 101).ts);

        RequestFilter errors;
        errors.host = u"h1"_s;
        errors.statusClass = 5;
        errors.limit = 1000;
        const RequestPage failed = page(errors);
        const qint64 expected = std::count_if(m_rows.cbegin(), m_rows.cend(),
                                              [](const RequestRow &r) { return r.providerId == u"h1"_s && r.respStatusCode == 500; });
        QCOMPARE(failed.rows.size(), expected);
        QVERIFY(!failed.nextBeforeId.has_value());

        RequestFilter text;
        text.text = u"d+model&n"_s;
        const RequestPage odd = page(text);
        QCOMPARE(odd.rows.size(), 1);
        QCOMPARE(odd.rows.constFirst().row.model, u"odd+model&name"_s);
        RequestFilter model;
        model.models = {u"odd+model&name"_s};
        QCOMPARE(page(model).rows.size(), 1);
    }

    void totals_data() { addRows(); }
    void totals()
    {
        RequestFilter filter;
        filter.host = u"h1"_s;
        filter.sinceMs = kT0 + 50'000;
        auto answer = await<QList<RequestTotal>>(
            [&](QObject *c, HistorySource::Callback<QList<RequestTotal>> cb) { m_source->totals(filter, c, cb); }, this);
        QVERIFY(answer && answer->ok());
        std::map<std::pair<QString, QString>, RequestTotal> expected;
        for (const RequestRow &r : std::as_const(m_rows)) {
            if (r.providerId != u"h1"_s || r.ts < kT0 + 50'000)
                continue;
            RequestTotal &t = expected[{r.source, r.model}];
            t.source = r.source;
            t.model = r.model;
            ++t.requests;
            t.inputTokens += r.inputTokens.value_or(0);
            t.cachedTokens += r.cacheTokens.value_or(0);
            t.outputTokens += r.outputTokens.value_or(0);
        }
        QCOMPARE(qsizetype((*answer)->size()), qsizetype(expected.size()));
        for (const RequestTotal &t : **answer)
            QCOMPARE(t, (expected[{t.source, t.model}]));
    }

    void rateAndPerf_data() { addRows(); }
    void rateAndPerf()
    {
        const qint64 from = kT0 - kT0 % 60'000 + 60'000; // whole minutes
        RateFilter rateFilter{u"h2"_s, from, from + 3 * 60'000, 60'000};
        auto rate = await<QList<RatePoint>>(
            [&](QObject *c, HistorySource::Callback<QList<RatePoint>> cb) { m_source->rate(rateFilter, c, cb); }, this);
        QVERIFY(rate && rate->ok());
        std::map<qint64, RatePoint> expected;
        for (const RequestRow &r : std::as_const(m_rows)) {
            if (r.providerId != u"h2"_s || r.ts < rateFilter.fromMs || r.ts >= rateFilter.toMs)
                continue;
            RatePoint &p = expected[r.ts - r.ts % 60'000];
            p = RatePoint{r.providerId, r.ts - r.ts % 60'000, p.requests + 1, p.inputTokens + r.inputTokens.value_or(0),
                          p.outputTokens + r.outputTokens.value_or(0)};
        }
        QCOMPARE((*rate)->size(), 3);
        for (const RatePoint &p : **rate)
            QCOMPARE(p, expected[p.ts]);

        PerfFilter perfFilter{u"h1"_s, 0, kT0, kT0 + 3600'000};
        auto perf = await<PerfSeries>([&](QObject *c, HistorySource::Callback<PerfSeries> cb) { m_source->perf(perfFilter, c, cb); }, this);
        QVERIFY(perf && perf->ok());
        QCOMPARE((*perf)->resolution, PerfSeries::Resolution::Raw);
        QCOMPARE((*perf)->points.size(), 30);
        QCOMPARE((*perf)->points.at(3).metrics[0].avg, std::optional<double>(43)); // temp_c of sample 3
    }

    void noAnswerAfterTheAskerIsGone_data() { addRows(); }
    void noAnswerAfterTheAskerIsGone()
    {
        auto *asker = new QObject;
        bool called = false;
        m_source->requests(RequestFilter{}, asker, [&called](Result<RequestPage>) { called = true; });
        delete asker;
        bool control = false;
        QObject alive;
        m_source->requests(RequestFilter{}, &alive, [&control](Result<RequestPage>) { control = true; });
        QTRY_VERIFY(control);
        QVERIFY(!called);
    }

private:
    static void addRows()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("dialect");
        QTest::newRow("local sqlite") << u"local"_s << int(SqlDialect::Sqlite);
        QTest::newRow("local postgres") << u"local"_s << int(SqlDialect::Postgres);
        QTest::newRow("remote") << u"remote"_s << int(SqlDialect::Sqlite);
    }
};

QTEST_GUILESS_MAIN(TestHistorySource)
#include "tst_historysource.moc"
