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
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

boo::EpollEventDispatcher *dispatcher()
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

bool isReadable(int fd)
{
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

// Runs `loop` with no timer of its own: a helper thread ends it after `timeoutMs` through a
// pipe, a path independent of the dispatcher's eventfd. False when the helper had to.
bool execGuarded(QEventLoop &loop, int timeoutMs = 5000)
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
int passesWhileRunning(int ms)
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

QByteArray pattern(qsizetype size)
{
    QByteArray data(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        data[i] = char((i * 7 + i / 251) % 256);
    return data;
}

} // namespace

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

void TestEpollEventDispatcher::dispatcherIsInstalled()
{
    QVERIFY2(dispatcher(), QAbstractEventDispatcher::instance()->metaObject()->className());
}

void TestEpollEventDispatcher::singleShotTimersFireInOrder_data()
{
    QTest::addColumn<Qt::TimerType>("type");
    QTest::newRow("precise") << Qt::PreciseTimer;
    QTest::newRow("coarse") << Qt::CoarseTimer;
    QTest::newRow("very coarse") << Qt::VeryCoarseTimer; // precise here too (see the header)
}

void TestEpollEventDispatcher::singleShotTimersFireInOrder()
{
    QFETCH(Qt::TimerType, type);
    constexpr qint64 kNsPerMs = 1000 * 1000;
    // Each timer is due within [startedAfter, startedBefore] + interval; a stall while they are
    // set up can legitimately reorder them, so only pairs whose windows cannot overlap are ordered.
    struct Shot
    {
        int intervalMs;
        qint64 startedAfterNs = 0;
        qint64 startedBeforeNs = 0;
        qint64 firedNs = -1;
        int rank = -1;
        qint64 earliestDueNs() const { return startedAfterNs + intervalMs * kNsPerMs; }
        qint64 latestDueNs() const { return startedBeforeNs + intervalMs * kNsPerMs; }
    };
    std::vector<Shot> shots{{300}, {40}, {200}, {0}, {120}, {10}};
    std::vector<std::unique_ptr<QTimer>> timers;
    int firedCount = 0;
    QElapsedTimer clock;
    clock.start();
    for (Shot &shot : shots) {
        auto &timer = timers.emplace_back(std::make_unique<QTimer>());
        timer->setSingleShot(true);
        timer->setTimerType(type);
        timer->setInterval(shot.intervalMs);
        connect(timer.get(), &QTimer::timeout, this, [&] {
            shot.firedNs = clock.nsecsElapsed();
            shot.rank = firedCount++;
        });
        shot.startedAfterNs = clock.nsecsElapsed();
        timer->start();
        shot.startedBeforeNs = clock.nsecsElapsed();
    }
    QTRY_COMPARE_WITH_TIMEOUT(firedCount, int(shots.size()), 5000);

    for (const Shot &shot : shots) {
        const QString what
            = u"%1 ms timer fired %2 ms after its start"_s.arg(shot.intervalMs).arg(double(shot.firedNs - shot.startedAfterNs) / kNsPerMs);
        QVERIFY2(shot.firedNs >= shot.earliestDueNs(), qPrintable(u"early: "_s + what));
        QVERIFY2(shot.firedNs < shot.latestDueNs() + 1000 * kNsPerMs, qPrintable(u"late: "_s + what));
        for (const Shot &later : shots) {
            if (shot.latestDueNs() < later.earliestDueNs()) {
                QVERIFY2(shot.rank < later.rank,
                         qPrintable(u"%1 ms timer fired after %2 ms timer"_s.arg(shot.intervalMs).arg(later.intervalMs)));
            }
        }
    }
}

void TestEpollEventDispatcher::repeatingTimerKeepsFiring()
{
    QTimer timer;
    timer.setInterval(20);
    QList<qint64> firedAt;
    QElapsedTimer clock;
    clock.start();
    connect(&timer, &QTimer::timeout, this, [&] {
        firedAt.append(clock.elapsed());
        if (firedAt.size() == 5)
            timer.stop();
    });
    timer.start();
    QTRY_COMPARE_WITH_TIMEOUT(firedAt.size(), 5, 5000);
    // The k-th beat is never ahead of its cadence.
    for (qsizetype k = 0; k < firedAt.size(); ++k)
        QVERIFY2(firedAt[k] >= (k + 1) * 20, qPrintable(u"beat %1 at %2 ms"_s.arg(k + 1).arg(firedAt[k])));
}

void TestEpollEventDispatcher::timerStoppedInItsSlotNeverFiresAgain()
{
    QTimer timer;
    timer.setInterval(0); // due again at once: the easiest one to refire by mistake
    int fired = 0;
    connect(&timer, &QTimer::timeout, this, [&] {
        ++fired;
        timer.stop();
    });
    timer.start();
    QTRY_COMPARE(fired, 1);
    QTest::qWait(150);
    QCOMPARE(fired, 1);
    QVERIFY(!timer.isActive());
    QVERIFY(dispatcher()->registeredTimers(&timer).isEmpty());
}

void TestEpollEventDispatcher::timerRestartedInItsSlotKeepsWorking()
{
    QTimer timer;
    timer.setSingleShot(true);
    int fired = 0;
    QElapsedTimer clock;
    clock.start();
    connect(&timer, &QTimer::timeout, this, [&] {
        // Restarting inside the slot re-registers the timer, usually under the same id.
        if (++fired < 5)
            timer.start(20);
    });
    timer.start(20);
    QTRY_COMPARE_WITH_TIMEOUT(fired, 5, 5000);
    QVERIFY2(clock.elapsed() >= 5 * 20, qPrintable(QString::number(clock.elapsed())));
    QTest::qWait(100);
    QCOMPARE(fired, 5);
}

void TestEpollEventDispatcher::remainingTime()
{
    QTimer timer;
    timer.setSingleShot(true);
    QCOMPARE(timer.remainingTime(), -1);
    timer.start(3000);
    const int atStart = timer.remainingTime();
    QVERIFY2(atStart > 2500 && atStart <= 3000, qPrintable(QString::number(atStart)));
    QTest::qWait(200);
    const int later = timer.remainingTime();
    QVERIFY2(later >= 0 && later <= 2800, qPrintable(QString::number(later)));

    const QList<QAbstractEventDispatcher::TimerInfo> infos = dispatcher()->registeredTimers(&timer);
    QCOMPARE(infos.size(), 1);
    QCOMPARE(infos.first().interval, 3000);
    QCOMPARE(dispatcher()->remainingTime(infos.first().timerId), timer.remainingTime());

    timer.stop();
    QCOMPARE(timer.remainingTime(), -1);
    QCOMPARE(dispatcher()->remainingTime(infos.first().timerId), -1);
}

void TestEpollEventDispatcher::startTimerAndKillTimer()
{
    TimerTarget target;
    const int fast = target.startTimer(15);
    const int slow = target.startTimer(60000);
    QVERIFY(fast > 0 && slow > 0 && fast != slow);
    QCOMPARE(dispatcher()->registeredTimers(&target).size(), 2);

    QTRY_VERIFY(target.events.size() >= 3);
    target.killTimer(fast);
    const qsizetype count = target.events.size();
    QTest::qWait(120);
    QCOMPARE(target.events.size(), count);
    QVERIFY(std::all_of(target.events.cbegin(), target.events.cend(), [&](int id) { return id == fast; }));
    QCOMPARE(dispatcher()->registeredTimers(&target).size(), 1);
    target.killTimer(slow);
    QVERIFY(dispatcher()->registeredTimers(&target).isEmpty());
}

void TestEpollEventDispatcher::deletingObjectWithDueTimersIsSafe()
{
    int victimFired = 0;
    bool victimAlive = false;
    auto *victim = new TimerTarget(&victimFired, &victimAlive);

    QTimer killer;
    killer.setSingleShot(true);
    connect(&killer, &QTimer::timeout, this, [&] {
        QCOMPARE(dispatcher()->registeredTimers(victim).size(), 3);
        delete victim; // its three timers are due in this very pass
    });
    killer.start(0); // started first, so due first
    for (const int ms : {1, 2, 3})
        victim->startTimer(ms);
    QThread::msleep(30); // all four overdue when the loop next looks

    QTRY_VERIFY(!victimAlive);
    QTest::qWait(50);
    QCOMPARE(victimFired, 0);
}

void TestEpollEventDispatcher::timerDoesNotFireInsideItsOwnNestedLoop()
{
    QTimer timer;
    timer.setInterval(10);
    int fired = 0;
    int firedInsideNested = 0;
    bool insideNested = false;
    connect(&timer, &QTimer::timeout, this, [&] {
        ++fired;
        if (insideNested)
            ++firedInsideNested;
        if (fired == 1) {
            // Five beats pass while this waits; none may be delivered in here.
            insideNested = true;
            QEventLoop nested;
            QTimer::singleShot(50, &nested, &QEventLoop::quit);
            nested.exec();
            insideNested = false;
        } else if (fired == 3) {
            timer.stop();
        }
    });
    timer.start();
    QTRY_COMPARE_WITH_TIMEOUT(fired, 3, 5000);
    QCOMPARE(firedInsideNested, 0);
}

void TestEpollEventDispatcher::nestedLoopInTimerSlotSleeps_data()
{
    QTest::addColumn<bool>("keepRunning");
    QTest::newRow("timer stopped") << false;
    // Its next beat (10 ms on) cannot be delivered inside its own handler, so it must not keep
    // the nested loop awake either.
    QTest::newRow("timer still running") << true;
}

void TestEpollEventDispatcher::nestedLoopInTimerSlotSleeps()
{
    QFETCH(bool, keepRunning);
    QTimer timer;
    timer.setInterval(10);
    int passesInside = -1;
    connect(&timer, &QTimer::timeout, this, [&] {
        if (!keepRunning || passesInside >= 0)
            timer.stop();
        if (passesInside < 0)
            passesInside = passesWhileRunning(100);
    });
    timer.start();
    QTRY_VERIFY_WITH_TIMEOUT(passesInside >= 0 && !timer.isActive(), 5000);
    // The nested loop has nothing to do but wait for its 100 ms timer: a handful of passes is
    // sleeping, hundreds is spinning.
    QVERIFY2(passesInside < 50, qPrintable(u"%1 passes in 100 ms"_s.arg(passesInside)));
}

void TestEpollEventDispatcher::timerStartedByAnotherTimerWaitsItsInterval()
{
    QTimer first;
    QTimer second;
    QTimer late;
    for (QTimer *t : {&first, &second, &late})
        t->setSingleShot(true);
    QElapsedTimer clock;
    clock.start();
    qint64 lateStartedAt = -1;
    qint64 lateFiredAt = -1;
    // Whichever of the two runs first stops the other (due in the same pass) and starts `late`:
    // Qt hands the stopped timer's id straight to the new one.
    auto stopOtherStartLate = [&](QTimer *other) {
        if (lateStartedAt >= 0)
            return;
        other->stop();
        late.start(500);
        lateStartedAt = clock.elapsed();
    };
    connect(&first, &QTimer::timeout, this, [&] { stopOtherStartLate(&second); });
    connect(&second, &QTimer::timeout, this, [&] { stopOtherStartLate(&first); });
    connect(&late, &QTimer::timeout, this, [&] { lateFiredAt = clock.elapsed(); });
    first.start(5);
    second.start(5);
    QThread::msleep(30); // both overdue: they fall in the same pass

    QTRY_VERIFY_WITH_TIMEOUT(lateFiredAt >= 0, 5000);
    QVERIFY2(lateFiredAt - lateStartedAt >= 500, qPrintable(u"a 500 ms timer fired after %1 ms"_s.arg(lateFiredAt - lateStartedAt)));
}

void TestEpollEventDispatcher::tcpEchoRoundTrip()
{
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    QPointer<QTcpSocket> serverSide;
    connect(&server, &QTcpServer::newConnection, this, [&] {
        serverSide = server.nextPendingConnection();
        connect(serverSide, &QTcpSocket::readyRead, serverSide, [s = serverSide.data()] { s->write(s->readAll()); });
    });

    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, server.serverPort());
    QTRY_VERIFY(client.state() == QAbstractSocket::ConnectedState && serverSide);
    // Small kernel buffers: the writes cannot complete at once and wait for write notifiers.
    for (QTcpSocket *s : {&client, serverSide.data()}) {
        s->setSocketOption(QAbstractSocket::SendBufferSizeSocketOption, 16 * 1024);
        s->setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 16 * 1024);
    }

    const QByteArray payload = pattern(400 * 1024);
    QByteArray echoed;
    connect(&client, &QTcpSocket::readyRead, this, [&] { echoed += client.readAll(); });
    QSignalSpy written(&client, &QTcpSocket::bytesWritten);
    QCOMPARE(client.write(payload), payload.size());
    QTRY_COMPARE_WITH_TIMEOUT(echoed.size(), payload.size(), 8000);
    QVERIFY(echoed == payload);
    QVERIFY2(written.count() > 1, "the payload went out in one write");

    QSignalSpy serverDisconnected(serverSide.data(), &QTcpSocket::disconnected);
    client.disconnectFromHost();
    QTRY_COMPARE(serverDisconnected.count(), 1);
}

