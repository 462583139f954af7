#pragma once

// Shared by the tests of the epoll event loop of --serve (tst_epolleventdispatcher.cpp and the
// epoll*.cpp files beside it, one per kind of work the loop waits for): the test class and its helpers.

#include "core/server/epolleventdispatcher.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QPointer>
#include <QProcess>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSocketNotifier>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryFile>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <QTimerEvent>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <memory>
#include <mutex>
#include <poll.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace epolltest {

inline boo::EpollEventDispatcher *dispatcher()
{
    return qobject_cast<boo::EpollEventDispatcher *>(QAbstractEventDispatcher::instance());
}

// A non-blocking pipe: a spurious activation then shows up as an empty read, not a hang.
class Pipe
{
public:
    Pipe()
    {
        if (::pipe2(m_fds, O_NONBLOCK | O_CLOEXEC) != 0)
            qFatal("pipe2 failed");
    }
    ~Pipe()
    {
        ::close(m_fds[0]);
        ::close(m_fds[1]);
    }
    Q_DISABLE_COPY_MOVE(Pipe)

    int readFd() const { return m_fds[0]; }
    bool write(const char *data = "x") const { return ::write(m_fds[1], data, std::strlen(data)) > 0; }
    qsizetype drain() const
    {
        char buffer[256];
        qsizetype total = 0;
        for (ssize_t n; (n = ::read(m_fds[0], buffer, sizeof buffer)) > 0;)
            total += n;
        return total;
    }

private:
    int m_fds[2] = {-1, -1};
};

inline bool isReadable(int fd)
{
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

// Runs `loop` with no timer of its own: a helper thread ends it after `timeoutMs` through a
// pipe, a path independent of the dispatcher's eventfd. False when the helper had to.
inline bool execGuarded(QEventLoop &loop, int timeoutMs = 5000)
{
    Pipe alarm;
    QSocketNotifier alarmNotifier(alarm.readFd(), QSocketNotifier::Read);
    bool timedOut = false;
    QObject::connect(&alarmNotifier, &QSocketNotifier::activated, &loop, [&] {
        timedOut = true;
        loop.quit();
    });
    std::mutex mutex;
    std::condition_variable cv;
    bool done = false;
    std::thread guard([&] {
        std::unique_lock lock(mutex);
        if (!cv.wait_for(lock, std::chrono::milliseconds(timeoutMs), [&] { return done; }))
            alarm.write();
    });
    loop.exec();
    {
        std::lock_guard lock(mutex);
        done = true;
    }
    cv.notify_one();
    guard.join();
    return !timedOut;
}

// Runs an event loop for `ms` (ended by a timer) and returns how many passes it made.
inline int passesWhileRunning(int ms)
{
    int passes = 0;
    const auto counter = QObject::connect(dispatcher(), &QAbstractEventDispatcher::awake, [&] { ++passes; });
    QEventLoop loop;
    QTimer::singleShot(ms, Qt::PreciseTimer, &loop, &QEventLoop::quit);
    loop.exec();
    QObject::disconnect(counter);
    return passes;
}

// Counts its own timer events and says when it dies.
class TimerTarget : public QObject
{
public:
    explicit TimerTarget(int *fired = nullptr, bool *alive = nullptr)
        : m_fired(fired)
        , m_alive(alive)
    {
        if (m_alive)
            *m_alive = true;
    }
    ~TimerTarget() override
    {
        if (m_alive)
            *m_alive = false;
    }
    QList<int> events;

protected:
    void timerEvent(QTimerEvent *event) override
    {
        events.append(event->timerId());
        if (m_fired)
            ++*m_fired;
    }

private:
    int *m_fired;
    bool *m_alive;
};

inline QByteArray pattern(qsizetype size)
{
    QByteArray data(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        data[i] = char((i * 7 + i / 251) % 256);
    return data;
}

} // namespace epolltest

class TestEpollEventDispatcher : public QObject
{
    Q_OBJECT

private slots:
    void dispatcherIsInstalled();

    // Timers
    void singleShotTimersFireInOrder_data();
    void singleShotTimersFireInOrder();
    void repeatingTimerKeepsFiring();
    void timerStoppedInItsSlotNeverFiresAgain();
    void timerRestartedInItsSlotKeepsWorking();
    void remainingTime();
    void startTimerAndKillTimer();
    void deletingObjectWithDueTimersIsSafe();
    void timerDoesNotFireInsideItsOwnNestedLoop();
    void nestedLoopInTimerSlotSleeps_data();
    void nestedLoopInTimerSlotSleeps();
    void timerStartedByAnotherTimerWaitsItsInterval();

    // Socket notifiers
    void tcpEchoRoundTrip();
    void notifierRemovedByAnotherHandlerIsNotActivated_data();
    void notifierRemovedByAnotherHandlerIsNotActivated();
    void nestedLoopInNotifierHandlerActivatesOthersOnce();
    void processOutputAndFinished();
    void regularFileNotifierActivatesAndCanBeDisabled();
    void interestChangedInAHandlerHoldsAtTheNextWait_data();
    void interestChangedInAHandlerHoldsAtTheNextWait();

    // Posted events and loops
    void postFromOtherThreadWakesBlockedLoop_data();
    void postFromOtherThreadWakesBlockedLoop();
    void postsFromManyThreadsAreAllDelivered();
    void eventLoopQuitFromTimer();
    void nestedEventLoops();
    void processEventsDoesNotWaitWhenIdle();
    void excludeFlagsDeferWork();
    void deleteLaterDeletes();
};
