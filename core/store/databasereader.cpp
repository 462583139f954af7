#include "core/store/databasereader.h"

#include "core/store/databasereaderworker.h"

namespace boo {

DatabaseReader::DatabaseReader(DatabaseUrl url, QString purpose, QObject *parent)
    : QObject(parent)
    , m_worker(new DatabaseReaderWorker(std::move(url), std::move(purpose)))
{
    m_thread.setObjectName(QStringLiteral("boo-db-reader"));
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
}

DatabaseReader::~DatabaseReader()
{
    m_thread.quit();
    m_thread.wait();
}

void DatabaseReader::post(Job job)
{
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, job = std::move(job)] { worker->runJob(job); }, Qt::QueuedConnection);
}

void DatabaseReader::deliver(std::function<void()> fn)
{
    QMetaObject::invokeMethod(this, std::move(fn), Qt::QueuedConnection);
}

} // namespace boo
