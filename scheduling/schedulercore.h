#pragma once

#include <optional>

#include "policies/cacheaffinitypolicy.h"
#include "policies/pdroundrobinpolicy.h"
#include "policies/schedulerequest.h"
#include "registry/faultyinstances.h"
#include "registry/instancetable.h"
#include "registry/refreshdiff.h"
#include "schedulersettings.h"
#include "util/clock.h"

namespace coord::scheduling {

// The outcome of one decision inside the lock; pointers are valid until the table changes.
struct CoreChoice
{
    NoPlacementReason failure = NoPlacementReason::NoInstance;
    const TrackedInstance* primary =
        nullptr;                             // the instance (single_node), the P (PD) or the tokenizer target
    const TrackedInstance* decode = nullptr; // PD modes only
    bool cacheHit = false;
};

// Everything the default scheduler knows and decides, without any locking: registry, faulty
// list, policies. Not thread-safe: the Scheduler wraps it with a mutex; tests and benchmarks
// may drive it directly from one thread.
class SchedulerCore
{
public:
    SchedulerCore(const SchedulerSettings& settings, const Clock& clock);

    RefreshDiff applyRefresh(const RefreshRequest& request);
    // Marks the instance faulty together with every instance sharing its virtual_id, and
    // removes them all (spec §5.4). Returns them as `removed`.
    RefreshDiff removeFaulty(quint64 id);
    // offline/online. Ids of a split flex instance close both halves. Returns the instances
    // whose flag was set (unknown ids are left out).
    QList<InstanceInfo> setClosed(const QList<quint64>& ids, bool closed);
    // In-flight count for /v1/instances/tasks: -1 for an unknown id; a flex id sums both halves.
    qint64 inFlightTasks(quint64 id) const;

    bool clusterAvailable() const;
    QString firstModelName() const;
    std::optional<qint64> blockSize() const { return m_blockSize; }

    CoreChoice choose(const ScheduleRequest& request);
    CoreChoice chooseTokenizer(const ExcludedInstances& excluded);

    const SchedulerSettings& settings() const { return m_settings; }
    const InstanceTable& table() const { return m_table; }
    InstanceTable& table() { return m_table; }
    const AffinityCache& affinityCache() const { return m_affinity.cache(); }

private:
    CoreChoice chooseSingleNode(const ScheduleRequest& request);
    CoreChoice choosePd(const ScheduleRequest& request);
    NoPlacementReason explain(InstanceRole role, const InstanceTable::OrderSet& candidates,
                              const ExcludedInstances& excluded) const;
    void forgetRemoved(const RefreshDiff& diff);

    SchedulerSettings m_settings;
    InstanceTable m_table;
    FaultyInstances m_faulty;
    CacheAffinityPolicy m_affinity;
    PdRoundRobinPolicy m_pd;
    std::optional<qint64> m_blockSize;
};

} // namespace coord::scheduling
