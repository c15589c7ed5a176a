#pragma once

#include <unordered_map>

#include "roundrobincursor.h"

namespace coord::scheduling {

struct PdChoice
{
    const TrackedInstance* prefill = nullptr;
    const TrackedInstance* decode = nullptr;
};

// default_scheduler / round_robin in PD modes (spec §4.3): P instances in round robin; for the
// chosen P, the D in round robin among the servable D instances whose peers list that P.
// Only P instances that have such a D are candidates, so the pick is O(log n) and never lands
// on a P it cannot pair. Exclusions (retries) apply to the P, which is where a dispatch goes.
// Not thread-safe (used under the scheduler's lock).
class PdRoundRobinPolicy
{
public:
    PdChoice choose(const InstanceTable& table, const ExcludedInstances& excluded);
    // Drops the per-P decode cursor of a removed P.
    void forgetPrefill(quint64 prefillId) { m_decodeCursors.erase(prefillId); }

private:
    RoundRobinCursor m_prefillCursor;
    std::unordered_map<quint64, RoundRobinCursor> m_decodeCursors;
};

} // namespace coord::scheduling
