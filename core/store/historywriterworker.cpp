#include "core/store/historywriterworker.h"

#include "core/common/logging.h"
#include "core/store/database.h"
#include "core/store/migrations.h"
#include "core/store/rowinserter.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QRandomGenerator>

#include <iterator>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

// One drain call works at most this long before it lets other events (retention, shutdown,
// wake-ups) run; the rest continues in the next call.
constexpr qint64 kDrainSliceMs = 200;

QString describe(const HistoryRow &row)
{
    return QString::fromUtf8(QJsonDocument(historyRowToJson(row)).toJson(QJsonDocument::Compact).left(300));
}

} // namespace

HistoryWriterWorker::HistoryWriterWorker(DatabaseUrl url, HistoryWriterOptions options, std::shared_ptr<WriteQueue> queue)
    : m_url(std::move(url))
    , m_options(std::move(options))
    , m_queue(std::move(queue))
    , m_spill(m_options.spillPath.isEmpty() ? m_url.spillFilePath() : m_options.spillPath)
    , m_flushTimer(new QTimer(this))
    , m_retryTimer(new QTimer(this))
{
    m_flushTimer->setSingleShot(true);
    m_retryTimer->setSingleShot(true);
    QObject::connect(m_flushTimer, &QTimer::timeout, this, [this] { drain(kDrainSliceMs); });
    QObject::connect(m_retryTimer, &QTimer::timeout, this, [this] { drain(kDrainSliceMs); });
    publishSpillCount();
}

HistoryWriterWorker::~HistoryWriterWorker()
{
    m_inserter.reset(); // its prepared statements must go before the connection
    m_db.reset();
}

void HistoryWriterWorker::begin()
{
    if (m_spill.pendingRows() > 0)
        qCInfo(lcStore) << "replaying" << m_spill.pendingRows() << "rows from" << m_spill.path();
    drain(kDrainSliceMs);
}

void HistoryWriterWorker::onWake()
{
    m_queue->wakePending = false;
    qsizetype queued;
    {
        QMutexLocker lock(&m_queue->mutex);
        queued = qsizetype(m_queue->rows.size());
    }
    if (queued > m_options.maxQueuedRows)
        spillOverflow();
    if (queued >= m_options.maxBatchRows)
        drain(kDrainSliceMs);
    else if (!m_flushTimer->isActive())
        m_flushTimer->start(m_options.flushIntervalMs);
}

bool HistoryWriterWorker::connect()
{
    if (m_db)
        return true;
    auto opened = Database::open(m_url, u"writer"_s);
    if (!opened) {
        setDatabaseUp(false, opened.error().message);
        scheduleRetry();
        return false;
    }
    std::unique_ptr<Database> db = std::move(opened).value();
    // The writer may be the first to see a fresh database (or one restored from a backup).
    if (auto migrated = Migrations::migrate(*db); !migrated) {
        setDatabaseUp(false, migrated.error().message);
        scheduleRetry();
        return false;
    }
    m_db = std::move(db);
    m_inserter = std::make_unique<RowInserter>(*m_db);
    setDatabaseUp(true, {});
    return true;
}

void HistoryWriterWorker::setDatabaseUp(bool up, const QString &error)
{
    {
        QMutexLocker lock(&m_queue->mutex);
        m_queue->stats.databaseUp = up;
        if (!error.isEmpty())
            m_queue->stats.lastError = error;
    }
    if (up == m_up && m_everReported)
        return;
    m_up = up;
    m_everReported = true;
    if (up)
        qCInfo(lcStore) << "history database available:" << m_url.displayString();
    else
        qCWarning(lcStore).noquote() << "history database unavailable, keeping rows queued:" << error;
    Q_EMIT databaseStateChanged(up, error);
}

