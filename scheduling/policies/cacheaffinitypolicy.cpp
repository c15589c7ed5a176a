#include "cacheaffinitypolicy.h"

namespace coord::scheduling {

const TrackedInstance* CacheAffinityPolicy::roundRobin(const InstanceTable& table,
                                                       const ExcludedInstances& excluded)
{
    if (const TrackedInstance* comfortable = m_cursor.next(table.comfortable(), table, excluded))
        return comfortable;
    return m_cursor.next(table.servable(InstanceRole::Unified), table, excluded);
}

bool CacheAffinityPolicy::canReuse(const InstanceTable& table, quint64 instanceId,
                                   const ExcludedInstances& excluded) const
{
    const TrackedInstance* instance = table.find(instanceId);
    return instance != nullptr && table.isServable(*instance) && table.passesResourceTest(instance->info) &&
           !isExcluded(excluded, instanceId);
}

AffinityChoice CacheAffinityPolicy::choose(const InstanceTable& table,
                                           const std::optional<ConversationKey>& conversation,
                                           const ExcludedInstances& excluded)
{
    if (!conversation)
        return {m_cursor.next(table.servable(InstanceRole::Unified), table, excluded), false};

    if (conversation->historyHash) {
        const quint64 history = *conversation->historyHash;
        const std::optional<quint64> cached = m_cache.lookup(history);
        if (cached && canReuse(table, *cached, excluded)) {
            m_cache.rename(history, conversation->fullHash);
            return {table.find(*cached), true};
        }
        const TrackedInstance* chosen = roundRobin(table, excluded);
        if (chosen != nullptr) {
            m_cache.erase(history);
            m_cache.store(conversation->fullHash, chosen->info.id);
        }
        return {chosen, false};
    }

    const TrackedInstance* chosen = roundRobin(table, excluded);
    if (chosen != nullptr)
        m_cache.store(conversation->fullHash, chosen->info.id);
    return {chosen, false};
}

} // namespace coord::scheduling
