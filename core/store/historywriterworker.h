#pragma once

#include "core/store/historywriter.h"
#include "core/store/spillfile.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QObject>
#include <QTimer>

#include <atomic>
#include <deque>
#include <memory>

namespace boo {

class Database;
class RowInserter;

// State shared between HistoryWriter (any thread appends) and its worker (writer thread).
struct WriteQueue
{
    mutable QMutex mutex;
    std::deque<HistoryRow> rows; // oldest first
    HistoryWriterStats stats;    // `queued` is derived from rows.size() on read
    std::atomic<bool> wakePending{false};
};

// The writer thread's half of HistoryWriter: owns the connection, the spill file and the retry
// timer. Created on the owner thread, then moved to the writer thread; every slot runs there.
class HistoryWriterWorker final : public QObject
{
    Q_OBJECT

public:
    HistoryWriterWorker(DatabaseUrl url, HistoryWriterOptions options, std::shared_ptr<WriteQueue> queue);
    ~HistoryWriterWorker() override;
    Q_DISABLE_COPY_MOVE(HistoryWriterWorker)

public Q_SLOTS:
    void begin();
    void onWake();
    void shutdown(int budgetMs);
    void runRetention(const boo::RetentionPolicy &policy, qint64 nowMs);

Q_SIGNALS:
    void databaseStateChanged(bool up, const QString &error);
    void rowsStored(qint64 newRows);
    void rowsRejected(qint64 count, const QString &error);
    void retentionFinished(const boo::RetentionReport &report);

private:
    enum class Outcome { Written, Retry };

    void drain(qint64 budgetMs);
    bool connect();
    void setDatabaseUp(bool up, const QString &error);
    void scheduleRetry();
    Outcome writeRows(std::span<const HistoryRow> rows);
    void writeOneByOne(std::span<const HistoryRow> rows, const Error &batchError);
    Outcome replaySpill(const QElapsedTimer &clock, qint64 budgetMs);
    Outcome writeQueued(const QElapsedTimer &clock, qint64 budgetMs);
    void spillOverflow();
    void spillEverything();
    void publishSpillCount();

    DatabaseUrl m_url;
    HistoryWriterOptions m_options;
    std::shared_ptr<WriteQueue> m_queue;
    SpillFile m_spill;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<RowInserter> m_inserter;
    QTimer *m_flushTimer = nullptr;
    QTimer *m_retryTimer = nullptr;
    int m_retryDelayMs = 0;
    bool m_up = false;
    bool m_everReported = false;
    bool m_stopping = false;
};

} // namespace boo
