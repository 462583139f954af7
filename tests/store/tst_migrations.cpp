#include "core/store/database.h"
#include "core/store/migrations.h"
#include "tests/common/testdatabases.h"

#include <QSqlRecord>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;
using boo::test::TestDatabase;

class TestMigrations : public QObject
{
    Q_OBJECT

    static std::unique_ptr<Database> open(const TestDatabase &tdb)
    {
        auto db = Database::open(tdb.url(), u"test"_s);
        if (!db)
            qFatal("%s", qPrintable(db.error().message));
        return std::move(db).value();
    }

    static QStringList columns(Database &db, const QString &table)
    {
        const QSqlRecord record = db.connection().record(table);
        QStringList names;
        for (int i = 0; i < record.count(); ++i)
            names << record.fieldName(i);
        return names;
    }

private Q_SLOTS:
    void freshDatabaseReachesLatest_data()
    {
        TestDatabase::addDialectColumn();
        TestDatabase::addDialectRows();
    }
    void freshDatabaseReachesLatest()
    {
        auto tdb = TestDatabase::createForCurrentRow();
        if (!tdb)
            return;
        auto db = open(*tdb);
        QCOMPARE(Migrations::currentVersion(*db).ok(), false); // no schema_version table yet

        const auto version = Migrations::migrate(*db);
        QVERIFY2(version.ok(), qPrintable(version.ok() ? QString() : version.error().message));
        QCOMPARE(*version, Migrations::latestVersion());
        QCOMPARE(*Migrations::currentVersion(*db), Migrations::latestVersion());

        for (const QString &table : {u"control_hosts"_s, u"control_requests"_s, u"control_perf_samples"_s, u"control_perf_rollup_5m"_s,
                                     u"control_model_events"_s}) {
            auto count = db->exec(u"SELECT COUNT(*) FROM "_s + table);
            QVERIFY2(count.ok(), qPrintable(table));
            QVERIFY(count->next());
            QCOMPARE(count->value(0).toInt(), 0);
        }
    }

    void requestsTableHoldsEveryActivityField_data()
    {
        TestDatabase::addDialectColumn();
        TestDatabase::addDialectRows();
    }
    void requestsTableHoldsEveryActivityField()
    {
        auto tdb = TestDatabase::createForCurrentRow();
        if (!tdb)
            return;
        auto db = open(*tdb);
        QVERIFY(Migrations::migrate(*db).ok());
        const QStringList names = columns(*db, u"control_requests"_s);
        // llama-swap's ActivityLogEntry (reference §4.2), plus our source and keys.
        for (const QString &field : {u"provider_id"_s,
                                     u"swap_entry_id"_s,
                                     u"ts"_s,
                                     u"model"_s,
                                     u"req_path"_s,
                                     u"resp_content_type"_s,
                                     u"resp_status_code"_s,
                                     u"cache_tokens"_s,
                                     u"draft_tokens"_s,
                                     u"draft_acc_tokens"_s,
                                     u"input_tokens"_s,
                                     u"output_tokens"_s,
                                     u"prompt_per_second"_s,
                                     u"tokens_per_second"_s,
                                     u"duration_ms"_s,
                                     u"has_capture"_s,
                                     u"error_msg"_s,
                                     u"metadata"_s,
                                     u"source"_s,
                                     u"caller"_s})
            QVERIFY2(names.contains(field), qPrintable(u"missing column "_s + field));
    }

    void callerColumnJoinsAnExistingDatabase_data()
    {
        TestDatabase::addDialectColumn();
        TestDatabase::addDialectRows();
    }
    void callerColumnJoinsAnExistingDatabase()
    {
        // A database written by a build that knew schema version 3 keeps its rows; they have no
        // caller tag.
        auto tdb = TestDatabase::createForCurrentRow();
        if (!tdb)
            return;
        auto db = open(*tdb);
        QVERIFY(
            db->exec(u"CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)"_s).ok());
        for (const auto &step : Migrations::steps()) {
            if (step.version > 3)
                break;
            for (const QString &sql : step.statements(*db))
                QVERIFY2(db->exec(sql).ok(), qPrintable(sql));
            QVERIFY(db->exec(u"INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, 0)"_s, {step.version, step.name}).ok());
        }
        QVERIFY(!columns(*db, u"control_requests"_s).contains(u"caller"_s));
        QVERIFY(
            db->exec(u"INSERT INTO control_requests (provider_id, swap_entry_id, ts, model, req_path, resp_content_type, "
                     u"resp_status_code, duration_ms, has_capture, ingested_at) VALUES ('h1', 7, 1000, 'm', '/v1/x', '', 200, 5, 0, 1)"_s)
                .ok());
        const auto version = Migrations::migrate(*db);
        QVERIFY2(version.ok(), qPrintable(version.ok() ? QString() : version.error().message));
        QCOMPARE(*version, Migrations::latestVersion());
        auto row = db->exec(u"SELECT swap_entry_id, caller FROM control_requests"_s);
        QVERIFY(row.ok() && row->next());
        QCOMPARE(row->value(0).toLongLong(), 7);
        QVERIFY(row->value(1).isNull());
    }

