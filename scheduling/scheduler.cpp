#include "scheduler.h"

#include <mutex>

#include "schedulercore.h"
#include "schedulinglog.h"

namespace coord::scheduling {

// The lock and the core, shared with tickets through a weak pointer so a ticket can outlive
// the Scheduler safely.
class Scheduler::SharedState final : public detail::TicketReleaser
{
public:
    SharedState(const SchedulerSettings& settings, const Clock& clock) : core(settings, clock) {}

    void releaseTicket(quint64 instanceId, quint64 registrationOrder) override
    {
        const std::lock_guard lock(mutex);
        core.table().changeInFlight(instanceId, registrationOrder, -1);
    }

    mutable std::mutex mutex;
    SchedulerCore core;
};

Scheduler::Scheduler(const SchedulerSettings& settings, const Clock& clock)
    : m_mode(settings.mode), m_state(std::make_shared<SharedState>(settings, clock))
{}

Scheduler::~Scheduler() = default;

RefreshDiff Scheduler::applyRefresh(const RefreshRequest& request)
{
    const std::lock_guard lock(m_state->mutex);
    return m_state->core.applyRefresh(request);
}

RefreshDiff Scheduler::removeFaulty(quint64 id)
{
    const std::lock_guard lock(m_state->mutex);
    return m_state->core.removeFaulty(id);
}

QList<InstanceInfo> Scheduler::setClosed(const QList<quint64>& ids, bool closed)
{
    const std::lock_guard lock(m_state->mutex);
    return m_state->core.setClosed(ids, closed);
}

void Scheduler::setPerInstanceCap(qint64 cap)
{
    const std::lock_guard lock(m_state->mutex);
    m_state->core.table().setPerInstanceCap(cap);
}

QList<qint64> Scheduler::inFlightTasks(const QList<quint64>& ids) const
{
    QList<qint64> tasks;
    tasks.reserve(ids.size());
    const std::lock_guard lock(m_state->mutex);
    for (const quint64 id : ids)
        tasks.append(m_state->core.inFlightTasks(id));
    return tasks;
}

bool Scheduler::clusterAvailable() const
{
    const std::lock_guard lock(m_state->mutex);
    return m_state->core.clusterAvailable();
}

QString Scheduler::firstModelName() const
{
    const std::lock_guard lock(m_state->mutex);
    return m_state->core.firstModelName();
}

std::optional<qint64> Scheduler::blockSize() const
{
    const std::lock_guard lock(m_state->mutex);
    return m_state->core.blockSize();
}

std::optional<InstanceInfo> Scheduler::instance(quint64 id) const
{
    const std::lock_guard lock(m_state->mutex);
    const TrackedInstance* tracked = m_state->core.table().find(id);
    return tracked ? std::optional<InstanceInfo>(tracked->info) : std::nullopt;
}

QList<TrackedInstance> Scheduler::snapshot() const
{
    QList<TrackedInstance> instances;
    const std::lock_guard lock(m_state->mutex);
    const InstanceTable& table = m_state->core.table();
    instances.reserve(table.size());
    table.forEachInOrder([&](const TrackedInstance& instance) { instances.append(instance); });
    return instances;
}

Placement Scheduler::place(const CoreChoice& choice)
{
    Placement placement;
    placement.failure = choice.failure;
    if (choice.primary == nullptr) {
        qCDebug(lcScheduling) << "No placement:" << describeNoPlacementReason(choice.failure);
        return placement;
    }
    placement.instanceId = choice.primary->info.id;
    if (choice.decode != nullptr)
        placement.decodeId = choice.decode->info.id;
    placement.cacheHit = choice.cacheHit;
    const quint64 order = choice.primary->order;
    m_state->core.table().changeInFlight(placement.instanceId, order, +1);
    placement.ticket = DispatchTicket(m_state, placement.instanceId, order);
    return placement;
}

Placement Scheduler::schedule(const ScheduleRequest& request)
{
    const std::lock_guard lock(m_state->mutex);
    return place(m_state->core.choose(request));
}

Placement Scheduler::scheduleTokenizer(const ExcludedInstances& excluded)
{
    const std::lock_guard lock(m_state->mutex);
    return place(m_state->core.chooseTokenizer(excluded));
}

DispatchTicket Scheduler::acquire(quint64 instanceId)
{
    const std::lock_guard lock(m_state->mutex);
    const TrackedInstance* tracked = m_state->core.table().find(instanceId);
    if (tracked == nullptr)
        return DispatchTicket();
    const quint64 order = tracked->order;
    m_state->core.table().changeInFlight(instanceId, order, +1);
    return DispatchTicket(m_state, instanceId, order);
}

} // namespace coord::scheduling
