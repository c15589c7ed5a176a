#include "schedulercore.h"

#include "policies/leastloadedpick.h"
#include "registry/refreshreconciler.h"
#include "schedulinglog.h"

namespace coord::scheduling {

SchedulerCore::SchedulerCore(const SchedulerSettings& settings, const Clock& clock)
    : m_settings(settings), m_table(settings.perInstanceCap, settings.thresholds), m_faulty(clock),
      m_affinity(settings.cacheSize)
{}

RefreshDiff SchedulerCore::applyRefresh(const RefreshRequest& request)
{
    // MindIE takes the KV block size once, from the first refresh that lists an instance.
    if (!m_blockSize && !request.instances.isEmpty()) {
        m_blockSize = request.instances.first().staticInfo.blockSize;
        qCInfo(lcScheduling) << "KV block size set to" << *m_blockSize;
    }
    RefreshDiff diff = reconcileRefresh(m_table, m_faulty, request, m_settings.mode);
    forgetRemoved(diff);
    return diff;
}

RefreshDiff SchedulerCore::removeFaulty(quint64 id)
{
    RefreshDiff diff;
    diff.availableBefore = clusterAvailable();
    const TrackedInstance* faulty = m_table.find(id);
    if (faulty != nullptr) {
        const quint64 virtualId = faulty->info.staticInfo.virtualId;
        m_table.forEachInOrder([&](const TrackedInstance& instance) {
            if (instance.info.id == id || instance.info.staticInfo.virtualId == virtualId)
                diff.removed.append(instance.info);
        });
    }
    m_faulty.mark(id);
    for (const InstanceInfo& removed : std::as_const(diff.removed)) {
        m_faulty.mark(removed.id);
        m_table.remove(removed.id);
    }
    forgetRemoved(diff);
    diff.availableAfter = clusterAvailable();
    return diff;
}

QList<InstanceInfo> SchedulerCore::setClosed(const QList<quint64>& ids, bool closed)
{
    QList<InstanceInfo> changed;
    const TrackedInstance* flexDecode = m_table.find(InstanceInfo::kFlexDecodeId);
    for (const quint64 id : ids) {
        if (m_table.setClosed(id, closed))
            changed.append(m_table.find(id)->info);
        if (flexDecode != nullptr && id != InstanceInfo::kFlexDecodeId &&
            flexDecode->info.flexOriginId == id && m_table.setClosed(InstanceInfo::kFlexDecodeId, closed))
            changed.append(flexDecode->info);
    }
    return changed;
}

qint64 SchedulerCore::inFlightTasks(quint64 id) const
{
    const TrackedInstance* instance = m_table.find(id);
    const TrackedInstance* flexDecode = m_table.find(InstanceInfo::kFlexDecodeId);
    const bool foldsDecode =
        flexDecode != nullptr && id != InstanceInfo::kFlexDecodeId && flexDecode->info.flexOriginId == id;
    if (instance == nullptr && !foldsDecode)
        return -1;
    return (instance ? instance->inFlight : 0) + (foldsDecode ? flexDecode->inFlight : 0);
}

bool SchedulerCore::clusterAvailable() const
{
    return isClusterAvailable(m_table, m_settings.mode);
}

QString SchedulerCore::firstModelName() const
{
    const TrackedInstance* first = m_table.firstRegistered();
    return first ? first->info.modelName : QString();
}

CoreChoice SchedulerCore::choose(const ScheduleRequest& request)
{
    return isPdMode(m_settings.mode) ? choosePd(request) : chooseSingleNode(request);
}

CoreChoice SchedulerCore::chooseSingleNode(const ScheduleRequest& request)
{
    const bool affinity = m_settings.algorithm == DefaultAlgorithm::CacheAffinity &&
                          request.flavour == ApiFlavour::OpenAi && request.conversation.has_value();
    const AffinityChoice choice =
        m_affinity.choose(m_table, affinity ? request.conversation : std::nullopt, request.excluded);
    if (choice.instance == nullptr) {
        const auto& candidates = m_table.servable(InstanceRole::Unified);
        return {explain(InstanceRole::Unified, candidates, request.excluded), nullptr, nullptr, false};
    }
    return {NoPlacementReason::None, choice.instance, nullptr, choice.cacheHit};
}

CoreChoice SchedulerCore::choosePd(const ScheduleRequest& request)
{
    const PdChoice choice = m_pd.choose(m_table, request.excluded);
    if (choice.prefill != nullptr)
        return {NoPlacementReason::None, choice.prefill, choice.decode, false};
    NoPlacementReason reason = explain(InstanceRole::Prefill, m_table.prefillsWithDecode(), request.excluded);
    if (reason == NoPlacementReason::NoResources && !m_table.servable(InstanceRole::Prefill).empty())
        reason = explain(InstanceRole::Decode, m_table.servable(InstanceRole::Decode), ExcludedInstances());
    return {reason, nullptr, nullptr, false};
}

CoreChoice SchedulerCore::chooseTokenizer(const ExcludedInstances& excluded)
{
    if (const TrackedInstance* target = pickLeastLoaded(m_table, excluded))
        return {NoPlacementReason::None, target, nullptr, false};
    if (m_table.size() == 0)
        return {NoPlacementReason::NoInstance, nullptr, nullptr, false};
    return {m_table.byLoad().empty() ? NoPlacementReason::AllClosed : NoPlacementReason::AllTried, nullptr,
            nullptr, false};
}

NoPlacementReason SchedulerCore::explain(InstanceRole role, const InstanceTable::OrderSet& candidates,
                                         const ExcludedInstances& excluded) const
{
    const RoleCounts& counts = m_table.counts(role);
    if (counts.total == 0)
        return NoPlacementReason::NoInstance;
    if (counts.closed == counts.total)
        return NoPlacementReason::AllClosed;
    if (counts.openAtCap == counts.total - counts.closed)
        return NoPlacementReason::AllAtCap;
    if (!excluded.isEmpty() && !candidates.empty())
        return NoPlacementReason::AllTried;
    return NoPlacementReason::NoResources;
}

void SchedulerCore::forgetRemoved(const RefreshDiff& diff)
{
    for (const InstanceInfo& removed : diff.removed) {
        if (removed.role() == InstanceRole::Prefill)
            m_pd.forgetPrefill(removed.id);
    }
}

} // namespace coord::scheduling
