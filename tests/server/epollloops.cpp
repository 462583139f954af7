// Posted events and loops: wake-ups from other threads, nested and quit loops, processEvents flags.

#include "tests/server/epolltest.h"

using namespace Qt::StringLiterals;
using namespace epolltest;

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
