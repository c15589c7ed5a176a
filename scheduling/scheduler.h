#pragma once

#include <memory>
#include <optional>

#include <QList>
#include <QString>

#include "dispatchticket.h"
#include "policies/schedulerequest.h"
#include "registry/refreshdiff.h"
#include "schedulersettings.h"
#include "util/clock.h"

namespace coord::scheduling {

// The result of a scheduling decision. On success the ticket already counts the request as
// in flight on `instanceId` (the P in PD modes); drop or release it when the request ends, or
// when the dispatch fails and the request is retried elsewhere.
struct Placement
{
    NoPlacementReason failure = NoPlacementReason::NoInstance;
    quint64 instanceId = 0;
    // The D chosen with the P (PD modes). Not yet counted: acquire() it when the prefill step
    // ends and the task moves to D.
    std::optional<quint64> decodeId;
    bool cacheHit = false;
    DispatchTicket ticket;

    bool ok() const { return failure == NoPlacementReason::None; }
};

struct CoreChoice;

// The default scheduler (round_robin / cache_affinity) with its instance registry: one object
// shared by the control thread (refresh, offline/online, faulty removals, queries) and every
// worker thread (decisions, tickets).
//
// Thread affinity: all methods may be called from any thread. Each takes one mutex for a short
// critical section: decisions and ticket releases cost O(log n) in the instance count; refresh
// is O(n log n) in the refresh size. Hashing of conversation keys happens before the call, on
// the caller's thread. The Scheduler may be destroyed while tickets are still held; releasing
// them later does nothing.
class Scheduler
{
public:
    explicit Scheduler(const SchedulerSettings& settings, const Clock& clock = SteadyClock::instance());
    ~Scheduler();
    Scheduler(const Scheduler&) = delete;
    Scheduler& operator=(const Scheduler&) = delete;

    // Immutable after construction, except for the cap (setPerInstanceCap).
    ClusterMode mode() const { return m_mode; }

    // --- control thread: registry ---
    RefreshDiff applyRefresh(const RefreshRequest& request);
    RefreshDiff removeFaulty(quint64 id);
    QList<InstanceInfo> setClosed(const QList<quint64>& ids, bool closed);
    void setPerInstanceCap(qint64 cap);

    // --- queries ---
    // One entry per id, in order: in-flight count, or -1 for an unknown id.
    QList<qint64> inFlightTasks(const QList<quint64>& ids) const;
    bool clusterAvailable() const;
    // model_name of the earliest-registered instance still present ("" when none).
    QString firstModelName() const;
    // The KV block size from the first refresh that listed a valid instance.
    std::optional<qint64> blockSize() const;
    std::optional<InstanceInfo> instance(quint64 id) const;
    // Instances with their in-flight counts and closed flags, in registration order.
    QList<TrackedInstance> snapshot() const;

    // --- worker threads: decisions ---
    Placement schedule(const ScheduleRequest& request);
    // Least in-flight open instance of any role, ties to the lowest id.
    Placement scheduleTokenizer(const ExcludedInstances& excluded = {});
    // Counts one more in-flight task on an instance (e.g. the D once prefill ends), regardless
    // of its cap: the work is already accepted. An unknown id gives an unheld ticket.
    DispatchTicket acquire(quint64 instanceId);

private:
    class SharedState;
    Placement place(const CoreChoice& choice);

    ClusterMode m_mode;
    std::shared_ptr<SharedState> m_state;
};

} // namespace coord::scheduling