void TestEpollEventDispatcher::notifierRemovedByAnotherHandlerIsNotActivated_data()
{
    QTest::addColumn<bool>("deleteIt"); // else disable it
    QTest::newRow("deleted") << true;
    QTest::newRow("disabled") << false;
}

void TestEpollEventDispatcher::notifierRemovedByAnotherHandlerIsNotActivated()
{
    QFETCH(bool, deleteIt);
    Pipe pipes[2];
    QPointer<QSocketNotifier> notifiers[2];
    // Gone before the pipes close, even when a check fails: a notifier must not outlive its fd.
    const auto cleanup = qScopeGuard([&] {
        for (const auto &n : notifiers)
            delete n.data();
    });
    int fired[2] = {0, 0};
    for (int i = 0; i < 2; ++i) {
        QVERIFY(pipes[i].write());
        notifiers[i] = new QSocketNotifier(pipes[i].readFd(), QSocketNotifier::Read, this);
        connect(notifiers[i], &QSocketNotifier::activated, this, [&, i] {
            ++fired[i];
            pipes[i].drain();
            // Both are ready in the same pass; the one not run yet must stay silent.
            QSocketNotifier *other = notifiers[1 - i];
            if (other && deleteIt)
                delete other;
            else if (other)
                other->setEnabled(false);
        });
    }
    QTRY_COMPARE(fired[0] + fired[1], 1);
    QTest::qWait(50);
    QCOMPARE(fired[0] + fired[1], 1);
    const int silent = fired[0] ? 1 : 0;
    QCOMPARE(notifiers[silent].isNull(), deleteIt);
    QVERIFY(isReadable(pipes[silent].readFd())); // it still had data: only its removal kept it quiet
}

