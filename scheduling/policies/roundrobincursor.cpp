#include "roundrobincursor.h"

namespace coord::scheduling {

const TrackedInstance* RoundRobinCursor::next(const InstanceTable::OrderSet& eligible,
                                              const InstanceTable& table, const ExcludedInstances& excluded)
{
    if (eligible.empty())
        return nullptr;
    auto it = m_lastOrder ? eligible.upper_bound(*m_lastOrder) : eligible.begin();
    // Every skipped member is an excluded id, so this loop runs at most excluded.size() + 1 times.
    for (std::size_t step = 0; step < eligible.size(); ++step, ++it) {
        if (it == eligible.end())
            it = eligible.begin();
        const TrackedInstance* candidate = table.findByOrder(*it);
        if (candidate != nullptr && !isExcluded(excluded, candidate->info.id)) {
            m_lastOrder = *it;
            return candidate;
        }
    }
    return nullptr;
}

} // namespace coord::scheduling
