#include "core/store/database.h"

#include <QAtomicInteger>
#include <QDir>
#include <QFileInfo>
#include <QSqlError>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

QString nextConnectionName(const QString &purpose)
{
    static QAtomicInteger<quint64> counter;
    return u"boo-%1-%2"_s.arg(purpose).arg(counter.fetchAndAddRelaxed(1));
}

QString driverName(SqlDialect dialect)
{
    return dialect == SqlDialect::Sqlite ? u"QSQLITE"_s : u"QPSQL"_s;
}

// Failures that say "try again later" rather than "this statement is wrong": the connection is
// gone, the server is shutting down or overloaded, or another writer holds the lock.
bool isTransientError(SqlDialect dialect, const QSqlError &error)
{
    const QString native = error.nativeErrorCode();
    if (dialect == SqlDialect::Sqlite) {
        // QSQLITE reports every failed statement as a ConnectionError, so only the SQLite result
        // code tells: BUSY/LOCKED (another writer), IOERR/FULL/CANTOPEN (the disk).
        const int primary = native.toInt() & 0xff;
        return primary == 5 || primary == 6 || primary == 10 || primary == 13 || primary == 14;
    }
    if (error.type() == QSqlError::ConnectionError)
        return true;
    static const QStringList transientClasses{u"08"_s, u"40"_s, u"53"_s, u"57"_s, u"58"_s};
    return native == u"55P03"_s || transientClasses.contains(native.left(2));
}

} // namespace

bool Database::isTransient(const Error &error)
{
    return error.code == u"db.unavailable"_s;
}

Database::Database(DatabaseUrl url, QString connectionName)
    : m_url(std::move(url))
    , m_connectionName(std::move(connectionName))
{
}

Database::~Database()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

Result<std::unique_ptr<Database>> Database::open(const DatabaseUrl &url, const QString &purpose)
{
    const QString driver = driverName(url.dialect);
    if (!QSqlDatabase::isDriverAvailable(driver)) {
        const QString package = url.dialect == SqlDialect::Sqlite ? u"libqt6sql6-sqlite"_s : u"libqt6sql6-psql"_s;
        return makeError(
            u"db.driver"_s,
            u"cannot open %1: the Qt SQL driver %2 is not installed (Debian package %3)"_s.arg(url.displayString(), driver, package));
    }
    std::unique_ptr<Database> db(new Database(url, nextConnectionName(purpose)));
    QSqlDatabase::addDatabase(driver, db->m_connectionName);
    if (auto opened = db->openConnection(); !opened)
        return opened.error();
    return db;
}

QSqlDatabase Database::connection() const
{
    return QSqlDatabase::database(m_connectionName, false);
}

Result<void> Database::openConnection()
{
    QSqlDatabase db = connection();
    if (m_url.dialect == SqlDialect::Sqlite) {
        const QFileInfo file(m_url.sqlitePath);
        if (!QDir().mkpath(file.absolutePath()))
            return makeError(u"db.unavailable"_s,
                             u"cannot open %1: cannot create directory %2"_s.arg(m_url.displayString(), file.absolutePath()));
        db.setDatabaseName(m_url.sqlitePath);
        // Writers on other connections (GUI, retention) wait instead of failing at once.
        db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=5000"_s);
    } else {
        db.setHostName(m_url.host);
        db.setPort(m_url.port);
        db.setUserName(m_url.user);
        db.setPassword(m_url.password);
        db.setDatabaseName(m_url.databaseName);
        db.setConnectOptions(m_url.connectOptions.join(u';'));
    }
    if (!db.open())
        return makeError(u"db.unavailable"_s, u"cannot connect to %1: %2"_s.arg(m_url.displayString(), db.lastError().text().trimmed()));
    return configureSession();
}

Result<void> Database::configureSession()
{
    const QStringList statements = m_url.dialect == SqlDialect::Sqlite
        // WAL lets readers (the GUI) run while the writer thread commits.
        ? QStringList{u"PRAGMA journal_mode=WAL"_s, u"PRAGMA synchronous=NORMAL"_s, u"PRAGMA foreign_keys=ON"_s}
        // IF NOT EXISTS and friends would otherwise print NOTICE lines on stderr.
        : QStringList{u"SET client_min_messages TO WARNING"_s, u"SET TIME ZONE 'UTC'"_s};
    for (const QString &sql : statements) {
        if (auto r = exec(sql); !r)
            return r.error();
    }
    return {};
}

