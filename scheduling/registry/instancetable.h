#pragma once

#include <map>
#include <set>
#include <unordered_map>
#include <utility>

#include "model/instanceinfo.h"

namespace coord::scheduling {

// Cache affinity's resource test: avail/total must be above both ratios.
struct ResourceThresholds
{
    double slotRatio = 0.05;
    double blockRatio = 0.05;
};

// In-flight work and admin state the coordinator keeps for one registered instance.
struct TrackedInstance
{
    InstanceInfo info;
    // Registration sequence number, never reused: it orders round robin ("instances are tried
    // in registration order") and tells a re-added instance apart from its earlier life.
    quint64 order = 0;
    qint64 inFlight = 0;
    bool closed = false; // offline: no new work, in-flight work continues
};

// How many instances of one role are registered, closed, and open but at the in-flight cap.
// Lets a failed decision say why in O(1).
struct RoleCounts
{
    qsizetype total = 0;
    qsizetype closed = 0;
    qsizetype openAtCap = 0;
};

// The registered instances plus ordered indexes of the ones that can take work, kept up to date
// on every change so a scheduling decision is a lower_bound instead of a scan, however many
// instances are ineligible. Every change costs O(log n), or O(peers x log n) for a D.
//
// Not thread-safe: the Scheduler owns one and guards it with its mutex.
class InstanceTable
{
public:
    using OrderSet = std::set<quint64>;
    using LoadSet = std::set<std::pair<qint64, quint64>>; // (in-flight, id)

    InstanceTable(qint64 perInstanceCap, ResourceThresholds thresholds);

    const TrackedInstance* find(quint64 id) const;
    const TrackedInstance* findByOrder(quint64 order) const;
    qsizetype size() const { return qsizetype(m_byId.size()); }
    // The earliest-registered instance still present, or null.
    const TrackedInstance* firstRegistered() const;
    // All instances in registration order (snapshot use only: O(n)).
    template <typename Visitor> void forEachInOrder(Visitor&& visit) const
    {
        for (const auto& [order, instance] : m_byOrder)
            visit(*instance);
    }

    const TrackedInstance& add(const InstanceInfo& info);
    // Applies new dynamic numbers and peers; static info stays as registered.
    void updateDynamic(quint64 id, const InstanceDynamicInfo& dynamic);
    void remove(quint64 id);
    // Returns false for an unknown id.
    bool setClosed(quint64 id, bool closed);
    // Adds delta to the in-flight count if `id` still names the registration `order`.
    bool changeInFlight(quint64 id, quint64 order, qint64 delta);
    // O(n log n): re-evaluates every instance against the new cap.
    void setPerInstanceCap(qint64 cap);
    qint64 perInstanceCap() const { return m_cap; }

    // Open, below the cap, avail_slots > 0 and avail_blocks > 0, of this role (U, P or D).
    const OrderSet& servable(InstanceRole role) const;
    // Servable and passing the cache-affinity resource test.
    const OrderSet& comfortable() const { return m_comfortable; }
    // Servable D instances whose peers list this P id.
    const OrderSet& decodesFor(quint64 prefillId) const;
    // Servable P instances with at least one servable D listing them.
    const OrderSet& prefillsWithDecode() const { return m_prefillsWithDecode; }
    // Open instances of any role by (in-flight, id): the tokenizer's candidates.
    const LoadSet& byLoad() const { return m_byLoad; }
    const RoleCounts& counts(InstanceRole role) const;

    bool passesResourceTest(const InstanceInfo& info) const;
    bool isServable(const TrackedInstance& instance) const;

private:
    // Every change to an instance is bracketed by these two so each index sees it leave with
    // the state it entered with.
    void unindex(TrackedInstance& instance);
    void index(TrackedInstance& instance);
    void refreshPrefillMembership(quint64 prefillId);
    static int roleSlot(InstanceRole role);

    qint64 m_cap;
    ResourceThresholds m_thresholds;
    quint64 m_nextOrder = 0;
    std::unordered_map<quint64, TrackedInstance> m_byId; // node-based: pointers stay valid
    std::map<quint64, TrackedInstance*> m_byOrder;
    OrderSet m_servable[3];
    RoleCounts m_counts[3];
    OrderSet m_comfortable;
    std::unordered_map<quint64, OrderSet> m_decodesByPrefill;
    OrderSet m_prefillsWithDecode;
    LoadSet m_byLoad;
};

} // namespace coord::scheduling
