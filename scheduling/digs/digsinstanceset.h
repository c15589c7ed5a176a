#pragma once

#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include "digsinstance.h"
#include "digssettings.h"

namespace coord::scheduling::digs {

// The instances DIGS schedules over, with ordered indexes of the ones that can take work so a
// pick costs O(log n) instead of MindIE's per-request sort of the pool:
// - ready P instances ordered by (prefill slots + blocks, registration order);
// - per group_id, ready D instances ordered by the part of ComputeAwareLoad that differs
//   between candidates, plus a multiset of decode slot counts giving the group's largest batch.
// "Ready" means open, with connection room, and within the res_limit_rate limit as far as it
// can be judged without the request. Every change to an instance goes through reindex(), which
// takes it out of each index with the key it went in with and puts it back.
//
// Not thread-safe: owned by the DigsEngine, used on its thread.
class DigsInstanceSet
{
public:
    explicit DigsInstanceSet(const DigsSettings& settings);

    const DigsInstance* find(quint64 id) const;
    // The instance if `id` still names registration `order`.
    const DigsInstance* find(quint64 id, quint64 order) const;
    qsizetype size() const { return qsizetype(m_byId.size()); }
    template <typename Visitor> void forEach(Visitor&& visit) const
    {
        for (const auto& [id, entry] : m_byId)
            visit(entry.instance);
    }

    // Adds the instance, or refreshes its dynamic numbers, peers and totals. A changed role,
    // label or group re-registers it: its allocations are forgotten and the caller's requests
    // holding them release nothing. Returns the instance's state after the call.
    const DigsInstance& upsert(const InstanceInfo& info);
    // Returns false for an unknown id.
    bool remove(quint64 id);
    bool setClosed(quint64 id, bool closed);

    // The P the next request goes to, or none. Does not allocate.
    std::optional<quint64> pickPrefill(const Demand& demand, const QList<quint64>& excluded = {}) const;
    // The D in the P's group that takes the request from `prefillId`, or none.
    std::optional<quint64> pickDecode(quint64 prefillId, const Demand& demand) const;

    void allocatePrefill(quint64 id, const Demand& demand);
    void allocateDecode(quint64 id, const Demand& demand);
    // Give back what allocate*() took; ignored unless `id` still names registration `order`.
    void releasePrefill(quint64 id, quint64 order, const Demand& demand);
    void releaseDecode(quint64 id, quint64 order, const Demand& demand);

private:
    struct PrefillKey
    {
        qint64 load;
        quint64 order;
        quint64 id;
        auto operator<=>(const PrefillKey&) const = default;
    };
    struct DecodeKey
    {
        double load;
        quint64 order;
        quint64 id;
        auto operator<=>(const DecodeKey&) const = default;
    };
    struct GroupIndex
    {
        std::set<DecodeKey> ready;
        std::multiset<qint64> openSlots; // decode slots of each open D: the largest is maxSlots
    };
    // An instance plus the keys it is currently indexed under.
    struct Entry
    {
        DigsInstance instance;
        std::optional<PrefillKey> prefillKey;
        std::optional<qint64> blockHeadroom;
        std::optional<DecodeKey> decodeKey;
        std::optional<qint64> openSlots;
    };

    template <typename Change> void modify(Entry& entry, Change&& change)
    {
        unindex(entry);
        change(entry.instance);
        index(entry);
    }
    void unindex(Entry& entry);
    void index(Entry& entry);
    Entry* entryFor(quint64 id, std::optional<quint64> order = std::nullopt);
    bool isReady(const DigsInstance& instance, const Resources& allocated) const;
    bool acceptsDemand(const DigsInstance& instance, const Resources& allocated, const Demand& demand) const;
    double decodeKeyLoad(const DigsInstance& instance) const;
    std::optional<quint64> scanDecode(const GroupIndex& group, quint64 prefillId, qint64 groupMax,
                                      const Demand& demand) const;
    qint64 capFor(const InstanceInfo& info) const;

    DigsSettings m_settings;
    bool m_countDemand; // the demand-aware limit check is in force
    quint64 m_nextOrder = 0;
    std::unordered_map<quint64, Entry> m_byId; // node-based: references stay valid
    std::set<PrefillKey> m_readyPrefill;
    std::multiset<qint64> m_prefillHeadroom; // block headroom of each ready P (improved check)
    std::map<quint64, GroupIndex> m_groups;
};

} // namespace coord::scheduling::digs
