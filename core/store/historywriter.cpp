#include "core/store/historywriter.h"

#include "core/store/historywriterworker.h"

using namespace Qt::StringLiterals;

namespace boo {

HistoryWriter::HistoryWriter(DatabaseUrl url, HistoryWriterOptions options, QObject *parent)
    : QObject(parent)
    , m_queue(std::make_shared<WriteQueue>())
{
    m_thread.setObjectName(u"boo-history-writer"_s);
    m_worker = new HistoryWriterWorker(std::move(url), std::move(options), m_queue);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &HistoryWriterWorker::databaseStateChanged, this, &HistoryWriter::databaseStateChanged);
    connect(m_worker, &HistoryWriterWorker::rowsStored, this, &HistoryWriter::rowsStored);
    connect(m_worker, &HistoryWriterWorker::rowsRejected, this, &HistoryWriter::rowsRejected);
    connect(m_worker, &HistoryWriterWorker::retentionFinished, this, &HistoryWriter::retentionFinished);
}

HistoryWriter::~HistoryWriter()
{
    if (m_running)
        stop();
    else if (!m_thread.isFinished() && !m_thread.isRunning())
        delete m_worker; // never started: its thread will not delete it
}

void HistoryWriter::start()
{
    if (m_running)
        return;
    m_running = true;
    m_thread.start();
    QMetaObject::invokeMethod(m_worker, &HistoryWriterWorker::begin, Qt::QueuedConnection);
}

void HistoryWriter::stop(int budgetMs)
{
    if (!m_running)
        return;
    m_running = false;
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, budgetMs] { worker->shutdown(budgetMs); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void HistoryWriter::append(HistoryRow row)
{
    bool wasEmpty;
    {
        QMutexLocker lock(&m_queue->mutex);
        wasEmpty = m_queue->rows.empty();
        m_queue->rows.push_back(std::move(row));
        ++m_queue->stats.accepted;
    }
    if (wasEmpty)
        wakeWorker();
}

void HistoryWriter::append(QList<HistoryRow> rows)
{
    if (rows.isEmpty())
        return;
    {
        QMutexLocker lock(&m_queue->mutex);
        for (HistoryRow &row : rows)
            m_queue->rows.push_back(std::move(row));
        m_queue->stats.accepted += rows.size();
    }
    // A burst may fill a batch before the flush timer fires: let the worker look now.
    wakeWorker();
}

void HistoryWriter::wakeWorker()
{
    if (!m_queue->wakePending.exchange(true))
        QMetaObject::invokeMethod(m_worker, &HistoryWriterWorker::onWake, Qt::QueuedConnection);
}

HistoryWriterStats HistoryWriter::stats() const
{
    QMutexLocker lock(&m_queue->mutex);
    HistoryWriterStats stats = m_queue->stats;
    stats.queued = qint64(m_queue->rows.size());
    return stats;
}

void HistoryWriter::runRetention(const RetentionPolicy &policy, qint64 nowMs)
{
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, policy, nowMs] { worker->runRetention(policy, nowMs); }, Qt::QueuedConnection);
}

} // namespace boo
