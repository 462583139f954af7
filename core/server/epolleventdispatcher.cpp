#include "core/server/epolleventdispatcher.h"

#include "core/common/monotonic.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTimerEvent>

#include <QVarLengthArray>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iterator>
#include <limits>

#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace boo {

namespace {

constexpr qint64 kNsPerMs = 1000 * 1000;

// What poll() would report for each notifier type: readiness, or any error or hang-up.
constexpr quint32 kActivatedBy[3] = {
    EPOLLIN | EPOLLHUP | EPOLLERR,  // QSocketNotifier::Read
    EPOLLOUT | EPOLLHUP | EPOLLERR, // QSocketNotifier::Write
    EPOLLPRI | EPOLLHUP | EPOLLERR, // QSocketNotifier::Exception
};
constexpr quint32 kInterest[3] = {EPOLLIN, EPOLLOUT, EPOLLPRI};
// Watch::events of a descriptor whose registration cannot be trusted: the next update adds it.
constexpr quint32 kStale = 0xffffffffu;

// The epoll interest of a descriptor with these notifiers (by type).
quint32 wantedEvents(QSocketNotifier *const *notifiers)
{
    quint32 wanted = 0;
    for (int type = 0; type < 3; ++type) {
        if (notifiers[type])
            wanted |= kInterest[type];
    }
    return wanted;
}

} // namespace

EpollEventDispatcher *EpollEventDispatcher::create()
{
    const int epollFd = ::epoll_create1(EPOLL_CLOEXEC);
    if (epollFd < 0)
        return nullptr;
    const int wakeFd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = wakeFd;
    if (wakeFd < 0 || ::epoll_ctl(epollFd, EPOLL_CTL_ADD, wakeFd, &event) != 0) {
        if (wakeFd >= 0)
            ::close(wakeFd);
        ::close(epollFd);
        return nullptr;
    }
    return new EpollEventDispatcher(epollFd, wakeFd);
}

EpollEventDispatcher::EpollEventDispatcher(int epollFd, int wakeFd)
    : m_epollFd(epollFd)
    , m_wakeFd(wakeFd)
{
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    ::close(m_wakeFd);
    ::close(m_epollFd);
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupted.storeRelaxed(0);
    emit awake();
    QCoreApplication::sendPostedEvents();

    // An event posted from now on writes the eventfd, so waiting cannot miss it.
    const bool canWait = flags.testFlag(QEventLoop::WaitForMoreEvents) && !m_interrupted.loadRelaxed();
    if (canWait)
        emit aboutToBlock();
    if (m_interrupted.loadRelaxed())
        return false;

    const bool withTimers = !flags.testFlag(QEventLoop::X11ExcludeTimers);
    const bool withNotifiers = !flags.testFlag(QEventLoop::ExcludeSocketNotifiers);
    int timeoutMs = withTimers ? waitTimeoutMs(canWait) : (canWait ? -1 : 0);

    if (!withNotifiers) {
        // Sockets stay in the interest list and would end the wait at once: wait for wake-ups only.
        pollfd wake{m_wakeFd, POLLIN, 0};
        if (::poll(&wake, 1, timeoutMs) > 0)
            drainWakeUps();
        return withTimers ? activateTimers() > 0 : false;
    }

    // First: applying a change may find a descriptor epoll cannot watch (always ready).
    applyQueuedChanges();
    m_carriedPending = m_pending.size();
    for (const int fd : std::as_const(m_alwaysReady)) {
        timeoutMs = 0;
        collectReady(fd, EPOLLIN | EPOLLOUT);
    }
    epoll_event events[256];
    const int ready = ::epoll_wait(m_epollFd, events, int(std::size(events)), timeoutMs);
    if (ready < 0 && errno != EINTR)
        qFatal("EpollEventDispatcher: epoll_wait failed: %s", std::strerror(errno));
    for (int i = 0; i < ready; ++i) {
        if (events[i].data.fd == m_wakeFd)
            drainWakeUps();
        else
            collectReady(events[i].data.fd, events[i].events);
    }
    int activated = activateNotifiers();
    if (withTimers)
        activated += activateTimers();
    return activated > 0;
}

int EpollEventDispatcher::waitTimeoutMs(bool canWait) const
{
    if (!canWait)
        return 0;
    // A timer whose handler runs this (nested) loop is not fired here: it must not end the wait.
    auto next = m_due.cbegin();
    while (next != m_due.cend() && m_timers.value(next->second).firing)
        ++next;
    if (next == m_due.cend())
        return -1;
    const qint64 left = next->first - steadyNs();
    if (left <= 0)
        return 0;
    // Rounded up: waking before the timer is due would only spin.
    return int(qMin<qint64>((left + kNsPerMs - 1) / kNsPerMs, std::numeric_limits<int>::max()));
}