void HistoryWriterWorker::scheduleRetry()
{
    if (m_stopping)
        return;
    m_retryDelayMs = m_retryDelayMs == 0 ? m_options.retryMinMs : std::min(m_options.retryMaxMs, m_retryDelayMs * 2);
    // Jitter keeps several writers (or several BooControl processes) from retrying in lockstep.
    const int jitter = int(QRandomGenerator::global()->bounded(m_retryDelayMs / 5 + 1));
    m_retryTimer->start(m_retryDelayMs - m_retryDelayMs / 10 + jitter);
}

void HistoryWriterWorker::drain(qint64 budgetMs)
{
    if (m_retryTimer->isActive()) {
        spillOverflow(); // waiting for the database: only keep memory bounded
        return;
    }
    if (!connect())
        return;

    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < budgetMs) {
        QList<HistoryRow> batch;
        const bool fromSpill = m_spill.pendingRows() > 0;
        if (fromSpill) {
            // Spilled rows are older than anything in memory: they go first.
            auto peeked = m_spill.peek(m_options.maxBatchRows);
            if (!peeked) {
                setDatabaseUp(m_up, peeked.error().message);
                scheduleRetry();
                return;
            }
            batch = std::move(peeked).value();
        } else {
            QMutexLocker lock(&m_queue->mutex);
            auto &rows = m_queue->rows;
            const auto n = std::min<qsizetype>(qsizetype(rows.size()), m_options.maxBatchRows);
            batch.reserve(n);
            std::move(rows.begin(), rows.begin() + n, std::back_inserter(batch));
            rows.erase(rows.begin(), rows.begin() + n);
        }
        if (batch.isEmpty() && !fromSpill)
            return; // all written

        if (!batch.isEmpty() && writeRows(batch) == Outcome::Retry) {
            if (!fromSpill) {
                QMutexLocker lock(&m_queue->mutex);
                m_queue->rows.insert(m_queue->rows.begin(), std::make_move_iterator(batch.begin()), std::make_move_iterator(batch.end()));
            }
            spillOverflow();
            return;
        }
        if (fromSpill) {
            if (auto consumed = m_spill.consumePeeked(); !consumed)
                qCWarning(lcStore).noquote() << consumed.error().message;
            publishSpillCount();
        }
    }
    if (!m_stopping)
        m_flushTimer->start(0); // more work: continue after pending events
}

HistoryWriterWorker::Outcome HistoryWriterWorker::writeRows(std::span<const HistoryRow> rows)
{
    qint64 inserted = 0;
    auto written = m_db->inTransaction([&]() -> Result<void> {
        auto n = m_inserter->insert(rows, QDateTime::currentMSecsSinceEpoch());
        if (!n)
            return n.error();
        inserted = *n;
        return {};
    });
    if (written) {
        m_retryDelayMs = 0;
        {
            QMutexLocker lock(&m_queue->mutex);
            m_queue->stats.stored += inserted;
            m_queue->stats.alreadyStored += qint64(rows.size()) - inserted;
            ++m_queue->stats.transactions;
        }
        Q_EMIT rowsStored(inserted);
        return Outcome::Written;
    }

    const Error &error = written.error();
    const bool reachable = m_db->ping();
    if (!reachable) {
        m_inserter.reset();
        m_db.reset();
        setDatabaseUp(false, error.message);
        scheduleRetry();
        return Outcome::Retry;
    }
    if (Database::isTransient(error)) {
        // Reachable but busy (a lock held elsewhere, a serialisation failure): try again soon.
        setDatabaseUp(true, error.message);
        scheduleRetry();
        return Outcome::Retry;
    }
    writeOneByOne(rows, error);
    return Outcome::Written;
}

