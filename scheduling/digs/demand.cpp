#include "demand.h"

#include <cmath>

namespace coord::scheduling::digs {

qint64 digsInputTokens(qint64 inputLength, bool inputIsTokenCount, double tokensPerByte)
{
    if (inputLength <= 0)
        return 0;
    if (inputIsTokenCount)
        return inputLength;
    const double tokens = std::ceil(double(inputLength) * tokensPerByte);
    return tokens > 0 ? qint64(tokens) : 0;
}

Demand makeDemand(qint64 inputTokens, qint64 blockSize, bool flatBlockDemand)
{
    Demand demand;
    demand.inputTokens = inputTokens;
    demand.resources.slotCount = 1;
    if (flatBlockDemand) {
        demand.resources.blockCount = 1;
    } else {
        const qint64 size = qMax<qint64>(1, blockSize);
        demand.resources.blockCount = (inputTokens + size - 1) / size;
    }
    return demand;
}

} // namespace coord::scheduling::digs
