#include "loadoptions.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>

namespace benchload {
namespace {

void printUsage()
{
    std::fputs(
        "usage: bench_load --url http://HOST:PORT [--url ...] [--path P]\n"
        "                  [--body TEXT | --body-file F | --bodies-file F]\n"
        "                  [--concurrency N] [--requests N] [--stream] [--keepalive]\n"
        "                  [--timeout-seconds S] [--label L] [--mark-file F] [--per-request-file F]\n"
        "POSTs the body (GET when there is none) N times over C connections (spread over the\n"
        "URLs) and prints one\n"
        "JSON line: ok/failed, wall time, throughput, latency p50/p99/max in ms and, with\n"
        "--stream, SSE events counted ('data: {' lines) and time to first body byte.\n"
        "--bodies-file: one body per line (empty lines skipped); request k sends line k mod count.\n",
        stderr);
}

// Only plain http:// with an IPv4 host or "localhost": this tool talks to local benchmark targets.
bool parseUrl(const std::string& url, LoadOptions& options)
{
    LoadOptions::Target target;
    const std::string scheme = "http://";
    if (url.rfind(scheme, 0) != 0)
        return false;
    std::string rest = url.substr(scheme.size());
    const auto slash = rest.find('/');
    if (slash != std::string::npos) {
        if (options.path == "/")
            options.path = rest.substr(slash);
        rest.resize(slash);
    }
    const auto colon = rest.rfind(':');
    if (colon == std::string::npos)
        return false;
    target.host = rest.substr(0, colon);
    if (target.host == "localhost")
        target.host = "127.0.0.1";
    target.port = std::atoi(rest.c_str() + colon + 1);
    if (target.port <= 0 || target.port >= 65536)
        return false;
    options.targets.push_back(target);
    return true;
}

bool readFile(const std::string& path, std::string& out)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return false;
    out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return true;
}

// One body per non-empty line, without the line ending.
bool readLines(const std::string& path, std::vector<std::string>& out)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return false;
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (!line.empty())
            out.push_back(line);
    }
    return !out.empty();
}

} // namespace

std::optional<LoadOptions> parseLoadOptions(int argc, char** argv)
{
    LoadOptions options;
    std::string explicitPath;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        const bool hasValue = i + 1 < argc;
        auto value = [&]() { return std::string(argv[++i]); };
        if (flag == "--stream") {
            options.stream = true;
        } else if (flag == "--keepalive") {
            options.keepAlive = true;
        } else if (flag == "--help" || flag == "-h") {
            printUsage();
            return std::nullopt;
        } else if (!hasValue) {
            std::fprintf(stderr, "bench_load: %s needs a value or is unknown\n", flag.c_str());
            printUsage();
            return std::nullopt;
        } else if (flag == "--url") {
            if (!parseUrl(value(), options)) {
                std::fprintf(stderr, "bench_load: --url must look like http://127.0.0.1:8080[/path]\n");
                return std::nullopt;
            }
        } else if (flag == "--path") {
            explicitPath = value();
        } else if (flag == "--body") {
            options.body = value();
        } else if (flag == "--body-file") {
            if (!readFile(argv[++i], options.body)) {
                std::fprintf(stderr, "bench_load: cannot read %s\n", argv[i]);
                return std::nullopt;
            }
        } else if (flag == "--bodies-file") {
            if (!readLines(argv[++i], options.bodies)) {
                std::fprintf(stderr, "bench_load: cannot read %s or it has no body\n", argv[i]);
                return std::nullopt;
            }
        } else if (flag == "--concurrency") {
            options.concurrency = std::atoi(value().c_str());
        } else if (flag == "--requests") {
            options.requests = std::atoll(value().c_str());
        } else if (flag == "--timeout-seconds") {
            options.timeoutSeconds = std::atof(value().c_str());
        } else if (flag == "--label") {
            options.label = value();
        } else if (flag == "--mark-file") {
            options.markFile = value();
        } else if (flag == "--per-request-file") {
            options.perRequestFile = value();
        } else {
            std::fprintf(stderr, "bench_load: unknown flag %s\n", flag.c_str());
            printUsage();
            return std::nullopt;
        }
    }
    if (options.targets.empty()) {
        std::fprintf(stderr, "bench_load: --url is required\n");
        printUsage();
        return std::nullopt;
    }
    if (!explicitPath.empty())
        options.path = explicitPath;
    if (options.bodies.empty())
        options.bodies.push_back(options.body); // one (possibly empty: GET) body for every request
    if (options.concurrency < 1 || options.requests < 1 || options.timeoutSeconds <= 0) {
        std::fprintf(stderr, "bench_load: --concurrency, --requests and --timeout-seconds must be > 0\n");
        return std::nullopt;
    }
    if (options.concurrency > options.requests)
        options.concurrency = static_cast<int>(options.requests);
    return options;
}

} // namespace benchload
