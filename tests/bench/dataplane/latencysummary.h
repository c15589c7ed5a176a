// Percentiles of a set of durations, nearest-rank, in milliseconds.
#pragma once

#include <cstdint>
#include <vector>

namespace benchload {

struct LatencySummary
{
    double p50Ms = 0;
    double p99Ms = 0;
    double maxMs = 0;
};

// Sorts the samples in place (they are not needed afterwards).
LatencySummary summarize(std::vector<std::int64_t>& nanoseconds);

} // namespace benchload
