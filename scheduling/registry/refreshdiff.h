#pragma once

#include <QList>

#include "model/instanceinfo.h"
#include "model/refreshparser.h"

namespace coord::scheduling {

// What one refresh (or a faulty-instance removal) changed, so the caller can write the
// operation log, open or close /dresult links and fail the requests of removed instances.
// A value type.
struct RefreshDiff
{
    // Removals come first: an instance whose role changed appears in `removed` (old role) and
    // then in `added` (new role).
    QList<InstanceInfo> removed;
    QList<InstanceInfo> added;
    // Registered instances whose dynamic numbers or peers changed.
    QList<InstanceInfo> updated;
    // Entries the parser refused plus those ignored because they are marked faulty.
    QList<SkippedInstance> skipped;
    bool availableBefore = false;
    bool availableAfter = false;

    bool availabilityChanged() const { return availableBefore != availableAfter; }
};

} // namespace coord::scheduling
