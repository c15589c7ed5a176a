// bench_load: fixed-concurrency HTTP load with one JSON result line, for the data-plane benchmark
// (tests/bench/dataplane/run_dataplane_bench.sh). Single-threaded on purpose: one epoll loop costs
// a few µs per request, well below the proxies under test, and keeps its own CPU easy to account.
#include <cstdio>
#include <string>

#include <sys/resource.h>

#include "latencysummary.h"
#include "loadoptions.h"
#include "loadrunner.h"

namespace {

// Thousands of concurrent streams need as many descriptors; take whatever the hard limit allows.
void raiseDescriptorLimit()
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

std::string jsonEscape(const std::string& text)
{
    std::string out;
    for (const char c : text) {
        if (c == '"' || c == '\\')
            out.push_back('\\');
        if (static_cast<unsigned char>(c) >= 0x20)
            out.push_back(c);
    }
    return out;
}

void writePerRequest(const std::string& path, const benchload::LoadResult& result)
{
    FILE* out = std::fopen(path.c_str(), "w");
    if (out == nullptr) {
        std::fprintf(stderr, "bench_load: cannot write %s\n", path.c_str());
        return;
    }
    // first_byte_ms is -1 when no body byte arrived.
    for (const auto& request : result.perRequest)
        std::fprintf(out, "%lld %d %.3f %.3f\n", request.number, request.ok ? 1 : 0,
                     request.firstByteNs < 0 ? -1.0 : static_cast<double>(request.firstByteNs) / 1e6,
                     static_cast<double>(request.totalNs) / 1e6);
    std::fclose(out);
}

} // namespace

int main(int argc, char** argv)
{
    const auto options = benchload::parseLoadOptions(argc, argv);
    if (!options)
        return 2;
    raiseDescriptorLimit();
    benchload::LoadResult result = benchload::runLoad(*options);
    if (!options->perRequestFile.empty())
        writePerRequest(options->perRequestFile, result);
    const auto latency = benchload::summarize(result.latencyNs);
    const auto firstByte = benchload::summarize(result.firstByteNs);
    const double seconds = result.wallSeconds > 0 ? result.wallSeconds : 1e-9;

    std::printf("{\"label\":\"%s\",\"requests\":%lld,\"concurrency\":%d,\"ok\":%lld,\"failed\":%lld,"
                "\"stale_retries\":%lld,\"wall_s\":%.3f,\"rps\":%.1f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,"
                "\"max_ms\":%.3f",
                jsonEscape(options->label).c_str(), options->requests, options->concurrency, result.ok,
                result.failed, result.staleRetries, result.wallSeconds,
                static_cast<double>(result.ok) / seconds, latency.p50Ms, latency.p99Ms, latency.maxMs);
    if (options->stream)
        std::printf(",\"events\":%lld,\"http_chunks\":%lld,\"events_per_s\":%.1f,\"ttfb_p50_ms\":%.3f,"
                    "\"ttfb_p99_ms\":%.3f,\"max_open_streams\":%lld",
                    result.sseEvents, result.httpChunks, static_cast<double>(result.sseEvents) / seconds,
                    firstByte.p50Ms, firstByte.p99Ms, result.maxOpenStreams);
    // The generator's own CPU, so a reader can check it was not the bottleneck.
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const double cpuMs = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3 +
                         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;
    std::printf(",\"client_cpu_ms\":%.0f,\"status\":{", cpuMs);
    bool first = true;
    for (const auto& [status, count] : result.statusCounts) {
        std::printf("%s\"%d\":%lld", first ? "" : ",", status, count);
        first = false;
    }
    std::printf("},\"errors\":[");
    for (std::size_t i = 0; i < result.firstErrors.size(); ++i)
        std::printf("%s\"%s\"", i ? "," : "", jsonEscape(result.firstErrors[i]).c_str());
    std::printf("]}\n");
    return result.failed == 0 ? 0 : 1;
}
