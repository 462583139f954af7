#pragma once

#include "core/common/enumnames.h"
#include "core/common/result.h"

#include <QMetaType>
#include <QString>
#include <QStringList>

namespace boo {

enum class SqlDialect { Sqlite, Postgres };
// URL schemes; the first of each dialect is the one displayString() writes.
inline constexpr EnumName<SqlDialect> kSqlDialectSchemes[] = {
    {SqlDialect::Sqlite, u"sqlite"},
    {SqlDialect::Postgres, u"postgres"},
    {SqlDialect::Postgres, u"postgresql"},
};

// Where the history lives, parsed from `--db`:
//   sqlite:/absolute/path/file.sqlite     (also sqlite:relative/path or sqlite:///abs/path)
//   postgres://user:pass@host:port/dbname[?sslmode=require&connect_timeout=5]
//   postgresql://...                      (same)
struct DatabaseUrl
{
    SqlDialect dialect = SqlDialect::Sqlite;
    QString sqlitePath; // sqlite only
    QString host;       // postgres only
    int port = 5432;
    QString user;
    QString password;
    QString databaseName;
    QStringList connectOptions; // postgres libpq options, "key=value"

    static Result<DatabaseUrl> parse(const QString &text);
    // The embedded default: a SQLite file in QStandardPaths::AppDataLocation.
    static DatabaseUrl defaultSqlite();

    // The URL with the password replaced by "***": safe for logs, errors and the status bar.
    QString displayString() const;
    // A file beside the database for rows that could not be written yet (see HistoryWriter).
    QString spillFilePath() const;
};

} // namespace boo

Q_DECLARE_METATYPE(boo::SqlDialect)