void TestEpollEventDispatcher::nestedLoopInNotifierHandlerActivatesOthersOnce()
{
    Pipe pipes[2];
    std::unique_ptr<QSocketNotifier> notifiers[2]; // gone before the pipes close
    int fired[2] = {0, 0};
    int spurious = 0;
    bool nestedRan = false;
    for (int i = 0; i < 2; ++i) {
        QVERIFY(pipes[i].write());
        notifiers[i] = std::make_unique<QSocketNotifier>(pipes[i].readFd(), QSocketNotifier::Read);
        connect(notifiers[i].get(), &QSocketNotifier::activated, this, [&, i] {
            // Level-triggered: a pipe nobody else reads is readable whenever it is reported.
            if (!isReadable(pipes[i].readFd())) {
                ++spurious;
                return;
            }
            ++fired[i];
            pipes[i].drain();
            if (!nestedRan) {
                // The other pipe, ready in the same pass, is handled inside this nested loop.
                nestedRan = true;
                passesWhileRunning(30);
            }
        });
    }
    QTRY_COMPARE(fired[0] + fired[1], 2);
    QTest::qWait(50);
    QCOMPARE(fired[0], 1);
    QCOMPARE(fired[1], 1);
    QCOMPARE(spurious, 0);
}

void TestEpollEventDispatcher::processOutputAndFinished()
{
    QProcess process;
    QByteArray output;
    connect(&process, &QProcess::readyReadStandardOutput, this, [&] { output += process.readAllStandardOutput(); });
    QSignalSpy finished(&process, &QProcess::finished);
    process.start(u"/bin/sh"_s, {u"-c"_s, u"echo hello; sleep 0.1; echo done"_s});
    QVERIFY(process.waitForStarted(5000));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 5000);
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
    output += process.readAllStandardOutput();
    QCOMPARE(output, QByteArray("hello\ndone\n"));
}

