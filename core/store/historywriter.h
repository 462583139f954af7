#pragma once

#include "core/store/databaseurl.h"
#include "core/store/historyrows.h"
#include "core/store/retention.h"

#include <QObject>
#include <QThread>

#include <memory>

namespace boo {

class HistoryWriterWorker;
struct WriteQueue;

struct HistoryWriterOptions
{
    int maxBatchRows = 4000;    // rows per transaction
    int flushIntervalMs = 50;   // longest a row waits for a commit while the database is up
    int maxQueuedRows = 200000; // kept in memory during an outage; older rows go to the spill file
    int retryMinMs = 250;       // reconnect backoff while the database is down
    int retryMaxMs = 5000;
    QString spillPath; // default: DatabaseUrl::spillFilePath()
};

struct HistoryWriterStats
{
    qint64 accepted = 0;      // rows handed to append()
    qint64 stored = 0;        // rows newly written
    qint64 alreadyStored = 0; // rows skipped because the database had them (replays)
    qint64 rejected = 0;      // rows the database refused (bad data), logged with the reason
    qint64 queued = 0;        // rows waiting in memory
    qint64 spilled = 0;       // rows waiting in the spill file
    qint64 transactions = 0;
    bool databaseUp = false;
    QString lastError;
};

// Writes history rows on its own thread and its own connection.
//
// Callers on any thread append() value-typed rows and move on. The writer commits them in
// batches (multi-row INSERT ... ON CONFLICT DO NOTHING). When the database is unreachable it
// keeps the rows — in memory up to a bound, then in a spill file beside the database — and
// replays them, oldest first, once the database is back. On stop() whatever could not be
// written goes to the spill file and is replayed by the next start. Nothing is lost, and since
// every insert is conflict-tolerant, nothing is stored twice.
class HistoryWriter final : public QObject
{
    Q_OBJECT

public:
    explicit HistoryWriter(DatabaseUrl url, HistoryWriterOptions options = {}, QObject *parent = nullptr);
    ~HistoryWriter() override;
    Q_DISABLE_COPY_MOVE(HistoryWriter)

    void start();
    // Writes what it can within `budgetMs`, spills the rest, stops the thread. Idempotent.
    void stop(int budgetMs = 5000);

    // Thread-safe.
    void append(HistoryRow row);
    void append(QList<HistoryRow> rows);
    HistoryWriterStats stats() const;

    // Runs the policy on the writer's thread (between batches, so it never races the writer
    // for SQLite's lock); the outcome arrives as retentionFinished().
    void runRetention(const RetentionPolicy &policy, qint64 nowMs);

Q_SIGNALS:
    void databaseStateChanged(bool up, const QString &error);
    void rowsStored(qint64 newRows);
    void rowsRejected(qint64 count, const QString &error);
    void retentionFinished(const boo::RetentionReport &report);

private:
    void wakeWorker();

    std::shared_ptr<WriteQueue> m_queue;
    QThread m_thread;
    HistoryWriterWorker *m_worker = nullptr; // lives on m_thread, deleted when it finishes
    bool m_running = false;
};

} // namespace boo
