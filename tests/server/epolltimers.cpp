// Timers: single-shot and repeating, stopped and restarted in their slots, nested loops.

#include "tests/server/epolltest.h"

using namespace Qt::StringLiterals;
using namespace epolltest;

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