void EpollEventDispatcher::collectReady(int fd, quint32 events)
{
    const auto it = m_watches.constFind(fd);
    if (it == m_watches.cend()) {
        // Its notifiers are gone but epoll still reports it: the descriptor was closed while
        // watched and a copy of it (dup, a forked child) keeps the file open. Nothing can remove
        // it by number any more; say so rather than spin in silence.
        if (m_strayReports++ % 10000 == 0)
            qWarning("EpollEventDispatcher: events for descriptor %d, which has no notifier (closed while watched?)", fd);
        return;
    }
    for (int type = 0; type < 3; ++type) {
        QSocketNotifier *notifier = it->notifiers[type];
        if (!notifier || !(events & kActivatedBy[type]))
            continue;
        // In a loop nested in a handler, the outer pass's notifiers are still pending: once is enough.
        const auto carried = m_pending.cbegin() + m_carriedPending;
        if (std::find(m_pending.cbegin(), carried, notifier) == carried)
            m_pending.append(notifier);
    }
}

int EpollEventDispatcher::activateNotifiers()
{
    int activated = 0;
    // A handler may unregister (or delete) a notifier still pending: its entry becomes nullptr.
    for (qsizetype i = 0; i < m_pending.size(); ++i) {
        QSocketNotifier *notifier = std::exchange(m_pending[i], nullptr);
        if (!notifier)
            continue;
        QEvent event(QEvent::SockAct);
        QCoreApplication::sendEvent(notifier, &event);
        ++activated;
    }
    m_pending.clear();
    return activated;
}

void EpollEventDispatcher::drainWakeUps()
{
    eventfd_t value = 0;
    ::eventfd_read(m_wakeFd, &value);
    m_wakeUps.storeRelease(0);
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    const int type = int(notifier->type());
    if (fd < 0 || type < 0 || type > 2)
        return;
    Watch &watch = m_watches[fd];
    if (watch.notifiers[type] && watch.notifiers[type] != notifier) {
        qWarning("EpollEventDispatcher: a second %s notifier for socket %d replaces the first",
                 type == 0       ? "read"
                     : type == 1 ? "write"
                                 : "exception",
                 fd);
        // Most likely the first one's descriptor was closed while it was enabled and the number
        // reused: the kernel forgot the old file, so register afresh.
        watch.events = kStale;
        watch.alwaysReady = false;
        m_alwaysReady.remove(fd);
    }
    watch.notifiers[type] = notifier;
    updateInterest(fd, watch);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    const int type = int(notifier->type());
    for (QSocketNotifier *&pending : m_pending) {
        if (pending == notifier)
            pending = nullptr;
    }
    const auto it = m_watches.find(fd);
    if (it == m_watches.end() || type < 0 || type > 2 || it->notifiers[type] != notifier)
        return;
    it->notifiers[type] = nullptr;
    updateInterest(fd, *it);
    if (!it->notifiers[0] && !it->notifiers[1] && !it->notifiers[2]) {
        m_alwaysReady.remove(fd);
        m_watches.erase(it);
    }
}

void EpollEventDispatcher::updateInterest(int fd, Watch &watch)
{
    const quint32 wanted = wantedEvents(watch.notifiers);
    if (watch.alwaysReady || wanted == watch.events)
        return;
    // Adding and removing happen now: the descriptor may be closed right after its last
    // notifier goes. A change of what a watched descriptor waits for can wait until the wait.
    if (wanted != 0 && watch.events != 0 && watch.events != kStale) {
        if (!std::exchange(watch.changeQueued, true))
            m_queuedChanges.append(fd);
        return;
    }
    applyInterest(fd, watch);
}

void EpollEventDispatcher::applyQueuedChanges()
{
    for (const int fd : std::as_const(m_queuedChanges)) {
        const auto it = m_watches.find(fd);
        // Gone, or unregistered and registered again since (a fresh Watch, not queued).
        if (it == m_watches.end() || !std::exchange(it->changeQueued, false))
            continue;
        applyInterest(fd, *it);
    }
    m_queuedChanges.clear();
}

