#include "latencysummary.h"

#include <algorithm>
#include <cmath>

namespace benchload {
namespace {

double percentileMs(const std::vector<std::int64_t>& sorted, double fraction)
{
    // Nearest rank: the smallest sample with at least fraction of the samples at or below it.
    const auto rank = static_cast<std::size_t>(std::ceil(fraction * static_cast<double>(sorted.size())));
    const std::size_t index = rank == 0 ? 0 : rank - 1;
    return static_cast<double>(sorted[std::min(index, sorted.size() - 1)]) / 1e6;
}

} // namespace

LatencySummary summarize(std::vector<std::int64_t>& nanoseconds)
{
    LatencySummary summary;
    if (nanoseconds.empty())
        return summary;
    std::sort(nanoseconds.begin(), nanoseconds.end());
    summary.p50Ms = percentileMs(nanoseconds, 0.50);
    summary.p99Ms = percentileMs(nanoseconds, 0.99);
    summary.maxMs = static_cast<double>(nanoseconds.back()) / 1e6;
    return summary;
}

} // namespace benchload
