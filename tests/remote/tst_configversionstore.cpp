// Migration 11's rows on both dialects: the config versions an apply replaced and the applies.

#include "core/remote/configversionstore.h"
#include "core/store/database.h"
#include "core/store/migrations.h"
#include "tests/common/testdatabases.h"

#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;
using boo::test::TestDatabase;

class TestConfigVersionStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void versionsAndApplies_data()
    {
        TestDatabase::addDialectColumn();
        TestDatabase::addDialectRows();
    }

    void versionsAndApplies()
    {
        const auto tdb = TestDatabase::createForCurrentRow();
        if (!tdb)
            return;
        auto db = Database::open(tdb->url(), u"test"_s);
        QVERIFY(db);
        QVERIFY(Migrations::migrate(**db));

        ConfigVersion v;
        v.providerId = u"gpu1"_s;
        v.configPath = u"/etc/llama-swap/config.yaml"_s;
        v.ts = 1'790'000'000'000;
        v.sha256 = u"abc"_s;
        v.content = "models:\n  a:\n    cmd: x ${PORT} # ünïcode\n";
        v.hostBackupPath = u"/etc/llama-swap/config.yaml.boocontrol-x.bak"_s; // no author, no reason: stored as ''
        const auto first = ConfigVersionStore::saveVersion(**db, v);
        QVERIFY(first);
        v.ts += 1000;
        v.author = u"ops"_s;
        const auto second = ConfigVersionStore::saveVersion(**db, v);
        QVERIFY(second && *second > *first);

        const auto list = ConfigVersionStore::versions(**db, u"gpu1"_s);
        QVERIFY(list);
        QCOMPARE(list->size(), 2);
        QCOMPARE(list->first().id, *second);      // newest first
        QVERIFY(list->first().content.isEmpty()); // the list leaves the content out
        QVERIFY(ConfigVersionStore::versions(**db, u"other"_s)->isEmpty());

        const auto one = ConfigVersionStore::version(**db, u"gpu1"_s, *first);
        QVERIFY(one && *one);
        QCOMPARE((*one)->content, v.content);
        QCOMPARE((*one)->author, QString());
        // Another host's id does not reach this host's backup.
        QVERIFY(ConfigVersionStore::version(**db, u"other"_s, *first) && !*ConfigVersionStore::version(**db, u"other"_s, *first));

        ConfigApplyRecord r;
        r.providerId = u"gpu1"_s;
        r.kind = u"apply"_s;
        r.startedAt = v.ts;
        r.finishedAt = v.ts + 5000;
        r.outcome = u"rolled-back"_s;
        r.backupId = *second;
        r.steps = QJsonArray{QJsonObject{{u"step"_s, u"validate"_s}, {u"ok"_s, true}}};
        QVERIFY(ConfigVersionStore::recordApply(**db, r));
        const auto applies = ConfigVersionStore::applies(**db, u"gpu1"_s);
        QVERIFY(applies);
        QCOMPARE(applies->size(), 1);
        QCOMPARE(applies->first().outcome, u"rolled-back"_s);
        QCOMPARE(applies->first().backupId, std::optional<qint64>(*second));
        QCOMPARE(applies->first().steps, r.steps);
    }
};

QTEST_GUILESS_MAIN(TestConfigVersionStore)
#include "tst_configversionstore.moc"
