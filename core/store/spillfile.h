#pragma once

#include "core/common/result.h"
#include "core/store/historyrows.h"

#include <QList>
#include <QString>

#include <span>

namespace boo {

// Rows that could not reach the database yet, kept on disk so that a long outage neither grows
// memory without bound nor loses rows when the program stops.
//
// One JSON object per line, appended at the end, consumed from the front. Replaying is
// idempotent (the writer inserts with ON CONFLICT DO NOTHING), so the read position needs no
// persistence: after a crash the file is simply replayed from its start. A torn last line from
// a crash is skipped and counted, never fatal.
class SpillFile final
{
public:
    explicit SpillFile(QString path);

    const QString &path() const { return m_path; }
    qint64 pendingRows() const { return m_pendingRows; }
    qint64 corruptLines() const { return m_corruptLines; }

    Result<void> append(std::span<const HistoryRow> rows);
    // The next rows from the read position; the position moves only with consumePeeked().
    Result<QList<HistoryRow>> peek(int maxRows);
    // The rows of the last peek() are stored: advance, and delete the file once it is drained.
    Result<void> consumePeeked();

private:
    void scanExisting();

    QString m_path;
    qint64 m_readOffset = 0;
    qint64 m_peekEndOffset = 0;
    qint64 m_peekedRows = 0;
    qint64 m_pendingRows = 0;
    qint64 m_corruptLines = 0;
};

} // namespace boo
