#pragma once

#include <set>

#include "demand.h"
#include "digssettings.h"

namespace coord::scheduling::digs {

// MindIE's decode cost (spec §4.2) as pure functions of one D's state, so that the formula can
// be tested term by term and the candidate index can be checked against it. Any thread.

// The input lengths of the sequences a D is decoding, as the coordinator allocated them.
using SequenceInputs = std::multiset<qint64>;

// The AICore-aware token sum. 1 when a = 0; the plain sum of (input + o) over in-flight
// sequences plus the new input while the group's largest batch is below n/2; otherwise the
// grouped sum, where each full group of n adds n x its largest element and, as MindIE codes
// it, the tail only counts when there is no full group.
qint64 tokenSum(const SequenceInputs& inFlight, qint64 groupMaxSlots, qint64 newInput,
                const LoadCoefficients& coefficients);

// The state of one decode candidate that the load formula reads.
struct DecodeLoadInput
{
    const SequenceInputs* inFlight = nullptr;
    Resources decodeAllocated;
    qint64 groupMaxSlots = 0;      // largest decode-allocated slot count in the D's group
    qint64 reportedUsedBlocks = 0; // total_block_num - avail_block_num (never below 0)
};

// load = a·TokenSum + m·maxSlots' + r·reported + b·(allocD.slotCount + demand.slotCount)
//      + c·(allocD.blockCount + demand.blockCount), where maxSlots' is the group maximum plus one for
// the instance that holds it.
double computeAwareLoad(const DecodeLoadInput& candidate, const Demand& demand,
                        const LoadCoefficients& coefficients);

// The coefficients' integer views, clamped the way MindIE clamps them.
qint64 outputAllowance(const LoadCoefficients& coefficients); // o, at least 0
qint64 coreCount(const LoadCoefficients& coefficients);       // n, at least 1
// True when the token sum takes the plain-sum branch for this group maximum (or a = 0), i.e.
// when a D's load is its own state plus a term equal for every candidate.
bool loadIsSeparable(qint64 groupMaxSlots, const LoadCoefficients& coefficients);

} // namespace coord::scheduling::digs
