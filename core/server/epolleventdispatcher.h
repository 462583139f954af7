#pragma once

#include <QAbstractEventDispatcher>
#include <QAtomicInt>
#include <QHash>
#include <QList>
#include <QSet>

#include <set>
#include <utility>

class QSocketNotifier;

namespace boo {

// The event loop of `boocontrol --serve` on Linux: waits with epoll instead of poll.
//
// Qt's own dispatchers (GLib's and the UNIX one) hand the kernel the whole list of watched
// sockets on every pass. With the gateway relaying 64 streams that is 130-odd sockets polled per
// wake-up: a fifth of the server thread's time in `boo-bench gateway`, and most of the time the
// gateway added to the first byte (docs/performance.md). epoll keeps the interest list in the
// kernel and reports only the ready sockets.
//
// A socket's write notifier is typically enabled and disabled again within one handler (Qt
// enables it when data is queued and disables it once flush() sent everything): such changes of
// a watched descriptor's interest are applied just before the next wait, so that they cancel
// out instead of costing two epoll_ctl calls per write.
//
// Like poll(), it needs notifiers disabled before their descriptor is closed (Qt's own classes
// do so); a descriptor closed while watched is reported with a warning.
//
// Semantics follow QEventDispatcherUNIX: level-triggered notifiers (an error or hang-up
// activates every notifier of the socket), each due timer fires once per pass and never inside
// its own handler, posted events are sent at the start of every pass. Timers are precise to the
// millisecond whatever their type. Files epoll cannot watch (regular files) count as always
// ready, as poll() reports them.
//
// Install before the QCoreApplication exists: QCoreApplication::setEventDispatcher(create()).
class EpollEventDispatcher final : public QAbstractEventDispatcher
{
    Q_OBJECT

public:
    // nullptr when the kernel refuses an epoll or eventfd descriptor (use Qt's default then).
    static EpollEventDispatcher *create();
    ~EpollEventDispatcher() override;
    Q_DISABLE_COPY_MOVE(EpollEventDispatcher)

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;

    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;

    void wakeUp() override;
    void interrupt() override;

private:
    EpollEventDispatcher(int epollFd, int wakeFd);

    // The notifiers of one descriptor, by QSocketNotifier::Type (Read, Write, Exception).
    struct Watch
    {
        QSocketNotifier *notifiers[3] = {nullptr, nullptr, nullptr};
        quint32 events = 0;        // what epoll is asked for; 0 = not in the interest list
        bool alwaysReady = false;  // epoll cannot watch it
        bool changeQueued = false; // in m_queuedChanges
    };
    struct Timer
    {
        QObject *object = nullptr;
        qint64 intervalNs = 0;
        Qt::TimerType type = Qt::CoarseTimer;
        qint64 dueNs = 0;
        bool firing = false; // its handler is running (not fired again from a nested loop)
    };

    void updateInterest(int fd, Watch &watch);
    void applyInterest(int fd, Watch &watch);
    void applyQueuedChanges();
    int waitTimeoutMs(bool canWait) const;
    void collectReady(int fd, quint32 events);
    int activateNotifiers();
    int activateTimers();
    void drainWakeUps();
    void schedule(int timerId, Timer &timer, qint64 dueNs);

    const int m_epollFd;
    const int m_wakeFd;   // eventfd written by wakeUp() from any thread
    QAtomicInt m_wakeUps; // 1 while a wake-up is written and not yet read
    QAtomicInt m_interrupted;
    QHash<int, Watch> m_watches;            // by descriptor
    QSet<int> m_alwaysReady;                // descriptors epoll cannot watch
    QList<int> m_queuedChanges;             // descriptors whose interest changes before the next wait
    QList<QSocketNotifier *> m_pending;     // ready this pass; entries cleared when unregistered
    qsizetype m_carriedPending = 0;         // pending from an outer pass when this one is nested
    quint64 m_strayReports = 0;             // events for descriptors without notifiers
    QHash<int, Timer> m_timers;             // by timer id
    std::set<std::pair<qint64, int>> m_due; // (due time, timer id), earliest first
};

} // namespace boo
