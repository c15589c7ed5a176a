#include "schedulersettings.h"

namespace coord::scheduling {

const char* describeNoPlacementReason(NoPlacementReason reason)
{
    switch (reason) {
    case NoPlacementReason::None:
        return "placed";
    case NoPlacementReason::NoInstance:
        return "no instance is registered";
    case NoPlacementReason::AllClosed:
        return "all instances are offline";
    case NoPlacementReason::AllAtCap:
        return "all instances are at their in-flight cap";
    case NoPlacementReason::NoResources:
        return "no instance reports free slots and blocks";
    case NoPlacementReason::AllTried:
        return "every available instance was already tried";
    }
    return "unknown";
}

} // namespace coord::scheduling
