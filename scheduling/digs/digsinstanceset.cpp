#include "digsinstanceset.h"

#include <limits>

namespace coord::scheduling::digs {

namespace {

constexpr qint64 kUnlimitedHeadroom = std::numeric_limits<qint64>::max();

bool sameSchedulingIdentity(const InstanceInfo& a, const InstanceInfo& b)
{
    return a.role() == b.role() && a.staticInfo.label == b.staticInfo.label &&
           a.staticInfo.groupId == b.staticInfo.groupId;
}

template <typename Set, typename Value> void eraseOne(Set& set, const Value& value)
{
    const auto it = set.find(value);
    if (it != set.end())
        set.erase(it);
}

} // namespace

DigsInstanceSet::DigsInstanceSet(const DigsSettings& settings)
    : m_settings(settings),
      m_countDemand(settings.limitCountsDemand && settings.selectType == SelectType::RateLimited)
{}

const DigsInstance* DigsInstanceSet::find(quint64 id) const
{
    const auto it = m_byId.find(id);
    return it == m_byId.end() ? nullptr : &it->second.instance;
}

const DigsInstance* DigsInstanceSet::find(quint64 id, quint64 order) const
{
    const DigsInstance* instance = find(id);
    return instance && instance->order == order ? instance : nullptr;
}

DigsInstanceSet::Entry* DigsInstanceSet::entryFor(quint64 id, std::optional<quint64> order)
{
    const auto it = m_byId.find(id);
    if (it == m_byId.end() || (order && it->second.instance.order != *order))
        return nullptr;
    return &it->second;
}

qint64 DigsInstanceSet::capFor(const InstanceInfo& info) const
{
    const qint64 percentage = info.staticInfo.pPercentage;
    const bool flexSplit = info.flexOriginId.has_value() && percentage > 0 && percentage < 100;
    return flexSplit ? m_settings.flexSplitCap : m_settings.perInstanceCap;
}

const DigsInstance& DigsInstanceSet::upsert(const InstanceInfo& info)
{
    auto it = m_byId.find(info.id);
    if (it != m_byId.end() && !sameSchedulingIdentity(it->second.instance.info, info)) {
        remove(info.id);
        it = m_byId.end();
    }
    const auto apply = [this, &info](DigsInstance& instance) {
        instance.info = info;
        instance.pool = poolFor(info);
        instance.cap = capFor(info);
        instance.peers =
            std::unordered_set<quint64>(info.dynamicInfo.peers.cbegin(), info.dynamicInfo.peers.cend());
    };
    if (it == m_byId.end()) {
        Entry entry;
        entry.instance.order = m_nextOrder++;
        apply(entry.instance);
        it = m_byId.emplace(info.id, std::move(entry)).first;
        index(it->second);
    } else {
        modify(it->second, apply);
    }
    return it->second.instance;
}

bool DigsInstanceSet::remove(quint64 id)
{
    Entry* entry = entryFor(id);
    if (!entry)
        return false;
    unindex(*entry);
    m_byId.erase(id);
    return true;
}

bool DigsInstanceSet::setClosed(quint64 id, bool closed)
{
    Entry* entry = entryFor(id);
    if (!entry)
        return false;
    modify(*entry, [closed](DigsInstance& instance) { instance.closed = closed; });
    return true;
}

bool DigsInstanceSet::isReady(const DigsInstance& instance, const Resources& allocated) const
{
    if (instance.closed || !instance.hasConnectionRoom())
        return false;
    if (m_settings.selectType == SelectType::Plain)
        return true;
    const Resources limit = instance.limit(m_settings.resLimitRate);
    if (!m_countDemand)
        return withinLimit(allocated, limit, Resources{}, false);
    // Every request asks for one slot, so the slot dimension of the improved check does not
    // depend on the request; the block dimension is judged per request.
    return allocated.slotCount == 0 || allocated.slotCount + 1 <= limit.slotCount;
}

bool DigsInstanceSet::acceptsDemand(const DigsInstance& instance, const Resources& allocated,
                                    const Demand& demand) const
{
    if (!m_countDemand)
        return true;
    return withinLimit(allocated, instance.limit(m_settings.resLimitRate), demand.resources, true);
}

double DigsInstanceSet::decodeKeyLoad(const DigsInstance& instance) const
{
    const LoadCoefficients& k = m_settings.coefficients;
    double load = k.r * double(instance.reportedUsedBlocks()) +
                  k.b * double(instance.decodeAllocated.slotCount) +
                  k.c * double(instance.decodeAllocated.blockCount);
    if (k.a != 0.0) {
        // The plain-sum branch of the token sum: this D's sequences each count input + o.
        const double sequences = double(instance.decodeInputs.size());
        load += k.a * (double(instance.decodeInputSum) + sequences * double(outputAllowance(k)));
    }
    return load;
}

void DigsInstanceSet::index(Entry& entry)
{
    const DigsInstance& instance = entry.instance;
    if (instance.pool == DigsPool::Prefill && isReady(instance, instance.prefillAllocated)) {
        entry.prefillKey = PrefillKey{instance.prefillAllocated.total(), instance.order, instance.info.id};
        m_readyPrefill.insert(*entry.prefillKey);
        const Resources limit = instance.limit(m_settings.resLimitRate);
        entry.blockHeadroom = instance.prefillAllocated.blockCount == 0
                                  ? kUnlimitedHeadroom
                                  : limit.blockCount - instance.prefillAllocated.blockCount;
        m_prefillHeadroom.insert(*entry.blockHeadroom);
    }
    if (instance.pool == DigsPool::Decode) {
        GroupIndex& group = m_groups[instance.info.staticInfo.groupId];
        if (!instance.closed) {
            entry.openSlots = instance.decodeAllocated.slotCount;
            group.openSlots.insert(*entry.openSlots);
        }
        if (isReady(instance, instance.decodeAllocated)) {
            entry.decodeKey = DecodeKey{decodeKeyLoad(instance), instance.order, instance.info.id};
            group.ready.insert(*entry.decodeKey);
        }
    }
}

void DigsInstanceSet::unindex(Entry& entry)
{
    if (entry.prefillKey) {
        m_readyPrefill.erase(*entry.prefillKey);
        entry.prefillKey.reset();
    }
    if (entry.blockHeadroom) {
        eraseOne(m_prefillHeadroom, *entry.blockHeadroom);
        entry.blockHeadroom.reset();
    }
    if (!entry.openSlots && !entry.decodeKey)
        return;
    const auto groupIt = m_groups.find(entry.instance.info.staticInfo.groupId);
    if (groupIt != m_groups.end()) {
        if (entry.openSlots)
            eraseOne(groupIt->second.openSlots, *entry.openSlots);
        if (entry.decodeKey)
            groupIt->second.ready.erase(*entry.decodeKey);
        if (groupIt->second.openSlots.empty() && groupIt->second.ready.empty())
            m_groups.erase(groupIt);
    }
    entry.openSlots.reset();
    entry.decodeKey.reset();
}

std::optional<quint64> DigsInstanceSet::pickPrefill(const Demand& demand, const QList<quint64>& excluded) const
{
    if (m_readyPrefill.empty())
        return std::nullopt;
    // O(1) answer for a request no ready P has block room for.
    if (m_countDemand && *m_prefillHeadroom.rbegin() < demand.resources.blockCount)
        return std::nullopt;
    for (const PrefillKey& key : m_readyPrefill) {
        if (excluded.contains(key.id))
            continue;
        const DigsInstance& instance = m_byId.at(key.id).instance;
        if (acceptsDemand(instance, instance.prefillAllocated, demand))
            return key.id;
    }
    return std::nullopt;
}

std::optional<quint64> DigsInstanceSet::pickDecode(quint64 prefillId, const Demand& demand) const
{
    const DigsInstance* prefill = find(prefillId);
    if (!prefill)
        return std::nullopt;
    const auto groupIt = m_groups.find(prefill->info.staticInfo.groupId);
    if (groupIt == m_groups.end() || groupIt->second.ready.empty())
        return std::nullopt;
    const GroupIndex& group = groupIt->second;
    const qint64 groupMax = group.openSlots.empty() ? 0 : *group.openSlots.rbegin();
    const LoadCoefficients& k = m_settings.coefficients;
    if (!loadIsSeparable(groupMax, k))
        return scanDecode(group, prefillId, groupMax, demand);

    // The key holds every term that differs between candidates except m·maxSlots', which adds
    // m to the group's largest batch only. Walk in key order and stop once no later key can
    // beat the best exact load found.
    const double holderBonusFloor = qMin(0.0, k.m);
    std::optional<quint64> best;
    double bestLoad = 0;
    for (const DecodeKey& key : group.ready) {
        if (best && key.load + holderBonusFloor > bestLoad)
            break;
        const DigsInstance& candidate = m_byId.at(key.id).instance;
        if (!candidate.listsPeer(prefillId) || !acceptsDemand(candidate, candidate.decodeAllocated, demand))
            continue;
        const double load = key.load + (candidate.decodeAllocated.slotCount == groupMax ? k.m : 0.0);
        if (!best || load < bestLoad) {
            best = key.id;
            bestLoad = load;
        }
    }
    return best;
}

std::optional<quint64> DigsInstanceSet::scanDecode(const GroupIndex& group, quint64 prefillId,
                                                   qint64 groupMax, const Demand& demand) const
{
    // The grouped token sum depends on where the new input lands among each D's sequences, so
    // no per-instance key orders the candidates: evaluate each one (linear in the group).
    std::optional<quint64> best;
    double bestLoad = 0;
    for (const DecodeKey& key : group.ready) {
        const DigsInstance& candidate = m_byId.at(key.id).instance;
        if (!candidate.listsPeer(prefillId) || !acceptsDemand(candidate, candidate.decodeAllocated, demand))
            continue;
        DecodeLoadInput input;
        input.inFlight = &candidate.decodeInputs;
        input.decodeAllocated = candidate.decodeAllocated;
        input.groupMaxSlots = groupMax;
        input.reportedUsedBlocks = candidate.reportedUsedBlocks();
        const double load = computeAwareLoad(input, demand, m_settings.coefficients);
        if (!best || load < bestLoad) {
            best = key.id;
            bestLoad = load;
        }
    }
    return best;
}

void DigsInstanceSet::allocatePrefill(quint64 id, const Demand& demand)
{
    if (Entry* entry = entryFor(id)) {
        modify(*entry, [&demand](DigsInstance& instance) {
            instance.prefillAllocated += demand.resources;
            ++instance.prefillRequests;
        });
    }
}

void DigsInstanceSet::allocateDecode(quint64 id, const Demand& demand)
{
    if (Entry* entry = entryFor(id)) {
        modify(*entry, [&demand](DigsInstance& instance) {
            instance.decodeAllocated += demand.resources;
            ++instance.decodeRequests;
            instance.decodeInputs.insert(demand.inputTokens);
            instance.decodeInputSum += demand.inputTokens;
        });
    }
}

void DigsInstanceSet::releasePrefill(quint64 id, quint64 order, const Demand& demand)
{
    if (Entry* entry = entryFor(id, order)) {
        modify(*entry, [&demand](DigsInstance& instance) {
            instance.prefillAllocated -= demand.resources;
            --instance.prefillRequests;
        });
    }
}

void DigsInstanceSet::releaseDecode(quint64 id, quint64 order, const Demand& demand)
{
    if (Entry* entry = entryFor(id, order)) {
        modify(*entry, [&demand](DigsInstance& instance) {
            instance.decodeAllocated -= demand.resources;
            --instance.decodeRequests;
            eraseOne(instance.decodeInputs, demand.inputTokens);
            instance.decodeInputSum -= demand.inputTokens;
        });
    }
}

} // namespace coord::scheduling::digs
