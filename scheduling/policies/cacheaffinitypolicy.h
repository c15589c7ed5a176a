#pragma once

#include "affinitycache.h"
#include "roundrobincursor.h"

namespace coord::scheduling {

struct AffinityChoice
{
    const TrackedInstance* instance = nullptr;
    bool cacheHit = false;
};

// default_scheduler / cache_affinity (spec §4.3), single_node only.
// - Requests without a conversation key: plain round robin.
// - <= 2 messages: round robin, then remember hash(all) -> instance.
// - > 2 messages: if hash(all but the last two) is remembered and that instance passes the
//   resource test (and is open, below its cap, not excluded), reuse it and rename the entry to
//   hash(all). Otherwise round robin, forget the old key, remember the new one.
// Round robin here prefers instances that pass the resource test and falls back to any servable
// instance when none does, so a loaded cluster still takes work instead of failing.
// Not thread-safe (used under the scheduler's lock).
class CacheAffinityPolicy
{
public:
    explicit CacheAffinityPolicy(qsizetype cacheSize) : m_cache(cacheSize) {}

    AffinityChoice choose(const InstanceTable& table, const std::optional<ConversationKey>& conversation,
                          const ExcludedInstances& excluded);
    const AffinityCache& cache() const { return m_cache; }

private:
    const TrackedInstance* roundRobin(const InstanceTable& table, const ExcludedInstances& excluded);
    bool canReuse(const InstanceTable& table, quint64 instanceId, const ExcludedInstances& excluded) const;

    AffinityCache m_cache;
    RoundRobinCursor m_cursor;
};

} // namespace coord::scheduling
