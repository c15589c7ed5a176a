// The epoll loop of bench_load: keeps `concurrency` requests in flight on non-blocking sockets
// until `requests` have been answered (or failed) or the time budget runs out.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "loadoptions.h"

namespace benchload {

struct LoadResult
{
    long long ok = 0;
    long long failed = 0;
    long long staleRetries = 0; // kept-alive connections the server had closed; resent, not failures
    double wallSeconds = 0;
    long long sseEvents = 0;
    long long httpChunks = 0;
    long long maxOpenStreams = 0;
    std::vector<std::int64_t> latencyNs;
    std::vector<std::int64_t> firstByteNs;
    std::map<int, long long> statusCounts; // 0 = transport error
    std::vector<std::string> firstErrors;  // a few reasons, for the report
    struct PerRequest
    {
        long long number = 0; // start order
        bool ok = false;
        std::int64_t firstByteNs = -1; // -1: no body byte arrived
        std::int64_t totalNs = 0;
    };
    std::vector<PerRequest> perRequest; // filled only with --per-request-file
};

LoadResult runLoad(const LoadOptions& options);

} // namespace benchload
