#pragma once

#include <deque>
#include <utility>
#include <vector>

#include <QtGlobal>

#include "digssettings.h"

namespace coord::scheduling::digs {

// A queued request as the queues hold it. `ticket` tells an entry from a later request that
// reuses the key, so cancelling never has to search the queues: the engine just forgets the
// ticket and dead entries are dropped when next seen.
struct QueuedRequest
{
    quint64 requestKey = 0;
    quint64 ticket = 0;
    qint64 inputTokens = 0;
};

// MindIE's two stages of waiting: arrivals wait in a FIFO; each round moves up to
// max_schedule_count of them into the pending deque, which is reordered whole and offered to
// the instances. What a round does not place stays pending for the next one.
//
// Not thread-safe: owned by the DigsEngine.
class DigsRequestQueue
{
public:
    void push(const QueuedRequest& request) { m_waiting.push_back(request); }

    // Moves up to `maxCount` live entries from the waiting FIFO to the pending deque, drops dead
    // pending entries and reorders the pending deque. Dead waiting entries are only dropped
    // when the pull reaches them, so a cancel costs O(1) however long the backlog is.
    template <typename IsAlive>
    void pullAndReorder(qsizetype maxCount, ReorderingType reordering, IsAlive&& isAlive)
    {
        qsizetype moved = 0;
        while (moved < maxCount && !m_waiting.empty()) {
            const QueuedRequest front = m_waiting.front();
            m_waiting.pop_front();
            if (!isAlive(front))
                continue;
            m_pending.push_back(front);
            ++moved;
        }
        std::erase_if(m_pending, [&isAlive](const QueuedRequest& entry) { return !isAlive(entry); });
        reorder(reordering);
    }

    // The pending deque for one round; hand back what stays with restorePending().
    std::vector<QueuedRequest> takePending();
    void restorePending(std::vector<QueuedRequest> pending) { m_pending = std::move(pending); }

    qsizetype waitingEntries() const { return qsizetype(m_waiting.size()); }
    qsizetype pendingEntries() const { return qsizetype(m_pending.size()); }

private:
    void reorder(ReorderingType reordering);

    std::deque<QueuedRequest> m_waiting;
    std::vector<QueuedRequest> m_pending;
};

} // namespace coord::scheduling::digs
