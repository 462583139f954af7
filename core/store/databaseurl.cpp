#include "core/store/databaseurl.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QUrl>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

// Mask the password of anything that looks like scheme://user:password@host, even when the rest
// of the text is not a URL we understand, so a typo never prints a secret.
QString maskPassword(const QString &text)
{
    static const QRegularExpression userInfo(u"^([A-Za-z][A-Za-z0-9+.-]*://[^:/@]*:)([^@]*)(@)"_s);
    QString masked = text;
    masked.replace(userInfo, u"\\1***\\3"_s);
    return masked;
}

// libpq options we pass through from the query string; anything else is a typo worth reporting.
const QStringList &knownPostgresOptions()
{
    static const QStringList options{
        u"sslmode"_s, u"sslcert"_s, u"sslkey"_s, u"sslrootcert"_s, u"connect_timeout"_s, u"application_name"_s, u"target_session_attrs"_s};
    return options;
}

Result<DatabaseUrl> parsePostgres(const QUrl &url, const QString &shown)
{
    DatabaseUrl db;
    db.dialect = SqlDialect::Postgres;
    db.host = url.host();
    db.port = url.port(5432);
    db.user = url.userName(QUrl::FullyDecoded);
    db.password = url.password(QUrl::FullyDecoded);
    db.databaseName = url.path(QUrl::FullyDecoded).mid(1);
    if (db.host.isEmpty())
        return makeError(u"db.url"_s, u"database URL '%1' has no host (expected postgres://user:pass@host:port/db)"_s.arg(shown));
    if (db.databaseName.isEmpty() || db.databaseName.contains(u'/'))
        return makeError(u"db.url"_s, u"database URL '%1' must name one database after the host (postgres://host/dbname)"_s.arg(shown));

    bool hasTimeout = false;
    const auto items = QUrlQuery(url).queryItems(QUrl::FullyDecoded);
    for (const auto &[key, value] : items) {
        if (!knownPostgresOptions().contains(key))
            return makeError(u"db.url"_s,
                             u"database URL '%1': unknown option '%2' (known: %3)"_s.arg(shown, key, knownPostgresOptions().join(u", "_s)));
        db.connectOptions << key + u'=' + value;
        hasTimeout = hasTimeout || key == u"connect_timeout"_s;
    }
    // An unreachable server must fail fast with a clear message, not hang the start-up.
    if (!hasTimeout)
        db.connectOptions << u"connect_timeout=5"_s;
    return db;
}

Result<DatabaseUrl> parseSqlite(const QUrl &url, const QString &text, const QString &shown)
{
    if (!url.host().isEmpty())
        return makeError(u"db.url"_s,
                         u"database URL '%1': a sqlite URL names a file, not a host (use sqlite:/path/file.sqlite)"_s.arg(shown));
    QString path = url.path(QUrl::FullyDecoded);
    if (path.isEmpty())
        path = text.mid(text.indexOf(u':') + 1);
    if (path.isEmpty())
        return makeError(u"db.url"_s, u"database URL '%1' names no file (use sqlite:/path/file.sqlite)"_s.arg(shown));
    DatabaseUrl db;
    db.dialect = SqlDialect::Sqlite;
    db.sqlitePath = QFileInfo(path).absoluteFilePath();
    return db;
}

} // namespace

Result<DatabaseUrl> DatabaseUrl::parse(const QString &text)
{
    const QString shown = maskPassword(text.trimmed());
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    if (!url.isValid() || url.scheme().isEmpty())
        return makeError(
            u"db.url"_s,
            u"database URL '%1' is not a URL (expected sqlite:/path/file.sqlite or postgres://user:pass@host:port/db)"_s.arg(shown));

    const QString scheme = url.scheme().toLower();
    if (const auto dialect = enumFromName(kSqlDialectSchemes, scheme))
        return *dialect == SqlDialect::Postgres ? parsePostgres(url, shown) : parseSqlite(url, text.trimmed(), shown);
    return makeError(u"db.url"_s, u"database URL '%1' has unsupported scheme '%2' (use sqlite: or postgres://)"_s.arg(shown, scheme));
}

DatabaseUrl DatabaseUrl::defaultSqlite()
{
    DatabaseUrl db;
    db.dialect = SqlDialect::Sqlite;
    db.sqlitePath = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/history.sqlite"_s;
    return db;
}

QString DatabaseUrl::displayString() const
{
    if (dialect == SqlDialect::Sqlite)
        return enumName(kSqlDialectSchemes, dialect) + u':' + sqlitePath;
    QUrl url;
    url.setScheme(enumNameString(kSqlDialectSchemes, dialect));
    url.setHost(host);
    url.setPort(port);
    url.setUserName(user);
    if (!password.isEmpty())
        url.setPassword(u"***"_s);
    url.setPath(u'/' + databaseName);
    return url.toString();
}

QString DatabaseUrl::spillFilePath() const
{
    if (dialect == SqlDialect::Sqlite)
        return sqlitePath + u".spill"_s;
    // A Postgres server has no directory of ours: keep the spill in the user's data directory,
    // one file per server and database so that two installs never replay each other's rows.
    const QByteArray key = (host + u':' + QString::number(port) + u'/' + databaseName).toUtf8();
    const QString digest = QString::fromLatin1(QCryptographicHash::hash(key, QCryptographicHash::Sha1).toHex().left(12));
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/postgres-"_s + digest + u".spill"_s;
}

} // namespace boo