void TestEpollEventDispatcher::regularFileNotifierActivatesAndCanBeDisabled()
{
    QTemporaryFile file;
    QVERIFY(file.open());
    QVERIFY(file.write("data") == 4 && file.flush());
    QSocketNotifier notifier(file.handle(), QSocketNotifier::Read);
    int fired = 0;
    connect(&notifier, &QSocketNotifier::activated, this, [&] {
        ++fired;
        notifier.setEnabled(false);
    });
    QTRY_COMPARE(fired, 1);

    // Disabled, it must not keep the loop awake: an idle 100 ms loop sleeps and ends normally.
    QElapsedTimer clock;
    clock.start();
    const int passes = passesWhileRunning(100);
    QVERIFY(clock.elapsed() >= 100);
    QVERIFY2(passes < 50, qPrintable(u"%1 passes in 100 ms"_s.arg(passes)));
    QCOMPARE(fired, 1);

    // Enabled again it is ready again.
    notifier.setEnabled(true);
    QTRY_COMPARE(fired, 2);
}

void TestEpollEventDispatcher::postFromOtherThreadWakesBlockedLoop_data()
{
    QTest::addColumn<bool>("invokeMethod"); // else QCoreApplication::postEvent
    QTest::newRow("invokeMethod") << true;
    QTest::newRow("postEvent") << false;
}

