// steadyNs() is the clock the epoll dispatcher's timers and the gateway's durations share.
#include "core/common/monotonic.h"

#include <QTest>

#include <ctime>

class TestMonotonic : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void isClockMonotonic()
    {
        // The epoll dispatcher read CLOCK_MONOTONIC itself; steadyNs() must be that clock.
        for (int i = 0; i < 100; ++i) {
            timespec before{};
            timespec after{};
            ::clock_gettime(CLOCK_MONOTONIC, &before);
            const qint64 ns = boo::steadyNs();
            ::clock_gettime(CLOCK_MONOTONIC, &after);
            QVERIFY(ns >= qint64(before.tv_sec) * 1000000000 + before.tv_nsec);
            QVERIFY(ns <= qint64(after.tv_sec) * 1000000000 + after.tv_nsec);
        }
    }

    void neverGoesBack()
    {
        qint64 last = boo::steadyNs();
        for (int i = 0; i < 10000; ++i) {
            const qint64 now = boo::steadyNs();
            QVERIFY(now >= last);
            last = now;
        }
    }
};

QTEST_GUILESS_MAIN(TestMonotonic)
#include "tst_monotonic.moc"
