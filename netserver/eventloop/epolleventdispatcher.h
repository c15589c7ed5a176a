#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

#include <QAbstractEventDispatcher>

#include "timerqueue.h"

class QSocketNotifier;

namespace coord::eventloop {

// A Qt event dispatcher on Linux epoll, built on Qt's public API only.
//
// Qt's glib and poll dispatchers walk every registered socket on every wake-up; the relay keeps
// thousands of streams open and wakes up once per relayed token, so here the cost of a wake-up
// follows the number of ready sockets instead: the kernel keeps the interest set, and timers sit
// in a deadline-ordered queue.
//
// Install it before the thread's event loop exists:
//   thread->setEventDispatcher(new EpollEventDispatcher);              // before thread->start()
//   QCoreApplication::setEventDispatcher(new EpollEventDispatcher);    // before the app object
//
// Semantics follow Qt's poll dispatcher: level-triggered socket notifiers (Qt's sockets expect
// to hear again while data remains), error and hang-up reported to read and write notifiers.
// Limits: epoll cannot watch regular files, so notifiers on them never fire (a warning says so).
//
// Thread affinity: everything on the dispatcher's thread, except wakeUp() and interrupt(),
// which any thread may call.
class EpollEventDispatcher final : public QAbstractEventDispatcher
{
public:
    explicit EpollEventDispatcher(QObject* parent = nullptr);
    ~EpollEventDispatcher() override;

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    void registerSocketNotifier(QSocketNotifier* notifier) override;
    void unregisterSocketNotifier(QSocketNotifier* notifier) override;

    using QAbstractEventDispatcher::registerTimer;
    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject* object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject* object) override;
    QList<TimerInfo> registeredTimers(QObject* object) const override;
    int remainingTime(int timerId) override;

    void wakeUp() override;
    void interrupt() override;

private:
    // What this dispatcher knows about one file descriptor, indexed by the descriptor.
    struct FdState
    {
        std::array<QSocketNotifier*, 3> notifiers{}; // by QSocketNotifier::Type
        // Changes whenever the descriptor gains notifiers after having none (or one replaces
        // another of the same type): readiness reported under an older epoch belonged to a
        // socket that may have been closed since, and must not activate the new notifiers.
        quint64 epoch = 0;
        uint32_t kernelEvents = 0; // what the epoll set holds, when inKernel
        bool inKernel = false;
        bool dirty = false; // listed in m_dirtyFds
        // All notifiers went away since the kernel was last told: the descriptor may have been
        // closed (which silently drops it from the epoll set) and its number reused.
        bool maybeReused = false;
    };

    static uint32_t wantedEvents(const FdState& state);
    void markDirty(int fd);
    void syncInterestSet();
    bool controlEpoll(int fd, uint32_t events, bool inKernel);
    int waitForSockets(int timeoutMs);
    int waitForWakeUpOnly(int timeoutMs);
    void consumeWakeUp();
    QSocketNotifier* notifierToActivate(int fd, int type, quint64 epoch) const;
    bool interrupted() const { return m_interrupted.load(std::memory_order_relaxed); }

    int m_epollFd = -1;
    int m_wakeFd = -1;
    // Set by the first wakeUp() after the eventfd was drained: later calls skip the write.
    std::atomic<bool> m_wakeUpPending{false};
    std::atomic<bool> m_interrupted{false};
    // The thread running the loop, and whether it posted events since its last
    // sendPostedEvents(): such wake-ups need no eventfd round trip.
    std::atomic<std::thread::id> m_ownerThread{};
    bool m_localWakeUp = false;
    std::vector<FdState> m_fds;
    // Descriptors whose wanted events may differ from the kernel's; reconciled once per
    // iteration because QAbstractSocket toggles its write notifier around every write.
    std::vector<int> m_dirtyFds;
    quint64 m_nextEpoch = 0;
    TimerQueue m_timers;
};

} // namespace coord::eventloop