void TestEpollEventDispatcher::postFromOtherThreadWakesBlockedLoop()
{
    QFETCH(bool, invokeMethod);

    // Receives the posted event and ends the loop.
    class Receiver : public QObject
    {
    public:
        std::function<void()> onEvent;
        bool event(QEvent *e) override
        {
            if (e->type() != QEvent::User)
                return QObject::event(e);
            onEvent();
            return true;
        }
    };

    for (int round = 0; round < 3; ++round) {
        QEventLoop loop;
        Receiver receiver;
        QElapsedTimer clock;
        clock.start();
        std::atomic<qint64> postedAt{-1};
        qint64 deliveredAt = -1;
        int passesBeforeDelivery = 0;
        const auto counter = connect(dispatcher(), &QAbstractEventDispatcher::awake, this, [&] { ++passesBeforeDelivery; });
        receiver.onEvent = [&] {
            deliveredAt = clock.elapsed();
            disconnect(counter);
            loop.quit();
        };
        std::thread poster([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(200)); // the loop is asleep by now
            postedAt = clock.elapsed();
            if (invokeMethod)
                QMetaObject::invokeMethod(&receiver, receiver.onEvent, Qt::QueuedConnection);
            else
                QCoreApplication::postEvent(&receiver, new QEvent(QEvent::User));
        });
        const bool ended = execGuarded(loop, 3000);
        poster.join();
        QVERIFY2(ended, "the posted event did not wake the loop");
        QVERIFY(deliveredAt >= postedAt);
        QVERIFY2(deliveredAt - postedAt < 500, qPrintable(u"woke after %1 ms"_s.arg(deliveredAt - postedAt)));
        // It slept until the post (a pass to start, one to deliver): no polling.
        QVERIFY2(passesBeforeDelivery <= 4, qPrintable(u"%1 passes"_s.arg(passesBeforeDelivery)));
    }
}

