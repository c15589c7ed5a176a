#include "instancetable.h"

namespace coord::scheduling {
namespace {

const InstanceTable::OrderSet kEmptyOrderSet;

} // namespace

InstanceTable::InstanceTable(qint64 perInstanceCap, ResourceThresholds thresholds)
    : m_cap(perInstanceCap), m_thresholds(thresholds)
{}

int InstanceTable::roleSlot(InstanceRole role)
{
    switch (role) {
    case InstanceRole::Prefill:
        return 1;
    case InstanceRole::Decode:
        return 2;
    case InstanceRole::Unified:
    case InstanceRole::Flex: // never registered: the parser converts or skips it
        break;
    }
    return 0;
}

const TrackedInstance* InstanceTable::find(quint64 id) const
{
    const auto it = m_byId.find(id);
    return it == m_byId.end() ? nullptr : &it->second;
}

const TrackedInstance* InstanceTable::findByOrder(quint64 order) const
{
    const auto it = m_byOrder.find(order);
    return it == m_byOrder.end() ? nullptr : it->second;
}

const TrackedInstance* InstanceTable::firstRegistered() const
{
    return m_byOrder.empty() ? nullptr : m_byOrder.begin()->second;
}

const TrackedInstance& InstanceTable::add(const InstanceInfo& info)
{
    remove(info.id);
    TrackedInstance& instance = m_byId[info.id];
    instance.info = info;
    instance.order = m_nextOrder++;
    m_byOrder.emplace(instance.order, &instance);
    index(instance);
    return instance;
}

void InstanceTable::updateDynamic(quint64 id, const InstanceDynamicInfo& dynamic)
{
    const auto it = m_byId.find(id);
    if (it == m_byId.end())
        return;
    unindex(it->second);
    it->second.info.dynamicInfo = dynamic;
    index(it->second);
}

void InstanceTable::remove(quint64 id)
{
    const auto it = m_byId.find(id);
    if (it == m_byId.end())
        return;
    unindex(it->second);
    m_byOrder.erase(it->second.order);
    m_byId.erase(it);
}

bool InstanceTable::setClosed(quint64 id, bool closed)
{
    const auto it = m_byId.find(id);
    if (it == m_byId.end())
        return false;
    unindex(it->second);
    it->second.closed = closed;
    index(it->second);
    return true;
}

bool InstanceTable::changeInFlight(quint64 id, quint64 order, qint64 delta)
{
    const auto it = m_byId.find(id);
    if (it == m_byId.end() || it->second.order != order)
        return false;
    TrackedInstance& instance = it->second;
    const qint64 updated = std::max<qint64>(0, instance.inFlight + delta);
    const bool capStateChanges = (instance.inFlight >= m_cap) != (updated >= m_cap);
    if (capStateChanges || instance.closed) {
        unindex(instance);
        instance.inFlight = updated;
        index(instance);
        return true;
    }
    // Hot path (every dispatch and every finish): only the load key moves. Reusing the node
    // avoids an allocation per decision.
    auto node = m_byLoad.extract({instance.inFlight, instance.info.id});
    instance.inFlight = updated;
    node.value().first = updated;
    m_byLoad.insert(std::move(node));
    return true;
}

void InstanceTable::setPerInstanceCap(qint64 cap)
{
    for (auto& [order, instance] : m_byOrder)
        unindex(*instance);
    m_cap = cap;
    for (auto& [order, instance] : m_byOrder)
        index(*instance);
}

const InstanceTable::OrderSet& InstanceTable::servable(InstanceRole role) const
{
    return m_servable[roleSlot(role)];
}

const InstanceTable::OrderSet& InstanceTable::decodesFor(quint64 prefillId) const
{
    const auto it = m_decodesByPrefill.find(prefillId);
    return it == m_decodesByPrefill.end() ? kEmptyOrderSet : it->second;
}

const RoleCounts& InstanceTable::counts(InstanceRole role) const
{
    return m_counts[roleSlot(role)];
}

bool InstanceTable::passesResourceTest(const InstanceInfo& info) const
{
    const InstanceStaticInfo& totals = info.staticInfo;
    const InstanceDynamicInfo& avail = info.dynamicInfo;
    if (totals.totalSlotsNum <= 0 || totals.totalBlockNum <= 0)
        return false;
    return double(avail.availSlotsNum) / double(totals.totalSlotsNum) > m_thresholds.slotRatio &&
           double(avail.availBlockNum) / double(totals.totalBlockNum) > m_thresholds.blockRatio;
}

bool InstanceTable::isServable(const TrackedInstance& instance) const
{
    return !instance.closed && instance.inFlight < m_cap && instance.info.dynamicInfo.availSlotsNum > 0 &&
           instance.info.dynamicInfo.availBlockNum > 0;
}

void InstanceTable::unindex(TrackedInstance& instance)
{
    const int slot = roleSlot(instance.info.role());
    RoleCounts& counts = m_counts[slot];
    --counts.total;
    if (instance.closed)
        --counts.closed;
    else if (instance.inFlight >= m_cap)
        --counts.openAtCap;
    if (!instance.closed)
        m_byLoad.erase({instance.inFlight, instance.info.id});
    m_comfortable.erase(instance.order);
    if (m_servable[slot].erase(instance.order) == 0)
        return;
    if (instance.info.role() == InstanceRole::Prefill) {
        m_prefillsWithDecode.erase(instance.order);
    } else if (instance.info.role() == InstanceRole::Decode) {
        for (const quint64 prefillId : instance.info.dynamicInfo.peers) {
            const auto it = m_decodesByPrefill.find(prefillId);
            if (it == m_decodesByPrefill.end())
                continue;
            it->second.erase(instance.order);
            if (it->second.empty())
                m_decodesByPrefill.erase(it);
            refreshPrefillMembership(prefillId);
        }
    }
}

void InstanceTable::index(TrackedInstance& instance)
{
    const int slot = roleSlot(instance.info.role());
    RoleCounts& counts = m_counts[slot];
    ++counts.total;
    if (instance.closed)
        ++counts.closed;
    else if (instance.inFlight >= m_cap)
        ++counts.openAtCap;
    if (!instance.closed)
        m_byLoad.insert({instance.inFlight, instance.info.id});
    if (!isServable(instance))
        return;
    m_servable[slot].insert(instance.order);
    if (passesResourceTest(instance.info))
        m_comfortable.insert(instance.order);
    if (instance.info.role() == InstanceRole::Prefill) {
        refreshPrefillMembership(instance.info.id);
    } else if (instance.info.role() == InstanceRole::Decode) {
        for (const quint64 prefillId : instance.info.dynamicInfo.peers) {
            m_decodesByPrefill[prefillId].insert(instance.order);
            refreshPrefillMembership(prefillId);
        }
    }
}

void InstanceTable::refreshPrefillMembership(quint64 prefillId)
{
    const TrackedInstance* prefill = find(prefillId);
    if (prefill == nullptr || prefill->info.role() != InstanceRole::Prefill)
        return;
    const bool servablePrefill = m_servable[roleSlot(InstanceRole::Prefill)].count(prefill->order) != 0;
    if (servablePrefill && !decodesFor(prefillId).empty())
        m_prefillsWithDecode.insert(prefill->order);
    else
        m_prefillsWithDecode.erase(prefill->order);
}

} // namespace coord::scheduling
