#pragma once

#include <unordered_set>

#include "computeawareload.h"
#include "demand.h"
#include "digssettings.h"
#include "model/instanceinfo.h"

namespace coord::scheduling::digs {

// Which of DIGS's pools an instance serves. Decided by the label: static labels go straight to
// their pool and PREFER labels are moved by what they prefer; FLEX_STATIC (which the flex
// conversion should already have replaced) falls back to the role.
enum class DigsPool
{
    Prefill,
    Decode,
    None // a role DIGS does not schedule (U)
};

DigsPool poolFor(const InstanceInfo& info);

// What the engine knows about one registered instance: the registry's view plus the demand
// the coordinator has handed to it. Not thread-safe; owned by the engine's instance set.
struct DigsInstance
{
    InstanceInfo info;
    quint64 order = 0; // registration sequence number; tells a re-added id from its old life
    DigsPool pool = DigsPool::None;
    bool closed = false;
    qint64 cap = 0; // single_node_max_requests, or the flex split cap
    std::unordered_set<quint64> peers;

    Resources prefillAllocated;
    Resources decodeAllocated;
    qint64 prefillRequests = 0;
    qint64 decodeRequests = 0;
    // Input lengths of the sequences decoding here, and their sum, for the token sum.
    SequenceInputs decodeInputs;
    qint64 decodeInputSum = 0;

    // Prefill + decode slots handed out: MindIE's connection count.
    qint64 connections() const { return prefillAllocated.slotCount + decodeAllocated.slotCount; }
    bool hasConnectionRoom() const { return connections() < cap; }
    qint64 reportedUsedBlocks() const;
    // floor(total x res_limit_rate) per dimension.
    Resources limit(double resLimitRate) const;
    bool listsPeer(quint64 prefillId) const { return info.id == prefillId || peers.count(prefillId) > 0; }
};

// The res_limit_rate check for one stage's allocation.
// MindIE (countDemand false): the current allocation must not exceed the limit.
// countDemand true: the allocation plus the demand must fit, per dimension, unless that dimension is
// idle (so a request larger than the limit can still run alone).
bool withinLimit(const Resources& allocated, const Resources& limit, const Resources& demand,
                 bool countDemand);

} // namespace coord::scheduling::digs
