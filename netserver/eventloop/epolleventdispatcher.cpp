#include "epolleventdispatcher.h"

#include <cerrno>
#include <climits>
#include <cstring>
#include <poll.h>
#include <thread>
#include <unistd.h>

#include <QCoreApplication>
#include <QEvent>
#include <QSocketNotifier>
#include <QThread>

#include <sys/epoll.h>
#include <sys/eventfd.h>

namespace coord::eventloop {

namespace {

// Ready descriptors taken per wait. More stay queued in the kernel (level-triggered, and epoll
// rotates its ready list) and are picked up by the next iteration; the buffer lives on the
// stack because a handler may run a nested loop that waits again.
constexpr int kMaxEventsPerWait = 512;

constexpr int kNotifierTypes = 3;

// What each notifier type (indexed by QSocketNotifier::Type) asks the kernel for.
constexpr std::array<uint32_t, kNotifierTypes> kRequested = {EPOLLIN, EPOLLOUT, EPOLLPRI};

// What activates it. Error and hang-up are reported whether asked for or not, and go to every
// notifier, as in Qt's poll dispatcher: the socket code learns of EOF or an error only by
// attempting I/O, and an unhandled level-triggered hang-up would otherwise wake the loop forever.
constexpr uint32_t kFailure = EPOLLERR | EPOLLHUP;
constexpr std::array<uint32_t, kNotifierTypes> kActivatedBy = {EPOLLIN | kFailure, EPOLLOUT | kFailure,
                                                               EPOLLPRI | kFailure};

const char* typeName(int type)
{
    static const char* const names[kNotifierTypes] = {"Read", "Write", "Exception"};
    return names[type];
}

// The notifier's descriptor and type as indices, or false for values no descriptor can have.
bool notifierSlot(const QSocketNotifier* notifier, int* fd, int* type)
{
    const qintptr socket = notifier->socket();
    *type = static_cast<int>(notifier->type());
    if (socket < 0 || socket > INT_MAX || *type < 0 || *type >= kNotifierTypes)
        return false;
    *fd = static_cast<int>(socket);
    return true;
}

} // namespace

EpollEventDispatcher::EpollEventDispatcher(QObject* parent) : QAbstractEventDispatcher(parent)
{
    m_epollFd = epoll_create1(EPOLL_CLOEXEC);
    if (m_epollFd < 0)
        qFatal("EpollEventDispatcher: epoll_create1 failed: %s", std::strerror(errno));
    m_wakeFd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (m_wakeFd < 0)
        qFatal("EpollEventDispatcher: eventfd failed: %s", std::strerror(errno));
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = m_wakeFd;
    if (epoll_ctl(m_epollFd, EPOLL_CTL_ADD, m_wakeFd, &event) != 0)
        qFatal("EpollEventDispatcher: cannot watch the eventfd: %s", std::strerror(errno));
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    ::close(m_wakeFd);
    ::close(m_epollFd);
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    // Like Qt's dispatchers, forget interrupts from before this call: QEventLoop checks its own
    // exit flag between calls, and the eventfd write that came with the interrupt still makes
    // this call return promptly.
    m_interrupted.store(false, std::memory_order_relaxed);
    if (m_ownerThread.load(std::memory_order_relaxed) != std::this_thread::get_id())
        m_ownerThread.store(std::this_thread::get_id(), std::memory_order_relaxed);
    // Events posted by this thread from here on make the wait below not block (wakeUp()).
    m_localWakeUp = false;
    emit awake();

    // Also delivers deleteLater() at the right loop level, which Qt decides inside.
    QCoreApplication::sendPostedEvents();

    const bool includeTimers = !flags.testFlag(QEventLoop::X11ExcludeTimers);
    const bool includeNotifiers = !flags.testFlag(QEventLoop::ExcludeSocketNotifiers);
    const bool mayBlock = flags.testFlag(QEventLoop::WaitForMoreEvents) && !interrupted();
    if (mayBlock)
        emit aboutToBlock();
    if (interrupted())
        return false;

    // No need to ask whether posted events are pending (which the public API cannot): every
    // postEvent() calls wakeUp(), so an event posted since sendPostedEvents() began has made
    // the eventfd readable, and the wait below returns at once.
    int timeoutMs = 0;
    if (mayBlock && !m_localWakeUp)
        timeoutMs = includeTimers ? m_timers.msUntilNextDeadline() : -1;

    int processed = includeNotifiers ? waitForSockets(timeoutMs) : waitForWakeUpOnly(timeoutMs);
    if (includeTimers && !interrupted())
        processed += m_timers.activateDue(m_interrupted);
    return processed > 0;
}

int EpollEventDispatcher::waitForSockets(int timeoutMs)
{
    syncInterestSet();

    std::array<epoll_event, kMaxEventsPerWait> events;
    const int ready = epoll_wait(m_epollFd, events.data(), kMaxEventsPerWait, timeoutMs);
    if (ready < 0) {
        if (errno != EINTR)
            qErrnoWarning(errno, "EpollEventDispatcher: epoll_wait failed");
        return 0;
    }

    // Note each descriptor's epoch before any handler runs (0 = nothing to activate).
    std::array<quint64, kMaxEventsPerWait> epochs;
    int processed = 0;
    for (int i = 0; i < ready; ++i) {
        const int fd = events[i].data.fd;
        epochs[i] = 0;
        if (fd == m_wakeFd) {
            consumeWakeUp();
            ++processed;
        } else if (static_cast<size_t>(fd) < m_fds.size() &&
                   (m_fds[static_cast<size_t>(fd)].inKernel || m_fds[static_cast<size_t>(fd)].dirty)) {
            epochs[i] = m_fds[static_cast<size_t>(fd)].epoch;
        } else {
            // Reported although we no longer track it (an earlier DEL could not reach it):
            // level-triggered, it would wake every wait, so try once more to drop it.
            epoll_ctl(m_epollFd, EPOLL_CTL_DEL, fd, nullptr);
        }
    }

    for (int i = 0; i < ready && !interrupted(); ++i) {
        if (epochs[i] == 0)
            continue;
        const int fd = events[i].data.fd;
        for (int type = 0; type < kNotifierTypes && !interrupted(); ++type) {
            if ((events[i].events & kActivatedBy[static_cast<size_t>(type)]) == 0)
                continue;
            // Looked up afresh before each activation: an earlier handler (or a nested loop it
            // ran) may have disabled or deleted this notifier, or closed the socket and opened
            // another under the same number.
            QSocketNotifier* const notifier = notifierToActivate(fd, type, epochs[i]);
            if (!notifier)
                continue;
            QEvent event(QEvent::SockAct);
            QCoreApplication::sendEvent(notifier, &event);
            ++processed;
        }
    }
    return processed;
}

int EpollEventDispatcher::waitForWakeUpOnly(int timeoutMs)
{
    // Waiting in epoll here would return at once for every ready socket that the caller asked
    // us not to activate (level-triggered), turning the wait into a busy loop.
    pollfd wake{m_wakeFd, POLLIN, 0};
    const int ready = ::poll(&wake, 1, timeoutMs);
    if (ready < 0 && errno != EINTR)
        qErrnoWarning(errno, "EpollEventDispatcher: poll failed");
    if (ready <= 0 || (wake.revents & POLLIN) == 0)
        return 0;
    consumeWakeUp();
    return 1;
}

QSocketNotifier* EpollEventDispatcher::notifierToActivate(int fd, int type, quint64 epoch) const
{
    if (static_cast<size_t>(fd) >= m_fds.size())
        return nullptr;
    const FdState& state = m_fds[static_cast<size_t>(fd)];
    return state.epoch == epoch ? state.notifiers[static_cast<size_t>(type)] : nullptr;
}

void EpollEventDispatcher::consumeWakeUp()
{
    eventfd_t count = 0;
    // Cannot fail with EAGAIN: only this thread reads, and epoll or poll said it is readable.
    eventfd_read(m_wakeFd, &count);
    // Cleared after the read, before the next sendPostedEvents(): an event posted from now on
    // writes again; one posted earlier is already in the queue that call will deliver.
    m_wakeUpPending.store(false);
}

void EpollEventDispatcher::wakeUp()
{
    if (std::this_thread::get_id() == m_ownerThread.load(std::memory_order_relaxed)) {
        // Posted by the loop's own thread, which is running, not waiting: it only has to not
        // block in its next wait. A deleteLater or queued call per request used to cost an
        // eventfd write and read each.
        m_localWakeUp = true;
        return;
    }
    if (m_wakeUpPending.exchange(true))
        return;
    if (eventfd_write(m_wakeFd, 1) != 0)
        qErrnoWarning(errno, "EpollEventDispatcher: eventfd write failed");
}

void EpollEventDispatcher::interrupt()
{
    m_interrupted.store(true, std::memory_order_relaxed);
    wakeUp();
}

uint32_t EpollEventDispatcher::wantedEvents(const FdState& state)
{
    uint32_t events = 0;
    for (size_t type = 0; type < kRequested.size(); ++type) {
        if (state.notifiers[type])
            events |= kRequested[type];
    }
    return events;
}

void EpollEventDispatcher::markDirty(int fd)
{
    FdState& state = m_fds[static_cast<size_t>(fd)];
    if (!state.dirty) {
        state.dirty = true;
        m_dirtyFds.push_back(fd);
    }
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier* notifier)
{
    int fd = -1;
    int type = 0;
    if (!notifierSlot(notifier, &fd, &type)) {
        qWarning("EpollEventDispatcher: invalid socket notifier (socket %lld)",
                 static_cast<long long>(notifier->socket()));
        return;
    }
    if (static_cast<size_t>(fd) >= m_fds.size())
        m_fds.resize(static_cast<size_t>(fd) + 1);
    FdState& state = m_fds[static_cast<size_t>(fd)];
    QSocketNotifier*& slot = state.notifiers[static_cast<size_t>(type)];
    if (slot == notifier)
        return;
    if (slot) {
        qWarning("EpollEventDispatcher: multiple socket notifiers for socket %d and type %s", fd,
                 typeName(type));
        // Most likely the old socket was closed without disabling its notifier and the number
        // now belongs to a new socket that epoll does not know yet.
        state.maybeReused = true;
    }
    if (slot || wantedEvents(state) == 0)
        state.epoch = ++m_nextEpoch;
    slot = notifier;
    markDirty(fd);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier* notifier)
{
    int fd = -1;
    int type = 0;
    if (!notifierSlot(notifier, &fd, &type) || static_cast<size_t>(fd) >= m_fds.size())
        return;
    FdState& state = m_fds[static_cast<size_t>(fd)];
    QSocketNotifier*& slot = state.notifiers[static_cast<size_t>(type)];
    if (slot != notifier)
        return;
    slot = nullptr;
    if (wantedEvents(state) == 0)
        state.maybeReused = true;
    markDirty(fd);
}

void EpollEventDispatcher::syncInterestSet()
{
    for (const int fd : m_dirtyFds) {
        FdState& state = m_fds[static_cast<size_t>(fd)];
        state.dirty = false;
        const uint32_t wanted = wantedEvents(state);
        if (wanted == 0) {
            // Fails harmlessly (EBADF, ENOENT) when the socket was closed first, which already
            // took it out of the set. Removed rather than kept with an empty mask because the
            // descriptor may be handed to another thread, whose own epoll set will watch it.
            if (state.inKernel)
                epoll_ctl(m_epollFd, EPOLL_CTL_DEL, fd, nullptr);
            state.inKernel = false;
            state.kernelEvents = 0;
            state.maybeReused = false;
            continue;
        }
        // A possibly reused number is re-announced even with an unchanged mask: the kernel
        // may have dropped the old socket, and then it knows nothing about the new one.
        if (state.inKernel && state.kernelEvents == wanted && !state.maybeReused)
            continue;
        state.inKernel = controlEpoll(fd, wanted, state.inKernel);
        state.kernelEvents = state.inKernel ? wanted : 0;
        state.maybeReused = false;
    }
    m_dirtyFds.clear();
}

bool EpollEventDispatcher::controlEpoll(int fd, uint32_t events, bool inKernel)
{
    epoll_event event{};
    event.events = events;
    event.data.fd = fd;
    int operation = inKernel ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    if (epoll_ctl(m_epollFd, operation, fd, &event) == 0)
        return true;
    // The kernel's set and ours can disagree: closing a descriptor drops it from the set
    // silently (MOD: ENOENT), and a number can come back for a new socket (ADD: EEXIST).
    if ((operation == EPOLL_CTL_MOD && errno == ENOENT) || (operation == EPOLL_CTL_ADD && errno == EEXIST)) {
        operation = operation == EPOLL_CTL_MOD ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
        if (epoll_ctl(m_epollFd, operation, fd, &event) == 0)
            return true;
    }
    if (errno == EPERM)
        qWarning("EpollEventDispatcher: socket notifier on descriptor %d will never fire: epoll cannot "
                 "watch regular files",
                 fd);
    else
        qErrnoWarning(errno, "EpollEventDispatcher: cannot watch descriptor %d", fd);
    return false;
}

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                                         QObject* object)
{
    if (timerId < 1 || interval < 0 || !object) {
        qWarning("EpollEventDispatcher::registerTimer: invalid arguments");
        return;
    }
#ifndef QT_NO_DEBUG
    if (object->thread() != thread() || thread() != QThread::currentThread()) {
        qWarning("EpollEventDispatcher::registerTimer: timers cannot be started from another thread");
        return;
    }
#endif
    m_timers.add(timerId, interval, timerType, object);
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    return m_timers.remove(timerId);
}

bool EpollEventDispatcher::unregisterTimers(QObject* object)
{
    return m_timers.removeAll(object);
}

QList<QAbstractEventDispatcher::TimerInfo> EpollEventDispatcher::registeredTimers(QObject* object) const
{
    return m_timers.timersOf(object);
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    return m_timers.remainingMs(timerId);
}

} // namespace coord::eventloop
