// Command-line options of bench_load.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace benchload {

struct LoadOptions
{
    struct Target
    {
        std::string host; // IPv4 address
        int port = 0;
    };
    // Connection i talks to targets[i % size]: "direct" runs spread over every instance as a proxy would.
    std::vector<Target> targets;
    std::string path = "/";
    std::string body;
    // --bodies-file: one body per line; request k (in start order) sends bodies[k % size], so a
    // driver can write a seeded mix once and every run sends the same sequence. Overrides `body`.
    std::vector<std::string> bodies;
    std::string label;    // echoed in the result line so a driver can tell runs apart
    std::string markFile; // written once every connection holds an open stream at the same time
    // --per-request-file: one line per finished request, "number ok first_byte_ms total_ms" (number =
    // start order, i.e. the --bodies-file line cycle), so a driver can split latency by request kind.
    std::string perRequestFile;
    int concurrency = 1;
    long long requests = 1;
    bool stream = false;         // count SSE events and time to first body byte
    bool keepAlive = false;      // reuse connections; without it every request opens a new one
    double timeoutSeconds = 300; // the whole run is abandoned after this, remaining requests fail
};

// Parses argv; on error prints the reason and usage to stderr and returns nothing.
std::optional<LoadOptions> parseLoadOptions(int argc, char** argv);

} // namespace benchload
