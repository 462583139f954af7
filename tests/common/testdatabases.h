#pragma once

#include "core/store/databaseurl.h"

#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace boo::test {

// A fresh, empty history database for one test: a SQLite file in a temporary directory, or a
// new database on the Postgres server named by BOO_TEST_PG (dropped again afterwards).
//
// Data-driven store tests add a "sqlite" and a "postgres" row (addDialectRows()) and call
// create() with the row's dialect; without BOO_TEST_PG the postgres row is skipped, unless
// BOO_TEST_PG_REQUIRED=1 (set by ./scripts/test), where it fails instead.
class TestDatabase final
{
public:
    static void addDialectColumn();
    static void addDialectRows();
    // Skips or fails the current test when the dialect is not available here.
    static std::unique_ptr<TestDatabase> create(SqlDialect dialect);
    static std::unique_ptr<TestDatabase> createForCurrentRow();

    ~TestDatabase();
    Q_DISABLE_COPY_MOVE(TestDatabase)

    const DatabaseUrl &url() const { return m_url; }
    // Rows in `table`, read on a connection of its own (-1 when the query fails).
    qint64 count(const QString &table, const QString &where = {}) const;
    QString directory() const { return m_dir.path(); }

    // The admin URL of the test Postgres server (empty when none is configured).
    static QString postgresAdminUrl();
    // Command that stops / starts the test Postgres server ($BOO_TEST_PG_CTL stop|start).
    static QString postgresControlCommand();

private:
    TestDatabase() = default;

    DatabaseUrl m_url;
    QTemporaryDir m_dir;
    QString m_postgresName;
};

} // namespace boo::test
