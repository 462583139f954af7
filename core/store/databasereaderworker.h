#pragma once

#include "core/common/result.h"
#include "core/store/databaseurl.h"

#include <QObject>

#include <functional>
#include <memory>

namespace boo {

class Database;

// The part of DatabaseReader that lives on the reader thread and owns its connection.
class DatabaseReaderWorker final : public QObject
{
    Q_OBJECT

public:
    using Job = std::function<bool(Database *, const Error *)>; // returns whether it succeeded

    DatabaseReaderWorker(DatabaseUrl url, QString purpose);
    ~DatabaseReaderWorker() override;
    Q_DISABLE_COPY_MOVE(DatabaseReaderWorker)

    // Runs on the reader thread: opens the connection when needed, then runs the job with it
    // (or with the reason it could not be opened).
    void runJob(const Job &job);

private:
    DatabaseUrl m_url;
    QString m_purpose;
    std::unique_ptr<Database> m_database;
};

} // namespace boo