void HistoryWriterWorker::writeOneByOne(std::span<const HistoryRow> rows, const Error &batchError)
{
    // The database is fine but refused the batch: find the rows it refuses and keep the rest.
    qCWarning(lcStore).noquote() << "a batch was refused, writing its rows one by one:" << batchError.message;
    qint64 rejected = 0;
    QString lastReason;
    for (const HistoryRow &row : rows) {
        qint64 inserted = 0;
        auto written = m_db->inTransaction([&]() -> Result<void> {
            auto n = m_inserter->insert(std::span(&row, 1), QDateTime::currentMSecsSinceEpoch());
            if (!n)
                return n.error();
            inserted = *n;
            return {};
        });
        QMutexLocker lock(&m_queue->mutex);
        if (written) {
            m_queue->stats.stored += inserted;
            m_queue->stats.alreadyStored += 1 - inserted;
        } else {
            ++rejected;
            lastReason = written.error().message;
            ++m_queue->stats.rejected;
            m_queue->stats.lastError = lastReason;
            lock.unlock();
            qCWarning(lcStore).noquote() << "row refused by the database:" << lastReason << "row:" << describe(row);
        }
    }
    if (rejected > 0)
        Q_EMIT rowsRejected(rejected, lastReason);
}

void HistoryWriterWorker::spillOverflow()
{
    std::vector<HistoryRow> overflow;
    {
        QMutexLocker lock(&m_queue->mutex);
        auto &rows = m_queue->rows;
        if (qsizetype(rows.size()) <= m_options.maxQueuedRows)
            return;
        // Spill down to half the bound so that the next spill is a while away.
        const auto n = qsizetype(rows.size()) - m_options.maxQueuedRows / 2;
        overflow.assign(std::make_move_iterator(rows.begin()), std::make_move_iterator(rows.begin() + n));
        rows.erase(rows.begin(), rows.begin() + n);
    }
    if (auto appended = m_spill.append(overflow); !appended) {
        // Disk trouble too: keeping the rows in memory is the only way not to lose them.
        qCCritical(lcStore).noquote() << appended.error().message;
        QMutexLocker lock(&m_queue->mutex);
        m_queue->rows.insert(m_queue->rows.begin(), std::make_move_iterator(overflow.begin()), std::make_move_iterator(overflow.end()));
        return;
    }
    publishSpillCount();
}

void HistoryWriterWorker::spillEverything()
{
    std::vector<HistoryRow> remaining;
    {
        QMutexLocker lock(&m_queue->mutex);
        remaining.assign(std::make_move_iterator(m_queue->rows.begin()), std::make_move_iterator(m_queue->rows.end()));
        m_queue->rows.clear();
    }
    if (remaining.empty())
        return;
    if (auto appended = m_spill.append(remaining); !appended) {
        qCCritical(lcStore).noquote() << "rows lost at shutdown:" << remaining.size() << appended.error().message;
        return;
    }
    qCInfo(lcStore) << remaining.size() << "unwritten rows saved to" << m_spill.path() << "for the next start";
    publishSpillCount();
}

void HistoryWriterWorker::publishSpillCount()
{
    QMutexLocker lock(&m_queue->mutex);
    m_queue->stats.spilled = m_spill.pendingRows();
}

void HistoryWriterWorker::shutdown(int budgetMs)
{
    const bool knownDown = m_retryTimer->isActive();
    m_stopping = true;
    m_flushTimer->stop();
    m_retryTimer->stop();
    // A database already known to be down is not waited for: its rows go straight to the file.
    if (!knownDown)
        drain(budgetMs);
    spillEverything();
    m_inserter.reset();
    m_db.reset();
}

void HistoryWriterWorker::runRetention(const RetentionPolicy &policy, qint64 nowMs)
{
    RetentionReport report;
    if (m_retryTimer->isActive() || !connect()) {
        QMutexLocker lock(&m_queue->mutex);
        report.error = u"history database unavailable: "_s + m_queue->stats.lastError;
    } else {
        report = Retention::run(*m_db, policy, nowMs);
    }
    if (!report.error.isEmpty())
        qCWarning(lcStore).noquote() << "retention did not complete:" << report.error;
    Q_EMIT retentionFinished(report);
}

} // namespace boo
