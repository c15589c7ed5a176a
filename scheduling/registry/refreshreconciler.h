#pragma once

#include "faultyinstances.h"
#include "instancetable.h"
#include "refreshdiff.h"

namespace coord::scheduling {

// "Available": at least one instance in single_node; at least one P and one D in PD modes.
bool isClusterAvailable(const InstanceTable& table, ClusterMode mode);

// Applies a parsed refresh to the table (spec §2.3). `ids` is authoritative:
// - a registered id missing from `ids` is removed;
// - a listed id with a valid entry is added, or, if registered, gets its dynamic numbers and
//   peers updated; a changed role removes and re-adds it (it starts with no in-flight work);
// - a listed id whose entry was skipped, or that has no entry, keeps its current state;
// - ids marked faulty are ignored while their window lasts.
// Not thread-safe; the Scheduler calls it under its mutex.
RefreshDiff reconcileRefresh(InstanceTable& table, FaultyInstances& faulty, const RefreshRequest& request,
                             ClusterMode mode);

} // namespace coord::scheduling
