#pragma once

#include "model/instanceinfo.h"
#include "registry/instancetable.h"

namespace coord::scheduling {

// default_scheduler's algorithm_type.
enum class DefaultAlgorithm
{
    RoundRobin,
    CacheAffinity, // single_node only; PD modes use round robin
};

// What the scheduler takes from the config (filled by the caller from core/config).
struct SchedulerSettings
{
    ClusterMode mode = ClusterMode::SingleNode;
    DefaultAlgorithm algorithm = DefaultAlgorithm::RoundRobin;
    qint64 perInstanceCap = 1000;  // single_node_max_requests
    qsizetype cacheSize = 100;     // cache_size
    ResourceThresholds thresholds; // slots_thresh, block_thresh
};

// Why no instance could be chosen, so the caller can pick its answer and log line.
enum class NoPlacementReason
{
    None,        // an instance was chosen
    NoInstance,  // nothing registered for the needed role (cluster not available)
    AllClosed,   // every candidate is offline
    AllAtCap,    // every open candidate holds single_node_max_requests in-flight requests
    NoResources, // open candidates below the cap report no free slots/blocks (or no legal P-D pair)
    AllTried,    // the remaining candidates were already tried by this request
};

const char* describeNoPlacementReason(NoPlacementReason reason);

} // namespace coord::scheduling
