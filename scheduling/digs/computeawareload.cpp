#include "computeawareload.h"

namespace coord::scheduling::digs {

namespace {

bool isZero(double value)
{
    return value > -1e-9 && value < 1e-9;
}

qint64 tailThreshold(const LoadCoefficients& coefficients)
{
    return coefficients.k > 0 ? qint64(coefficients.k) : 0;
}

// The grouped branch: the in-flight inputs shifted by o, merged with the new input, walked in
// ascending order without building the merged set.
qint64 groupedTokenSum(const SequenceInputs& inFlight, qint64 newInput, const LoadCoefficients& coefficients)
{
    const qint64 o = outputAllowance(coefficients);
    const qint64 n = coreCount(coefficients);
    const qint64 count = qint64(inFlight.size()) + 1;
    const qint64 fullGroups = count / n;
    const qint64 tail = count % n;

    if (fullGroups == 0) {
        // Only a tail: its largest element decides.
        qint64 largest = newInput;
        if (!inFlight.empty())
            largest = qMax(largest, *inFlight.rbegin() + o);
        return tail <= tailThreshold(coefficients) ? largest / 2 * tail : largest * tail;
    }

    qint64 sum = 0;
    qint64 position = 0;
    bool newPlaced = false;
    auto visit = [&](qint64 value) {
        ++position;
        if (position <= fullGroups * n && position % n == 0)
            sum += value * n;
    };
    for (const qint64 input : inFlight) {
        const qint64 value = input + o;
        if (!newPlaced && newInput <= value) {
            visit(newInput);
            newPlaced = true;
        }
        visit(value);
    }
    if (!newPlaced)
        visit(newInput);
    // With full groups MindIE's tail check can never match (its counter has passed the tail
    // size), so the tail adds nothing.
    return sum;
}

} // namespace

qint64 outputAllowance(const LoadCoefficients& coefficients)
{
    const qint64 o = qint64(coefficients.o);
    return o < 0 ? 0 : o;
}

qint64 coreCount(const LoadCoefficients& coefficients)
{
    const qint64 n = qint64(coefficients.n);
    return n <= 0 ? 1 : n;
}

bool loadIsSeparable(qint64 groupMaxSlots, const LoadCoefficients& coefficients)
{
    return isZero(coefficients.a) || groupMaxSlots < coreCount(coefficients) / 2;
}

qint64 tokenSum(const SequenceInputs& inFlight, qint64 groupMaxSlots, qint64 newInput,
                const LoadCoefficients& coefficients)
{
    if (isZero(coefficients.a))
        return 1;
    if (groupMaxSlots < coreCount(coefficients) / 2) {
        const qint64 o = outputAllowance(coefficients);
        qint64 sum = newInput;
        for (const qint64 input : inFlight)
            sum += input + o;
        return sum;
    }
    return groupedTokenSum(inFlight, newInput, coefficients);
}

double computeAwareLoad(const DecodeLoadInput& candidate, const Demand& demand,
                        const LoadCoefficients& coefficients)
{
    static const SequenceInputs kNoSequences;
    const SequenceInputs& inFlight = candidate.inFlight ? *candidate.inFlight : kNoSequences;
    const qint64 sum = tokenSum(inFlight, candidate.groupMaxSlots, demand.inputTokens, coefficients);
    const qint64 batch =
        candidate.groupMaxSlots + (candidate.decodeAllocated.slotCount == candidate.groupMaxSlots ? 1 : 0);
    return coefficients.a * double(sum) + coefficients.m * double(batch) +
           coefficients.r * double(candidate.reportedUsedBlocks) +
           coefficients.b * double(candidate.decodeAllocated.slotCount + demand.resources.slotCount) +
           coefficients.c * double(candidate.decodeAllocated.blockCount + demand.resources.blockCount);
}

} // namespace coord::scheduling::digs