void TestEpollEventDispatcher::postsFromManyThreadsAreAllDelivered()
{
    constexpr int kThreads = 4;
    constexpr int kPostsEach = 2000;
    QEventLoop loop;
    QObject receiver;
    int delivered = 0;
    auto deliver = [&] {
        if (++delivered == kThreads * kPostsEach)
            loop.quit();
    };
    std::vector<std::thread> posters;
    for (int t = 0; t < kThreads; ++t) {
        posters.emplace_back([&] {
            for (int i = 0; i < kPostsEach; ++i) {
                QMetaObject::invokeMethod(&receiver, deliver, Qt::QueuedConnection);
                if (i % 100 == 0)
                    std::this_thread::sleep_for(std::chrono::milliseconds(1)); // let the loop fall asleep
            }
        });
    }
    // No timer of its own: a lost wake-up leaves the last posts waiting until the guard.
    const bool ended = execGuarded(loop, 5000);
    for (auto &poster : posters)
        poster.join();
    QVERIFY2(ended, qPrintable(u"%1 of %2 delivered"_s.arg(delivered).arg(kThreads * kPostsEach)));
    QCOMPARE(delivered, kThreads * kPostsEach);
}

void TestEpollEventDispatcher::eventLoopQuitFromTimer()
{
    QEventLoop loop;
    QElapsedTimer clock;
    clock.start();
    QTimer::singleShot(50, &loop, &QEventLoop::quit);
    QVERIFY(execGuarded(loop));
    QVERIFY2(clock.elapsed() >= 50, qPrintable(QString::number(clock.elapsed())));
    QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
}

void TestEpollEventDispatcher::nestedEventLoops()
{
    QStringList steps;
    QEventLoop outer;
    QTimer::singleShot(10, &outer, [&] {
        steps << u"outer timer"_s;
        QEventLoop inner;
        QTimer::singleShot(20, &inner, [&] {
            steps << u"inner timer"_s;
            inner.quit();
        });
        inner.exec();
        steps << u"inner returned"_s;
        outer.quit();
    });
    QVERIFY(execGuarded(outer));
    QCOMPARE(steps, (QStringList{u"outer timer"_s, u"inner timer"_s, u"inner returned"_s}));
}

void TestEpollEventDispatcher::processEventsDoesNotWaitWhenIdle()
{
    QTimer distant; // a wait by mistake would last until it fires
    distant.start(3000);
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < 100; ++i)
        QCoreApplication::processEvents();
    QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
}

void TestEpollEventDispatcher::excludeFlagsDeferWork()
{
    Pipe pipe;
    QVERIFY(pipe.write());
    QSocketNotifier notifier(pipe.readFd(), QSocketNotifier::Read);
    int notified = 0;
    connect(&notifier, &QSocketNotifier::activated, this, [&] {
        ++notified;
        pipe.drain();
    });
    QTimer timer;
    timer.setSingleShot(true);
    int fired = 0;
    connect(&timer, &QTimer::timeout, this, [&] { ++fired; });
    timer.start(0);
    QThread::msleep(5); // due, and the pipe is readable

    QCoreApplication::processEvents(QEventLoop::ExcludeSocketNotifiers | QEventLoop::X11ExcludeTimers);
    QCOMPARE(notified, 0);
    QCOMPARE(fired, 0);
    QCoreApplication::processEvents(QEventLoop::ExcludeSocketNotifiers);
    QCOMPARE(notified, 0);
    QCOMPARE(fired, 1);
    QCoreApplication::processEvents();
    QCOMPARE(notified, 1);
}

