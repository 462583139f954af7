#pragma once

#include "core/common/result.h"
#include "core/store/databaseurl.h"

#include <QElapsedTimer>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QVariantList>

#include <functional>
#include <memory>

class QSqlError;

namespace boo {

// One connection to the history database, SQLite or Postgres, behind one interface.
//
// Qt SQL connections belong to the thread that opened them, so every thread that talks to the
// database (GUI queries, the HistoryWriter thread, the server) opens its own Database. The
// object owns its QSqlDatabase connection and removes it on destruction.
class Database final
{
public:
    static Result<std::unique_ptr<Database>> open(const DatabaseUrl &url, const QString &purpose);
    ~Database();
    Q_DISABLE_COPY_MOVE(Database)

    SqlDialect dialect() const { return m_url.dialect; }
    const DatabaseUrl &url() const { return m_url; }
    QSqlDatabase connection() const;

    // Prepare, bind in order, execute. The error names the statement's purpose and the URL.
    // Outside a transaction a connection lost to a server restart is re-opened (at most once a
    // second) and the statement tried again, so long-lived reader connections heal by themselves.
    Result<QSqlQuery> exec(const QString &sql, const QVariantList &binds = {});
    // Runs `work` in one transaction: commit when it succeeds, roll back when it fails.
    Result<void> inTransaction(const std::function<Result<void>()> &work);

    // True when a trivial query succeeds: distinguishes "the server went away" from "this
    // statement was rejected" after a failure.
    bool ping();
    // Drop the connection and open it again (after an outage).
    Result<void> reconnect();

    // Dialect spelling for the few places where SQLite and Postgres differ.
    QString realType() const;
    QString identityColumn() const;
    QString least(const QString &a, const QString &b) const;
    QString greatest(const QString &a, const QString &b) const;

    // Errors carry code "db.unavailable" when retrying later can succeed (server gone, lock
    // held, connection reset) and "db.statement" when the statement or its data is at fault.
    Error errorFrom(const QSqlError &error, const QString &what) const;
    static bool isTransient(const Error &error);

private:
    static constexpr qint64 kReconnectIntervalMs = 1000;

    Database(DatabaseUrl url, QString connectionName);
    Result<void> openConnection();
    Result<void> configureSession();
    Result<QSqlQuery> execOnce(const QString &sql, const QVariantList &binds);
    Result<void> healConnection();

    DatabaseUrl m_url;
    QString m_connectionName;
    bool m_inTransaction = false;
    QElapsedTimer m_sinceReconnect;
};

} // namespace boo
