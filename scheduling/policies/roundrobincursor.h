#pragma once

#include <optional>

#include "registry/instancetable.h"
#include "schedulerequest.h"

namespace coord::scheduling {

// A round-robin position over registration order. Each pick takes the first eligible instance
// after the previous pick, wrapping around, so eligible instances share work evenly however
// many ineligible ones sit between them. Cost: one lower_bound plus one step per excluded id.
// Not thread-safe (used under the scheduler's lock).
class RoundRobinCursor
{
public:
    // The chosen instance, or null when every member of `eligible` is excluded (or it is empty).
    const TrackedInstance* next(const InstanceTable::OrderSet& eligible, const InstanceTable& table,
                                const ExcludedInstances& excluded);

private:
    std::optional<quint64> m_lastOrder;
};

} // namespace coord::scheduling
