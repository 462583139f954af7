#include "core/actions/hostlease.h"
#include "core/gateway/policystore.h"
#include "core/store/database.h"
#include "core/store/gatewaylogquery.h"
#include "core/store/migrations.h"
#include "core/store/rowinserter.h"
#include "tests/common/historyrowfactory.h"
#include "tests/common/testdatabases.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;
using boo::test::TestDatabase;

namespace {

constexpr qint64 kT0 = 1'790'000'000'000;

std::unique_ptr<Database> openMigrated(const TestDatabase &tdb)
{
    auto db = Database::open(tdb.url(), u"test"_s);
    if (!db || !Migrations::migrate(**db))
        qFatal("cannot open the test database");
    return std::move(db).value();
}

Result<qint64> insert(Database &db, const QList<HistoryRow> &rows)
{
    RowInserter inserter(db);
    qint64 n = 0;
    auto done = db.inTransaction([&]() -> Result<void> {
        auto r = inserter.insert(rows, kT0);
        if (!r)
            return r.error();
        n = *r;
        return {};
    });
    if (!done)
        return done.error();
    return n;
}

QString sourceOf(Database &db, qint64 swapEntryId)
{
    auto q = db.exec(u"SELECT source FROM control_requests WHERE swap_entry_id = ?"_s, {swapEntryId});
    return q && q->next() ? q->value(0).toString() : u"<no row>"_s;
}

GatewayDispatchRow dispatchRow(const QString &id, qint64 ts, const QString &source, int status)
{
    GatewayDispatchRow r;
    r.dispatchId = id;
    r.ts = ts;
    r.source = source;
    r.requestedModel = u"auto"_s;
    r.policy = u"auto"_s;
    r.endpoint = u"/v1/chat/completions"_s;
    r.candidatesJson = u"[]"_s;
    r.attemptsJson = u"[{\"provider\":\"h1\"}]"_s;
    r.attempts = status == 200 ? 1 : 2;
    r.chosenProvider = u"h1"_s;
    r.chosenModel = u"m"_s;
    r.status = status;
    r.ttftMs = 12.5;
    r.totalMs = 40;
    r.overheadMs = 0.25;
    return r;
}

} // namespace

class TestGatewayStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void builtInPoliciesAndEdits_data()
    {
        TestDatabase::addDialectColumn();
        TestDatabase::addDialectRows();
    }
    void builtInPoliciesAndEdits()
    {
        auto tdb = TestDatabase::createForCurrentRow();
        if (!tdb)
            return;
        auto db = openMigrated(*tdb);
        auto policies = PolicyStore::load(*db);
        QVERIFY2(policies, qPrintable(policies ? QString() : policies.error().message));
        QStringList names;
        for (const RoutePolicy &p : *policies) {
            names << p.name;
            QVERIFY(p.builtIn);
        }
        QCOMPARE(names, (QStringList{u"auto"_s, u"auto:code"_s, u"auto:fast"_s, u"auto:cheap"_s}));
        QCOMPARE(policies->at(1).strategy, RouteStrategy::Ordered);

        QList<RoutePolicy> edited = *policies;
        std::swap(edited[0], edited[3]);
        edited[0].candidates.prepend(*CandidateSpec::parse(u"openai/gpt-4o-mini"_s));
        edited[0].rule.sources = {u"batch-*"_s};
        QVERIFY(PolicyStore::replace(*db, edited, kT0));
        auto again = PolicyStore::load(*db);
        QVERIFY(again);
        QCOMPARE(again->first().name, u"auto:cheap"_s);
        QCOMPARE(again->first().candidates.first().text, u"openai/gpt-4o-mini"_s);
        QCOMPARE(again->first().rule.sources, QStringList{u"batch-*"_s});
        // Re-running the migrations does not bring the original order back.
        QVERIFY(Migrations::migrate(*db));
        QCOMPARE(PolicyStore::load(*db)->first().name, u"auto:cheap"_s);
    }

    void leases_data()
    {
        TestDatabase::addDialectColumn();
        TestDatabase::addDialectRows();
    }
    void leases()
    {
        auto tdb = TestDatabase::createForCurrentRow();
        if (!tdb)
            return;
        auto db = openMigrated(*tdb);
        HostLease lease;
        lease.providerId = u"h1"_s;
        lease.holder = u"bench:7"_s;
        lease.grantedAt = kT0;
        lease.expiresAt = kT0 + 1000;
        auto id = HostLease::grant(*db, lease);
        QVERIFY2(id, qPrintable(id ? QString() : id.error().message));
        lease.providerId = u"h2"_s;
        lease.model = u"m"_s;
        QVERIFY(HostLease::grant(*db, lease));
        QCOMPARE(HostLease::active(*db, kT0 + 10)->size(), 2);
        QCOMPARE(HostLease::active(*db, kT0 + 1000)->size(), 0); // expired
        // A heartbeat moves the end of a lease in force, and of no other.
        QCOMPARE(*HostLease::extend(*db, *id, kT0 + 5000, kT0 + 10), true);
        QCOMPARE(HostLease::active(*db, kT0 + 2000)->size(), 1);
        QCOMPARE(*HostLease::release(*db, *id, kT0 + 20), true);
        QCOMPARE(*HostLease::release(*db, *id, kT0 + 21), false); // released already
        QCOMPARE(*HostLease::extend(*db, *id, kT0 + 9000, kT0 + 22), false);
        const auto active = HostLease::active(*db, kT0 + 30);
        QCOMPARE(active->size(), 1);
        QCOMPARE(active->first().model, u"m"_s);
        const auto recent = HostLease::grantedSince(*db, kT0, 10);
        QCOMPARE(recent->size(), 2);
        QCOMPARE(recent->last().releasedAt, std::optional<qint64>(kT0 + 20)); // newest first
        QVERIFY(!recent->first().releasedAt);
    }

    // The late path of attribution: fills an empty source, never overwrites one, inserts a row
    // that is missing, and sits in the same batch as the plain row without conflict.
    void attributedRowsUpsertTheSource_data()
    {
        TestDatabase::addDialectColumn();
        TestDatabase::addDialectRows();
    }
    void attributedRowsUpsertTheSource()
    {
        auto tdb = TestDatabase::createForCurrentRow();
        if (!tdb)
            return;
        auto db = openMigrated(*tdb);
        RequestRow plain = test::makeRequestRow(u"h1"_s, 1);
        plain.source.clear();
        RequestRow owned = test::makeRequestRow(u"h1"_s, 2);
        owned.source = u"first"_s;
        QVERIFY(insert(*db, {plain, owned}));

        RequestRow late = plain;
        late.source = u"aider"_s;
        RequestRow overwrite = owned;
        overwrite.source = u"second"_s;
        RequestRow missing = test::makeRequestRow(u"h1"_s, 3);
        missing.source = u"web"_s;
        RequestRow sameBatch = test::makeRequestRow(u"h1"_s, 4);
        sameBatch.source.clear();
        RequestRow sameBatchLate = sameBatch;
        sameBatchLate.source = u"agent"_s;
        auto n = insert(*db,
                        {AttributedRequestRow{late}, AttributedRequestRow{overwrite}, AttributedRequestRow{missing}, sameBatch,
                         AttributedRequestRow{sameBatchLate}});
        QVERIFY2(n, qPrintable(n ? QString() : n.error().message));
        QCOMPARE(sourceOf(*db, plain.swapEntryId), u"aider"_s);
        QCOMPARE(sourceOf(*db, owned.swapEntryId), u"first"_s);
        QCOMPARE(sourceOf(*db, missing.swapEntryId), u"web"_s);
        QCOMPARE(sourceOf(*db, sameBatch.swapEntryId), u"agent"_s);
        QCOMPARE(tdb->count(u"control_requests"_s), 4);
    }

    void dispatchLogAndTotals_data()
    {
        TestDatabase::addDialectColumn();
        TestDatabase::addDialectRows();
    }
    void dispatchLogAndTotals()
    {
        auto tdb = TestDatabase::createForCurrentRow();
        if (!tdb)
            return;
        auto db = openMigrated(*tdb);
        QList<HistoryRow> rows;
        for (int i = 0; i < 5; ++i)
            rows << dispatchRow(u"d%1"_s.arg(i), kT0 + i, i < 3 ? u"aider"_s : u"web"_s, i == 4 ? 502 : i == 1 ? 499 : 200);
        RequestRow attributed = test::makeRequestRow(u"h1"_s, 9);
        attributed.source = u"aider"_s;
        attributed.inputTokens = 10;
        attributed.outputTokens = 20;
        attributed.ts = kT0;
        rows << attributed;
        QCOMPARE(*insert(*db, rows), 6);
        QCOMPARE(*insert(*db, rows.mid(0, 5)), 0); // a replay stores nothing twice

        GatewayLogFilter filter;
        filter.limit = 2;
        auto page = GatewayLogQuery::fetch(*db, filter);
        QVERIFY(page);
        QCOMPARE(page->entries.size(), 2);
        QCOMPARE(page->entries.first().row.dispatchId, u"d4"_s);
        QCOMPARE(page->entries.first().row, std::get<GatewayDispatchRow>(rows.at(4)));
        filter.beforeId = page->nextBeforeId;
        filter.limit = 10;
        QCOMPARE(GatewayLogQuery::fetch(*db, filter)->entries.size(), 3);
        filter = {};
        filter.statusClass = 5;
        QCOMPARE(GatewayLogQuery::fetch(*db, filter)->entries.size(), 1);
        filter = {};
        filter.source = u"web"_s;
        QCOMPARE(GatewayLogQuery::fetch(*db, filter)->entries.size(), 2);
        filter.beforeId = 999999;
        QCOMPARE(GatewayLogQuery::fetch(*db, filter).error().code, u"query.cursor"_s);

        auto totals = GatewayLogQuery::sourceTotals(*db, std::nullopt, std::nullopt);
        QVERIFY(totals);
        QCOMPARE(totals->size(), 2);
        const SourceTotals &aider = totals->at(0);
        QCOMPARE(aider.source, u"aider"_s);
        QCOMPARE(aider.requests, 3);
        QCOMPARE(aider.hostRequests, 1);
        QCOMPARE(aider.outputTokens, 20);
        QCOMPARE(aider.failed, 0); // its client went away (499): an abort, not a failure
        QCOMPARE(aider.aborted, 1);
        QCOMPARE(totals->at(1).failed, 1);
        QCOMPARE(totals->at(1).aborted, 0);
        QCOMPARE(totals->at(1).failovers, 1);
        const auto recent = GatewayLogQuery::sourceTotals(*db, kT0 + 3, std::nullopt); // aider's are older
        QCOMPARE(recent->size(), 1);
        QCOMPARE(recent->first().source, u"web"_s);
    }

    void newRowsSurviveTheSpillFile()
    {
        const HistoryRow dispatch = dispatchRow(u"x"_s, kT0, u"s"_s, 200);
        RequestRow r = test::makeRequestRow(u"h"_s, 1);
        r.source = u"s"_s;
        const HistoryRow attributed = AttributedRequestRow{r};
        for (const HistoryRow &row : {dispatch, attributed}) {
            auto back = historyRowFromJson(historyRowToJson(row));
            QVERIFY(back);
            QCOMPARE(*back, row);
        }
    }
};

QTEST_GUILESS_MAIN(TestGatewayStore)
#include "tst_gatewaystore.moc"
