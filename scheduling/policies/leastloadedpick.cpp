#include "leastloadedpick.h"

namespace coord::scheduling {

const TrackedInstance* pickLeastLoaded(const InstanceTable& table, const ExcludedInstances& excluded)
{
    for (const auto& [inFlight, id] : table.byLoad()) {
        if (!isExcluded(excluded, id))
            return table.find(id);
    }
    return nullptr;
}

} // namespace coord::scheduling