void EpollEventDispatcher::applyInterest(int fd, Watch &watch)
{
    watch.changeQueued = false;
    quint32 wanted = wantedEvents(watch.notifiers);
    if (watch.alwaysReady || wanted == watch.events)
        return;
    epoll_event event{};
    event.events = wanted;
    event.data.fd = fd;
    if (wanted == 0) {
        // The descriptor may be closed already (EBADF): the kernel dropped it from the interest
        // list itself unless a copy of it keeps the file open (see collectReady).
        ::epoll_ctl(m_epollFd, EPOLL_CTL_DEL, fd, &event);
    } else if (::epoll_ctl(m_epollFd, watch.events && watch.events != kStale ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &event) != 0) {
        if (errno == ENOENT && ::epoll_ctl(m_epollFd, EPOLL_CTL_ADD, fd, &event) == 0) {
            // Closed and reopened under the same number since we last looked.
        } else if (errno == EEXIST && ::epoll_ctl(m_epollFd, EPOLL_CTL_MOD, fd, &event) == 0) {
            // Still the same file after all.
        } else if (errno == EPERM) {
            watch.alwaysReady = true;
            m_alwaysReady.insert(fd);
        } else {
            qWarning("EpollEventDispatcher: cannot watch socket %d: %s", fd, std::strerror(errno));
            wanted = 0;
        }
    }
    watch.events = wanted;
}

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject *object)
{
    if (timerId < 1 || interval < 0 || !object)
        return;
    unregisterTimer(timerId);
    Timer &timer = m_timers[timerId];
    timer.object = object;
    timer.intervalNs = interval * kNsPerMs;
    timer.type = timerType;
    schedule(timerId, timer, steadyNs() + timer.intervalNs);
}

void EpollEventDispatcher::schedule(int timerId, Timer &timer, qint64 dueNs)
{
    m_due.erase({timer.dueNs, timerId});
    timer.dueNs = dueNs;
    m_due.insert({dueNs, timerId});
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    const auto it = m_timers.find(timerId);
    if (it == m_timers.end())
        return false;
    m_due.erase({it->dueNs, timerId});
    m_timers.erase(it);
    return true;
}

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    bool any = false;
    for (auto it = m_timers.begin(); it != m_timers.end();) {
        if (it->object == object) {
            m_due.erase({it->dueNs, it.key()});
            it = m_timers.erase(it);
            any = true;
        } else {
            ++it;
        }
    }
    return any;
}

QList<QAbstractEventDispatcher::TimerInfo> EpollEventDispatcher::registeredTimers(QObject *object) const
{
    QList<TimerInfo> timers;
    for (auto it = m_timers.cbegin(); it != m_timers.cend(); ++it) {
        if (it->object == object)
            timers.append(TimerInfo(it.key(), int(it->intervalNs / kNsPerMs), it->type));
    }
    return timers;
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    const auto it = m_timers.constFind(timerId);
    if (it == m_timers.cend())
        return -1;
    return int(qMax<qint64>(0, (it->dueNs - steadyNs()) / kNsPerMs));
}

int EpollEventDispatcher::activateTimers()
{
    const qint64 now = steadyNs();
    // The timers due now; those started by the handlers below wait for the next pass, even one
    // that reuses the id of a timer stopped here (Qt hands freed ids out again at once).
    QVarLengthArray<std::pair<qint64, int>, 32> due;
    for (auto it = m_due.cbegin(); it != m_due.cend() && it->first <= now; ++it)
        due.append(*it);
    int fired = 0;
    for (const auto &[dueNs, timerId] : due) {
        auto it = m_timers.find(timerId);
        if (it == m_timers.end() || it->dueNs != dueNs || it->firing)
            continue;
        // Keep the cadence of a repeating timer; skip the beats missed while the loop was busy.
        qint64 next = it->dueNs + it->intervalNs;
        if (next <= now)
            next = now + it->intervalNs;
        schedule(timerId, *it, next);
        it->firing = true;
        QObject *object = it->object;
        QTimerEvent event(timerId);
        QCoreApplication::sendEvent(object, &event);
        ++fired;
        // The handler may have stopped the timer, or restarted it under the same id.
        if (auto after = m_timers.find(timerId); after != m_timers.end())
            after->firing = false;
    }
    return fired;
}

void EpollEventDispatcher::wakeUp()
{
    if (m_wakeUps.testAndSetAcquire(0, 1))
        ::eventfd_write(m_wakeFd, 1);
}

void EpollEventDispatcher::interrupt()
{
    m_interrupted.storeRelaxed(1);
    wakeUp();
}

} // namespace boo
