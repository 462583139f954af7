#include "core/store/databasereaderworker.h"

#include "core/store/database.h"

namespace boo {

DatabaseReaderWorker::DatabaseReaderWorker(DatabaseUrl url, QString purpose)
    : m_url(std::move(url))
    , m_purpose(std::move(purpose))
{
}

DatabaseReaderWorker::~DatabaseReaderWorker() = default;

void DatabaseReaderWorker::runJob(const Job &job)
{
    if (!m_database) {
        auto opened = Database::open(m_url, m_purpose);
        if (!opened) {
            job(nullptr, &opened.error());
            return;
        }
        m_database = std::move(opened).value();
    }
    // After a failure, a dropped server connection would fail every later job: reopen then.
    if (!job(m_database.get(), nullptr) && !m_database->ping())
        m_database.reset();
}

} // namespace boo
