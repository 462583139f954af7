#pragma once

#include "core/common/result.h"
#include "core/store/historyrows.h"

#include <QList>
#include <QSqlQuery>

#include <map>
#include <span>

namespace boo {

class Database;

// Writes history rows with multi-row `INSERT ... ON CONFLICT DO NOTHING` statements.
//
// Multi-row statements cut the round trips per row by two orders of magnitude on Postgres,
// and the conflict clause (never check-then-insert) makes replaying a row harmless: a row that
// is already stored is skipped, so nothing is ever written twice. The caller owns the
// transaction. Prepared statements are cached per table and chunk size; chunk sizes are powers
// of two, so each table needs at most eight statements (preparing one of 2,560 placeholders
// costs milliseconds: Qt names every '?' for SQLite, and SQLite looks names up one by one).
class RowInserter final
{
public:
    static constexpr int kRowsPerStatement = 128;

    explicit RowInserter(Database &db);
    Q_DISABLE_COPY_MOVE(RowInserter)

    // Returns how many rows were new (the rest were already stored).
    Result<qint64> insert(std::span<const HistoryRow> rows, qint64 nowMs);

private:
    // `table` is the index of the row's alternative in HistoryRow.
    // Inserts `rowCount` rows whose values start at `first` in `values`.
    Result<qint64> insertChunk(std::size_t table, const QVariantList &values, qsizetype first, int rowCount);
    Result<QSqlQuery *> statement(std::size_t table, int rowCount);

    Database &m_db;
    std::map<std::pair<std::size_t, int>, QSqlQuery> m_statements;
};

} // namespace boo