Result<QSqlQuery> Database::exec(const QString &sql, const QVariantList &binds)
{
    if (m_inTransaction)
        return execOnce(sql, binds);
    if (!connection().isOpen()) {
        if (auto healed = healConnection(); !healed)
            return healed.error();
    }
    auto result = execOnce(sql, binds);
    if (!result && isTransient(result.error()) && !ping()) {
        if (healConnection())
            result = execOnce(sql, binds);
    }
    return result;
}

Result<void> Database::healConnection()
{
    if (m_sinceReconnect.isValid() && m_sinceReconnect.elapsed() < kReconnectIntervalMs)
        return makeError(u"db.unavailable"_s, u"%1 is unavailable (reconnecting)"_s.arg(m_url.displayString()));
    m_sinceReconnect.start();
    return reconnect();
}

Result<QSqlQuery> Database::execOnce(const QString &sql, const QVariantList &binds)
{
    QSqlQuery query(connection());
    query.setForwardOnly(true);
    // Postgres can only PREPARE plain DML; DDL, SET and friends must run as they are.
    if (binds.isEmpty()) {
        if (!query.exec(sql))
            return errorFrom(query.lastError(), sql);
        return query;
    }
    if (!query.prepare(sql))
        return errorFrom(query.lastError(), sql);
    for (const QVariant &value : binds)
        query.addBindValue(value);
    if (!query.exec())
        return errorFrom(query.lastError(), sql);
    return query;
}

Result<void> Database::inTransaction(const std::function<Result<void>()> &work)
{
    QSqlDatabase db = connection();
    if (!db.transaction())
        return errorFrom(db.lastError(), u"BEGIN"_s);
    m_inTransaction = true;
    Result<void> outcome = work();
    m_inTransaction = false;
    if (!outcome) {
        db.rollback();
        return outcome;
    }
    if (!db.commit()) {
        const Error error = errorFrom(db.lastError(), u"COMMIT"_s);
        db.rollback();
        return error;
    }
    return {};
}

bool Database::ping()
{
    QSqlDatabase db = connection();
    if (!db.isOpen())
        return false;
    QSqlQuery query(db);
    return query.exec(u"SELECT 1"_s) && query.next();
}

Result<void> Database::reconnect()
{
    {
        QSqlDatabase db = connection();
        if (db.isOpen())
            db.close();
    }
    return openConnection();
}

QString Database::realType() const
{
    return m_url.dialect == SqlDialect::Sqlite ? u"REAL"_s : u"DOUBLE PRECISION"_s;
}

QString Database::identityColumn() const
{
    return m_url.dialect == SqlDialect::Sqlite ? u"INTEGER PRIMARY KEY"_s : u"BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"_s;
}

// SQLite's two-argument min()/max() return NULL when either side is NULL; Postgres' LEAST and
// GREATEST skip NULLs. The COALESCE pairs make both behave like Postgres.
QString Database::least(const QString &a, const QString &b) const
{
    if (m_url.dialect == SqlDialect::Postgres)
        return u"LEAST(%1, %2)"_s.arg(a, b);
    return u"min(COALESCE(%1, %2), COALESCE(%2, %1))"_s.arg(a, b);
}

QString Database::greatest(const QString &a, const QString &b) const
{
    if (m_url.dialect == SqlDialect::Postgres)
        return u"GREATEST(%1, %2)"_s.arg(a, b);
    return u"max(COALESCE(%1, %2), COALESCE(%2, %1))"_s.arg(a, b);
}

Error Database::errorFrom(const QSqlError &error, const QString &what) const
{
    QString statement = what.simplified();
    if (statement.size() > 120)
        statement = statement.left(117) + u"..."_s;
    const QString code = isTransientError(m_url.dialect, error) ? u"db.unavailable"_s : u"db.statement"_s;
    return makeError(code, u"%1: %2 (while running: %3)"_s.arg(m_url.displayString(), error.text().trimmed(), statement));
}

} // namespace boo
