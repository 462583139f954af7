#pragma once

#include "core/sim/simactivityquery.h"
#include "core/sim/simactivityrow.h"

#include <QByteArray>
#include <QList>

#include <deque>

namespace boo {

// llama-swap's in-memory activity database: ids strictly increasing from `firstId`, and after
// each insert rows with id <= newest - maxRows are dropped (metricsMaxInMemory).
class SimActivityStore final
{
public:
    explicit SimActivityStore(int maxRows = 1000, qint64 firstId = 1);

    // Assigns the next id and returns it.
    qint64 append(SimActivityRow row);
    // Empties the store; the next row gets `firstId` (a restart of an in-memory database).
    void reset(qint64 firstId);

    // Id of the newest row ever stored, firstId - 1 before the first one.
    qint64 lastId() const { return m_nextId - 1; }
    qsizetype size() const { return qsizetype(m_rows.size()); }
    const SimActivityRow *find(qint64 id) const;
    const std::deque<SimActivityRow> &rows() const { return m_rows; }

    struct Page
    {
        QList<const SimActivityRow *> rows;
        qint64 total = 0;
    };
    Page select(const SimActivityQuery &query) const;

    // GET /api/metrics/stats body (with Go's trailing newline).
    QByteArray statsJson(const QString &model) const;

private:
    int m_maxRows;
    qint64 m_nextId;
    std::deque<SimActivityRow> m_rows;
};

} // namespace boo