    void rerunIsANoOp_data()
    {
        TestDatabase::addDialectColumn();
        TestDatabase::addDialectRows();
    }
    void rerunIsANoOp()
    {
        auto tdb = TestDatabase::createForCurrentRow();
        if (!tdb)
            return;
        auto db = open(*tdb);
        QVERIFY(Migrations::migrate(*db).ok());
        QVERIFY(db->exec(u"INSERT INTO control_hosts (provider_id, name, kind, base_url, created_at, updated_at) "
                         u"VALUES ('h1', 'H1', 'llama-swap', 'http://h1', 1, 1)"_s)
                    .ok());

        // A second process (or a restart) migrating the same database changes nothing.
        auto again = open(*tdb);
        const auto version = Migrations::migrate(*again);
        QVERIFY(version.ok());
        QCOMPARE(*version, Migrations::latestVersion());
        auto steps = again->exec(u"SELECT COUNT(*) FROM schema_version"_s);
        QVERIFY(steps.ok() && steps->next());
        QCOMPARE(steps->value(0).toInt(), int(Migrations::steps().size()));
        auto hosts = again->exec(u"SELECT COUNT(*) FROM control_hosts"_s);
        QVERIFY(hosts.ok() && hosts->next());
        QCOMPARE(hosts->value(0).toInt(), 1);
    }

    void stepStatementsTolerateExistingObjects_data()
    {
        TestDatabase::addDialectColumn();
        TestDatabase::addDialectRows();
    }
    void stepStatementsTolerateExistingObjects()
    {
        // A step interrupted after its DDL but before its schema_version row (impossible inside
        // one transaction, but cheap insurance) must still apply cleanly when run again.
        auto tdb = TestDatabase::createForCurrentRow();
        if (!tdb)
            return;
        auto db = open(*tdb);
        QVERIFY(Migrations::migrate(*db).ok());
        for (const auto &step : Migrations::steps()) {
            for (const QString &sql : step.statements(*db)) {
                const auto r = db->exec(sql);
                QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
            }
        }
    }

    void uniqueKeysRejectDuplicates_data()
    {
        TestDatabase::addDialectColumn();
        TestDatabase::addDialectRows();
    }
    void uniqueKeysRejectDuplicates()
    {
        auto tdb = TestDatabase::createForCurrentRow();
        if (!tdb)
            return;
        auto db = open(*tdb);
        QVERIFY(Migrations::migrate(*db).ok());
        const QString insert = u"INSERT INTO control_requests (provider_id, swap_entry_id, ts, model, req_path, "
                               u"resp_status_code, duration_ms, ingested_at) VALUES (?, ?, ?, 'm', '/v1/chat/completions', 200, 5, 0)"_s;
        QVERIFY(db->exec(insert, {u"h1"_s, 7, 1000}).ok());
        const auto duplicate = db->exec(insert, {u"h1"_s, 7, 1000});
        QVERIFY(!duplicate.ok());
        QCOMPARE(duplicate.error().code, u"db.statement"_s);
        // Same id after a host restart (different finish time) and same id on another host are new rows.
        QVERIFY(db->exec(insert, {u"h1"_s, 7, 99000}).ok());
        QVERIFY(db->exec(insert, {u"h2"_s, 7, 1000}).ok());
        QVERIFY(db->exec(insert + u" ON CONFLICT DO NOTHING"_s, {u"h1"_s, 7, 1000}).ok());
        auto count = db->exec(u"SELECT COUNT(*) FROM control_requests"_s);
        QVERIFY(count.ok() && count->next());
        QCOMPARE(count->value(0).toInt(), 3);
    }

    void newerSchemaIsRefused_data()
    {
        TestDatabase::addDialectColumn();
        TestDatabase::addDialectRows();
    }
    void newerSchemaIsRefused()
    {
        auto tdb = TestDatabase::createForCurrentRow();
        if (!tdb)
            return;
        auto db = open(*tdb);
        QVERIFY(Migrations::migrate(*db).ok());
        QVERIFY(db->exec(u"INSERT INTO schema_version (version, name, applied_at) VALUES (999, 'from the future', 0)"_s).ok());
        const auto version = Migrations::migrate(*db);
        QVERIFY(!version.ok());
        QCOMPARE(version.error().code, u"db.schema"_s);
        QVERIFY2(version.error().message.contains(u"upgrade BooControl"_s), qPrintable(version.error().message));
    }
};

QTEST_GUILESS_MAIN(TestMigrations)
#include "tst_migrations.moc"
