#include "digsrequestqueue.h"

#include <algorithm>

namespace coord::scheduling::digs {

std::vector<QueuedRequest> DigsRequestQueue::takePending()
{
    std::vector<QueuedRequest> pending;
    pending.swap(m_pending);
    return pending;
}

void DigsRequestQueue::reorder(ReorderingType reordering)
{
    switch (reordering) {
    case ReorderingType::Fcfs:
        break;
    case ReorderingType::Sjf:
        std::stable_sort(
            m_pending.begin(), m_pending.end(),
            [](const QueuedRequest& a, const QueuedRequest& b) { return a.inputTokens < b.inputTokens; });
        break;
    case ReorderingType::Ljf:
        std::stable_sort(
            m_pending.begin(), m_pending.end(),
            [](const QueuedRequest& a, const QueuedRequest& b) { return a.inputTokens > b.inputTokens; });
        break;
    }
}

} // namespace coord::scheduling::digs
