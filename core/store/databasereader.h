#pragma once

#include "core/common/result.h"
#include "core/store/databaseurl.h"

#include <QObject>
#include <QPointer>
#include <QThread>

#include <functional>
#include <memory>

namespace boo {

class Database;
class DatabaseReaderWorker;

// Reads the history database on a thread of its own, so that a query never blocks the caller's
// event loop (the GUI). Qt SQL connections belong to one thread: the reader opens its own on
// its thread, on first use, and reopens it after a failure.
//
// Jobs run one at a time in the order they were posted; each result is delivered on the
// thread of the reader's owner, and only while `context` still exists.
class DatabaseReader final : public QObject
{
    Q_OBJECT

public:
    DatabaseReader(DatabaseUrl url, QString purpose, QObject *parent = nullptr);
    ~DatabaseReader() override;
    Q_DISABLE_COPY_MOVE(DatabaseReader)

    template <typename T>
    void run(std::function<Result<T>(Database &)> work, QObject *context, std::function<void(Result<T>)> done)
    {
        post([this, work = std::move(work), context = QPointer<QObject>(context), done = std::move(done)](Database *db,
                                                                                                          const Error *failure) {
            auto result = std::make_shared<Result<T>>(failure ? Result<T>(*failure) : work(*db));
            const bool ok = result->ok();
            deliver([context, done, result] {
                if (context)
                    done(std::move(*result));
            });
            return ok;
        });
    }

private:
    using Job = std::function<bool(Database *, const Error *)>; // returns whether it succeeded
    void post(Job job);
    // Queues `fn` to run on this object's thread.
    void deliver(std::function<void()> fn);

    QThread m_thread;
    DatabaseReaderWorker *m_worker;
};

} // namespace boo
