#include "tests/common/testdatabases.h"

#include "core/store/database.h"

#include <QAtomicInteger>
#include <QCoreApplication>
#include <QTest>

using namespace Qt::StringLiterals;

namespace boo::test {

namespace {

std::unique_ptr<Database> openAdmin()
{
    auto url = DatabaseUrl::parse(TestDatabase::postgresAdminUrl());
    if (!url)
        qFatal("BOO_TEST_PG is not a usable URL: %s", qPrintable(url.error().message));
    auto db = Database::open(*url, u"test-admin"_s);
    if (!db) {
        qWarning("cannot reach the test Postgres: %s", qPrintable(db.error().message));
        return nullptr;
    }
    return std::move(db).value();
}

} // namespace

QString TestDatabase::postgresAdminUrl()
{
    return qEnvironmentVariable("BOO_TEST_PG");
}

QString TestDatabase::postgresControlCommand()
{
    return qEnvironmentVariable("BOO_TEST_PG_CTL");
}

void TestDatabase::addDialectColumn()
{
    QTest::addColumn<SqlDialect>("dialect");
}

void TestDatabase::addDialectRows()
{
    QTest::newRow("sqlite") << SqlDialect::Sqlite;
    QTest::newRow("postgres") << SqlDialect::Postgres;
}

std::unique_ptr<TestDatabase> TestDatabase::createForCurrentRow()
{
    const SqlDialect dialect = *static_cast<SqlDialect *>(QTest::qData("dialect", qMetaTypeId<SqlDialect>()));
    return create(dialect);
}

std::unique_ptr<TestDatabase> TestDatabase::create(SqlDialect dialect)
{
    std::unique_ptr<TestDatabase> db(new TestDatabase);
    if (dialect == SqlDialect::Sqlite) {
        db->m_url.dialect = SqlDialect::Sqlite;
        db->m_url.sqlitePath = db->m_dir.filePath(u"history.sqlite"_s);
        return db;
    }

    if (postgresAdminUrl().isEmpty()) {
        if (qEnvironmentVariableIntValue("BOO_TEST_PG_REQUIRED"))
            QTest::qFail("BOO_TEST_PG_REQUIRED is set but BOO_TEST_PG is not", __FILE__, __LINE__);
        else
            QTest::qSkip("no test Postgres (set BOO_TEST_PG=postgres://user@127.0.0.1:port/postgres)", __FILE__, __LINE__);
        return nullptr;
    }
    static QAtomicInteger<int> counter;
    db->m_postgresName = u"boo_test_%1_%2"_s.arg(QCoreApplication::applicationPid()).arg(counter.fetchAndAddRelaxed(1));
    auto admin = openAdmin();
    if (!admin || !admin->exec(u"CREATE DATABASE "_s + db->m_postgresName)) {
        QTest::qFail("cannot create a test database on BOO_TEST_PG", __FILE__, __LINE__);
        return nullptr;
    }
    db->m_url = *DatabaseUrl::parse(postgresAdminUrl());
    db->m_url.databaseName = db->m_postgresName;
    return db;
}

qint64 TestDatabase::count(const QString &table, const QString &where) const
{
    auto db = Database::open(m_url, u"test-count"_s);
    if (!db)
        return -1;
    auto query = (*db)->exec(u"SELECT COUNT(*) FROM "_s + table + (where.isEmpty() ? QString() : u" WHERE "_s + where));
    if (!query || !query->next())
        return -1;
    return query->value(0).toLongLong();
}

TestDatabase::~TestDatabase()
{
    if (m_postgresName.isEmpty())
        return;
    if (auto admin = openAdmin())
        (void)admin->exec(u"DROP DATABASE IF EXISTS %1 WITH (FORCE)"_s.arg(m_postgresName));
}

} // namespace boo::test
