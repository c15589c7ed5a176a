#pragma once

#include <QtGlobal>

namespace coord::scheduling::digs {

// Slots and KV blocks: what a request needs, or what the coordinator has handed to an instance.
// A plain value type.
struct Resources
{
    qint64 slotCount = 0;
    qint64 blockCount = 0;

    Resources& operator+=(const Resources& other)
    {
        slotCount += other.slotCount;
        blockCount += other.blockCount;
        return *this;
    }
    Resources& operator-=(const Resources& other)
    {
        slotCount -= other.slotCount;
        blockCount -= other.blockCount;
        return *this;
    }
    qint64 total() const { return slotCount + blockCount; }
    friend bool operator==(const Resources&, const Resources&) = default;
};

// One request's demand: the resources it reserves on its P and D, plus its input length in
// tokens, which the load formula's token sum uses.
struct Demand
{
    Resources resources;
    qint64 inputTokens = 0;
};

// The request size DIGS works with (spec §4.2): ceil(bytes x i) for text prompts, the raw count
// for token arrays. Never negative.
qint64 digsInputTokens(qint64 inputLength, bool inputIsTokenCount, double tokensPerByte);

// The demand vector from load_cost_values: one slot, and either ceil(tokens / block_size)
// blocks ("1, 0") or a flat single block ("1, 1"). A block size below 1 counts as 1.
Demand makeDemand(qint64 inputTokens, qint64 blockSize, bool flatBlockDemand);

} // namespace coord::scheduling::digs