void TestEpollEventDispatcher::deleteLaterDeletes()
{
    QEventLoop loop;
    QPointer<QObject> object = new QObject;
    connect(object, &QObject::destroyed, &loop, &QEventLoop::quit);
    object->deleteLater();
    QVERIFY(object);
    QVERIFY(execGuarded(loop)); // posted-event delivery alone ends this loop
    QVERIFY(object.isNull());
}

void TestEpollEventDispatcher::interestChangedInAHandlerHoldsAtTheNextWait_data()
{
    // What the read handler does to the (always writable) socket's write notifier.
    QTest::addColumn<bool>("enable");
    QTest::addColumn<bool>("thenDisable");
    QTest::newRow("enabled: fires on the next pass") << true << false;
    QTest::newRow("enabled and disabled again: never fires") << true << true;
}

void TestEpollEventDispatcher::interestChangedInAHandlerHoldsAtTheNextWait()
{
    // Changes of a watched descriptor's interest are applied just before the wait (see the
    // header): they must hold there, whichever way they went in between.
    QFETCH(bool, enable);
    QFETCH(bool, thenDisable);
    int fds[2] = {-1, -1};
    QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds), 0);
    const auto closeFds = qScopeGuard([&] {
        ::close(fds[0]);
        ::close(fds[1]);
    });
    int reads = 0;
    int writes = 0;
    {
        QSocketNotifier reader(fds[0], QSocketNotifier::Read);
        QSocketNotifier writer(fds[0], QSocketNotifier::Write);
        writer.setEnabled(false);
        connect(&reader, &QSocketNotifier::activated, this, [&] {
            ++reads;
            char buffer[64];
            while (::read(fds[0], buffer, sizeof buffer) > 0) {}
            if (enable)
                writer.setEnabled(true);
            if (thenDisable)
                writer.setEnabled(false);
        });
        connect(&writer, &QSocketNotifier::activated, this, [&] {
            ++writes;
            writer.setEnabled(false); // once is enough: a stale interest would spin here
        });
        // A write interest left in the kernel would end every wait at once: count the passes.
        int passes = 0;
        connect(dispatcher(), &QAbstractEventDispatcher::awake, &reader, [&] { ++passes; });
        QCOMPARE(::write(fds[1], "x", 1), 1);
        QTRY_COMPARE(reads, 1);
        const int passesBefore = passes;
        QEventLoop idle; // waits for events, as qWait does not
        QTimer::singleShot(50, &idle, &QEventLoop::quit);
        idle.exec();
        QCOMPARE(writes, thenDisable ? 0 : 1);
        QVERIFY2(passes - passesBefore < 40, qPrintable(u"%1 passes in 50 ms"_s.arg(passes - passesBefore)));
        // The read interest survived the write notifier's comings and goings.
        QCOMPARE(::write(fds[1], "y", 1), 1);
        QTRY_COMPARE(reads, 2);
        QTest::qWait(20);
        QCOMPARE(writes, thenDisable ? 0 : 2);
        QCOMPARE(reads, 2);
    }
}

// QTEST_GUILESS_MAIN would leave Qt's own dispatcher in place: install ours first.
int main(int argc, char *argv[])
{
    auto *epoll = boo::EpollEventDispatcher::create();
    if (!epoll)
        qFatal("the kernel refused an epoll or eventfd descriptor");
    QCoreApplication::setEventDispatcher(epoll);
    QCoreApplication app(argc, argv);
    TestEpollEventDispatcher test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_epolleventdispatcher.moc"
