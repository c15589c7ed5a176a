#include "timerqueue.h"

#include <algorithm>
#include <climits>

#include <QCoreApplication>
#include <QObject>
#include <QTimerEvent>

namespace coord::eventloop {

namespace {

// Rounded up: a wait that ends at the rounded time finds the timer due instead of spinning
// through zero-timeout waits for the last fraction of a millisecond.
int ceilMs(TimerQueue::Clock::duration duration)
{
    if (duration <= TimerQueue::Clock::duration::zero())
        return 0;
    const auto ms = std::chrono::ceil<std::chrono::milliseconds>(duration).count();
    return static_cast<int>(std::min<decltype(ms)>(ms, INT_MAX));
}

} // namespace

void TimerQueue::add(int timerId, qint64 intervalMs, Qt::TimerType type, QObject* object)
{
    if (auto existing = m_byId.find(timerId); existing != m_byId.end())
        erase(existing);
    Timer timer;
    timer.id = timerId;
    timer.object = object;
    timer.intervalMs = std::max<qint64>(intervalMs, 0);
    timer.type = type;
    timer.serial = ++m_nextSerial;
    // A timer registered by a handler during an activation pass counts as already handled by
    // that pass, so a pass cannot keep firing timers that its own handlers keep starting.
    timer.pass = m_pass;
    const auto deadline = Clock::now() + std::chrono::milliseconds(timer.intervalMs);
    m_byId.emplace(timerId, m_queue.emplace(deadline, timer));
    m_byObject.emplace(object, timerId);
}

bool TimerQueue::remove(int timerId)
{
    const auto found = m_byId.find(timerId);
    if (found == m_byId.end())
        return false;
    erase(found);
    return true;
}

void TimerQueue::erase(std::unordered_map<int, Queue::iterator>::iterator byId)
{
    const Queue::iterator entry = byId->second;
    const auto owned = m_byObject.equal_range(entry->second.object);
    for (auto it = owned.first; it != owned.second; ++it) {
        if (it->second == entry->second.id) {
            m_byObject.erase(it);
            break;
        }
    }
    m_queue.erase(entry);
    m_byId.erase(byId);
}

bool TimerQueue::removeAll(QObject* object)
{
    const auto owned = m_byObject.equal_range(object);
    if (owned.first == owned.second)
        return false;
    for (auto it = owned.first; it != owned.second; ++it) {
        const auto byId = m_byId.find(it->second);
        m_queue.erase(byId->second);
        m_byId.erase(byId);
    }
    m_byObject.erase(owned.first, owned.second);
    return true;
}

QList<QAbstractEventDispatcher::TimerInfo> TimerQueue::timersOf(QObject* object) const
{
    QList<QAbstractEventDispatcher::TimerInfo> timers;
    const auto owned = m_byObject.equal_range(object);
    for (auto it = owned.first; it != owned.second; ++it) {
        const Timer& timer = m_byId.at(it->second)->second;
        // TimerInfo carries an int; intervals beyond ~24 days are reported clamped.
        timers.append({timer.id, static_cast<int>(std::min<qint64>(timer.intervalMs, INT_MAX)), timer.type});
    }
    return timers;
}

int TimerQueue::remainingMs(int timerId) const
{
    const auto found = m_byId.find(timerId);
    if (found == m_byId.end())
        return -1;
    return ceilMs(found->second->first - Clock::now());
}

int TimerQueue::msUntilNextDeadline() const
{
    if (m_queue.empty())
        return -1;
    return ceilMs(m_queue.begin()->first - Clock::now());
}

int TimerQueue::activateDue(const std::atomic<bool>& stop)
{
    if (m_queue.empty())
        return 0;
    // Each pass has its own number so that a timer rescheduled by this pass (a zero-interval
    // timer goes back in at `now`, still due) ends the pass when it comes round again: every
    // due timer fires at most once per pass, and a zero-interval timer once per loop iteration.
    const quint64 pass = ++m_pass;
    const Clock::time_point now = Clock::now();
    int fired = 0;
    while (!m_queue.empty() && !stop.load(std::memory_order_relaxed)) {
        const Queue::iterator first = m_queue.begin();
        if (first->first > now || first->second.pass == pass)
            break;
        Timer& timer = first->second;
        timer.pass = pass;

        // Next deadline from the previous one, so that periodic timers do not drift; but after
        // the loop was blocked for longer than an interval, fire once and count from now rather
        // than firing a burst of catch-up events.
        Clock::time_point next = first->first + std::chrono::milliseconds(timer.intervalMs);
        if (next < now)
            next = now + std::chrono::milliseconds(timer.intervalMs);
        // Re-keying through a node handle keeps the element (and references to it) in place
        // and costs no allocation.
        auto node = m_queue.extract(first);
        node.key() = next;
        m_byId[timer.id] = m_queue.insert(std::move(node));

        if (timer.delivering)
            continue;
        if (timer.intervalMs > 0)
            ++fired;
        const int id = timer.id;
        const quint64 serial = timer.serial;
        QObject* const object = timer.object;
        timer.delivering = true;
        QTimerEvent event(id);
        QCoreApplication::sendEvent(object, &event);
        // The handler may have stopped the timer, deleted its owner, or started a new timer
        // that reuses the id: `timer` may be gone, so look it up again.
        const auto after = m_byId.find(id);
        if (after != m_byId.end() && after->second->second.serial == serial)
            after->second->second.delivering = false;
    }
    return fired;
}

} // namespace coord::eventloop
