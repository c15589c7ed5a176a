#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <unordered_map>

#include <QAbstractEventDispatcher>
#include <QList>

class QObject;

namespace coord::eventloop {

// The timers of one event dispatcher, ordered by deadline.
//
// The daemon starts and stops a QTimer per request all the time, so every operation on a single
// timer is O(log n) (a multimap keyed by deadline, indexed by id and by owner); nothing walks all
// timers. Deadlines are on the monotonic clock with millisecond intervals for every timer type.
//
// Thread affinity: the dispatcher's thread only.
class TimerQueue
{
public:
    using Clock = std::chrono::steady_clock;

    TimerQueue() = default;
    TimerQueue(const TimerQueue&) = delete;
    TimerQueue& operator=(const TimerQueue&) = delete;

    void add(int timerId, qint64 intervalMs, Qt::TimerType type, QObject* object);
    bool remove(int timerId);
    bool removeAll(QObject* object);
    QList<QAbstractEventDispatcher::TimerInfo> timersOf(QObject* object) const;
    // Milliseconds until the timer is due (0 when overdue), or -1 for an unknown id.
    int remainingMs(int timerId) const;
    // Milliseconds until the earliest deadline, rounded up so that a wait ending then finds the
    // timer due; -1 when there is no timer.
    int msUntilNextDeadline() const;
    bool isEmpty() const { return m_queue.empty(); }

    // Sends a QTimerEvent to the owner of every timer that is due, in deadline order, and
    // reschedules them. Stops early once `stop` is set. Returns the number of timers with a
    // non-zero interval that fired: like Qt's own dispatchers, zero-interval ("idle") timers do
    // not count as work, so that `while (processEvents()) {}` loops terminate.
    int activateDue(const std::atomic<bool>& stop);

private:
    struct Timer
    {
        int id = 0;
        QObject* object = nullptr;
        qint64 intervalMs = 0;
        Qt::TimerType type = Qt::CoarseTimer;
        // Distinguishes a timer from a later one that got the same (recycled) id.
        quint64 serial = 0;
        // The activation pass that last handled this timer; see activateDue().
        quint64 pass = 0;
        // Set while its QTimerEvent is being delivered: a nested event loop run from the
        // timer's own handler must not deliver it again.
        bool delivering = false;
    };
    using Queue = std::multimap<Clock::time_point, Timer>;

    void erase(std::unordered_map<int, Queue::iterator>::iterator byId);

    Queue m_queue;
    std::unordered_map<int, Queue::iterator> m_byId;
    std::unordered_multimap<QObject*, int> m_byObject;
    quint64 m_nextSerial = 0;
    quint64 m_pass = 0;
};

} // namespace coord::eventloop
