#include "core/store/database.h"
#include "core/store/hoststable.h"
#include "core/store/migrations.h"
#include "tests/common/testdatabases.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;
using boo::test::TestDatabase;

class TestHostsTable : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void upsertKeepsHistoryAndLiveness_data()
    {
        TestDatabase::addDialectColumn();
        TestDatabase::addDialectRows();
    }
    void upsertKeepsHistoryAndLiveness()
    {
        auto tdb = TestDatabase::createForCurrentRow();
        if (!tdb)
            return;
        auto db = std::move(Database::open(tdb->url(), u"test"_s)).value();
        QVERIFY(Migrations::migrate(*db).ok());

        HostRecord a{u"a"_s, u"Box A"_s, u"llama-swap"_s, u"http://a:8080"_s, true, {u"code"_s}, 0, 0, {}, {}, false, {}};
        HostRecord b{u"b"_s, u"Box B"_s, u"llama-swap"_s, u"http://b:8080"_s, true, {}, 0, 0, {}, {}, false, {}};
        QVERIFY(HostsTable::upsertConfigured(*db, {a, b}, 1000).ok());
        // Liveness written by the ingest must survive a registry change.
        QVERIFY(
            db->exec(u"UPDATE control_hosts SET last_seen_at = 1500, version = 'v250', gap_suspected = 1 WHERE provider_id = 'a'"_s).ok());

        a.name = u"Box A (renamed)"_s;
        a.enabled = false;
        a.tags = {u"code"_s, u"fast"_s};
        QVERIFY(HostsTable::upsertConfigured(*db, {a}, 2000).ok()); // b was removed from the registry

        const auto hosts = HostsTable::all(*db);
        QVERIFY(hosts.ok());
        QCOMPARE(hosts->size(), 2); // b keeps its row (and so its history)
        const HostRecord &storedA = hosts->at(0);
        QCOMPARE(storedA.providerId, u"a"_s);
        QCOMPARE(storedA.name, u"Box A (renamed)"_s);
        QCOMPARE(storedA.enabled, false);
        QCOMPARE(storedA.tags, (QStringList{u"code"_s, u"fast"_s}));
        QCOMPARE(storedA.createdAt, 1000);
        QCOMPARE(storedA.updatedAt, 2000);
        QCOMPARE(storedA.lastSeenAt, std::optional<qint64>(1500));
        QCOMPARE(storedA.version, u"v250"_s);
        QCOMPARE(storedA.gapSuspected, true);
        QCOMPARE(hosts->at(1).providerId, u"b"_s);
        QCOMPARE(hosts->at(1).updatedAt, 1000);
        QVERIFY(!hosts->at(1).lastSeenAt.has_value());
    }
};

QTEST_GUILESS_MAIN(TestHostsTable)
#include "tst_hoststable.moc"
