#pragma once

#include "registry/instancetable.h"
#include "schedulerequest.h"

namespace coord::scheduling {

// The tokenizer's target: the open instance (any role) with the fewest in-flight tasks, ties
// to the lowest id. The per-instance cap does not apply, as in MindIE. O(log n) plus one step
// per excluded id. Returns null when no open instance is left. Called under the scheduler's lock.
const TrackedInstance* pickLeastLoaded(const InstanceTable& table, const ExcludedInstances& excluded);

} // namespace coord::scheduling
