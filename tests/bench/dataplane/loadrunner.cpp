#include "loadrunner.h"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "responseparser.h"

namespace benchload {
namespace {

std::int64_t nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

enum class ConnState
{
    Closed,
    Connecting,
    Writing,
    Reading
};

struct Connection
{
    int fd = -1;
    ConnState state = ConnState::Closed;
    std::size_t sent = 0;
    std::size_t request = 0; // index into Runner::requests_
    long long number = 0;    // start order of the request in flight
    std::int64_t firstByteNs = -1;
    std::int64_t startNs = 0;
    bool reused = false;      // a previous request completed on this socket
    bool countedOpen = false; // counted in the open-stream gauge
    ResponseParser parser;
};

class Runner
{
public:
    explicit Runner(const LoadOptions& options) : options_(options) {}

    LoadResult run();

private:
    bool buildRequests();
    std::size_t targetOf(std::size_t index) const { return index % options_.targets.size(); }
    void startNext(std::size_t index);
    void connectAndSend(std::size_t index);
    void sendSome(std::size_t index);
    void readSome(std::size_t index);
    void finish(std::size_t index, bool ok, const std::string& reason);
    void closeSocket(Connection& conn);
    void watch(Connection& conn, std::size_t index, std::uint32_t events);
    void noteOpenStream(Connection& conn);
    void releaseOpenStream(Connection& conn);

    const LoadOptions& options_;
    // One prebuilt request per (body, target): body b to target t at b * targets + t (Host differs).
    std::vector<std::string> requests_;
    std::vector<sockaddr_in> addresses_; // per target
    int epollFd_ = -1;
    std::vector<Connection> connections_;
    long long started_ = 0;
    long long finished_ = 0;
    long long openStreams_ = 0;
    bool markWritten_ = false;
    LoadResult result_;
};

bool Runner::buildRequests()
{
    for (const auto& body : options_.bodies) {
        const bool post = !body.empty();
        for (const auto& target : options_.targets) {
            std::string request = std::string(post ? "POST " : "GET ") + options_.path +
                                  " HTTP/1.1\r\nHost: " + target.host + ":" + std::to_string(target.port) +
                                  "\r\n";
            if (post)
                request += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                           "\r\n";
            request += options_.keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
            request += body;
            requests_.push_back(std::move(request));
        }
    }
    for (const auto& target : options_.targets) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(target.port));
        if (inet_pton(AF_INET, target.host.c_str(), &address.sin_addr) != 1) {
            result_.firstErrors.push_back("host must be an IPv4 address: " + target.host);
            return false;
        }
        addresses_.push_back(address);
    }
    return true;
}

void Runner::watch(Connection& conn, std::size_t index, std::uint32_t events)
{
    epoll_event event{};
    event.events = events;
    event.data.u64 = index;
    // MOD first: most calls re-arm an fd already registered.
    if (epoll_ctl(epollFd_, EPOLL_CTL_MOD, conn.fd, &event) != 0)
        epoll_ctl(epollFd_, EPOLL_CTL_ADD, conn.fd, &event);
}

void Runner::closeSocket(Connection& conn)
{
    if (conn.fd >= 0)
        ::close(conn.fd); // close() also removes it from the epoll set
    conn.fd = -1;
    conn.state = ConnState::Closed;
    conn.reused = false;
}

void Runner::noteOpenStream(Connection& conn)
{
    if (conn.countedOpen || !conn.parser.sawBodyByte())
        return;
    conn.countedOpen = true;
    conn.firstByteNs = nowNs() - conn.startNs;
    result_.firstByteNs.push_back(conn.firstByteNs);
    ++openStreams_;
    if (openStreams_ > result_.maxOpenStreams)
        result_.maxOpenStreams = openStreams_;
    if (!markWritten_ && !options_.markFile.empty() && openStreams_ >= options_.concurrency) {
        markWritten_ = true;
        if (FILE* mark = std::fopen(options_.markFile.c_str(), "w")) {
            std::fprintf(mark, "open_streams %lld\n", openStreams_);
            std::fclose(mark);
        }
    }
}

void Runner::releaseOpenStream(Connection& conn)
{
    if (conn.countedOpen)
        --openStreams_;
    conn.countedOpen = false;
}

void Runner::startNext(std::size_t index)
{
    Connection& conn = connections_[index];
    if (started_ >= options_.requests) {
        closeSocket(conn);
        return;
    }
    const auto body = static_cast<std::size_t>(started_) % options_.bodies.size();
    conn.request = body * options_.targets.size() + targetOf(index);
    conn.number = started_;
    conn.firstByteNs = -1;
    ++started_;
    conn.startNs = nowNs();
    conn.parser.reset();
    conn.sent = 0;
    if (conn.fd < 0)
        connectAndSend(index);
    else
        sendSome(index);
}

void Runner::connectAndSend(std::size_t index)
{
    Connection& conn = connections_[index];
    conn.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (conn.fd < 0) {
        finish(index, false, std::string("socket: ") + std::strerror(errno));
        return;
    }
    const int one = 1;
    setsockopt(conn.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    conn.reused = false;
    const sockaddr_in& address = addresses_[targetOf(index)];
    if (::connect(conn.fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0) {
        sendSome(index);
    } else if (errno == EINPROGRESS) {
        conn.state = ConnState::Connecting;
        watch(conn, index, EPOLLOUT);
    } else {
        finish(index, false, std::string("connect: ") + std::strerror(errno));
    }
}

void Runner::sendSome(std::size_t index)
{
    Connection& conn = connections_[index];
    const std::string& request = requests_[conn.request];
    conn.state = ConnState::Writing;
    while (conn.sent < request.size()) {
        const ssize_t n =
            ::send(conn.fd, request.data() + conn.sent, request.size() - conn.sent, MSG_NOSIGNAL);
        if (n > 0) {
            conn.sent += static_cast<std::size_t>(n);
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            watch(conn, index, EPOLLOUT);
            return;
        } else if (errno != EINTR) {
            if (conn.reused) { // the server dropped an idle kept-alive socket: resend on a new one
                ++result_.staleRetries;
                closeSocket(conn);
                conn.sent = 0;
                connectAndSend(index);
            } else {
                finish(index, false, std::string("send: ") + std::strerror(errno));
            }
            return;
        }
    }
    conn.state = ConnState::Reading;
    watch(conn, index, EPOLLIN);
}

void Runner::readSome(std::size_t index)
{
    static char buffer[256 * 1024];
    Connection& conn = connections_[index];
    for (;;) {
        const ssize_t n = ::recv(conn.fd, buffer, sizeof(buffer), 0);
        if (n > 0) {
            const auto verdict = conn.parser.feed(buffer, static_cast<std::size_t>(n));
            noteOpenStream(conn);
            if (verdict == ResponseParser::Result::Complete) {
                const bool ok = conn.parser.status() >= 200 && conn.parser.status() < 300;
                finish(index, ok, ok ? "" : "HTTP " + std::to_string(conn.parser.status()));
                return;
            }
            if (verdict == ResponseParser::Result::Error) {
                finish(index, false, conn.parser.error());
                return;
            }
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (n < 0 && errno == EINTR)
            continue;
        if (conn.reused && !conn.parser.sawAnyByte()) {
            ++result_.staleRetries;
            closeSocket(conn);
            conn.sent = 0;
            connectAndSend(index);
            return;
        }
        if (n == 0 && conn.parser.feedEof() == ResponseParser::Result::Complete) {
            const bool ok = conn.parser.status() >= 200 && conn.parser.status() < 300;
            finish(index, ok, ok ? "" : "HTTP " + std::to_string(conn.parser.status()));
        } else {
            finish(index, false, n == 0 ? conn.parser.error() : std::string("recv: ") + std::strerror(errno));
        }
        return;
    }
}

void Runner::finish(std::size_t index, bool ok, const std::string& reason)
{
    Connection& conn = connections_[index];
    const std::int64_t end = nowNs();
    ++finished_;
    releaseOpenStream(conn);
    ++result_.statusCounts[conn.parser.status()];
    if (!options_.perRequestFile.empty())
        result_.perRequest.push_back({conn.number, ok, conn.firstByteNs, end - conn.startNs});
    result_.sseEvents += conn.parser.sseEvents();
    result_.httpChunks += conn.parser.httpChunks();
    if (ok) {
        ++result_.ok;
        result_.latencyNs.push_back(end - conn.startNs);
    } else {
        ++result_.failed;
        if (result_.firstErrors.size() < 5)
            result_.firstErrors.push_back(reason);
    }
    const bool keep = ok && options_.keepAlive && !conn.parser.connectionClose() && conn.fd >= 0;
    if (keep)
        conn.reused = true;
    else
        closeSocket(conn);
    startNext(index);
}

LoadResult Runner::run()
{
    if (!buildRequests()) {
        result_.failed = options_.requests;
        return result_;
    }
    epollFd_ = epoll_create1(EPOLL_CLOEXEC);
    connections_.resize(static_cast<std::size_t>(options_.concurrency));
    result_.latencyNs.reserve(static_cast<std::size_t>(options_.requests));
    const std::int64_t begin = nowNs();
    const auto deadline = begin + static_cast<std::int64_t>(options_.timeoutSeconds * 1e9);
    for (std::size_t i = 0; i < connections_.size(); ++i)
        startNext(i);

    std::vector<epoll_event> events(1024);
    while (finished_ < options_.requests && nowNs() < deadline) {
        const int n = epoll_wait(epollFd_, events.data(), static_cast<int>(events.size()), 100);
        for (int k = 0; k < n; ++k) {
            const auto index = static_cast<std::size_t>(events[static_cast<std::size_t>(k)].data.u64);
            Connection& conn = connections_[index];
            if (conn.state == ConnState::Connecting) {
                int error = 0;
                socklen_t len = sizeof(error);
                getsockopt(conn.fd, SOL_SOCKET, SO_ERROR, &error, &len);
                if (error != 0)
                    finish(index, false, std::string("connect: ") + std::strerror(error));
                else
                    sendSome(index);
            } else if (conn.state == ConnState::Writing) {
                sendSome(index);
            } else if (conn.state == ConnState::Reading) {
                readSome(index);
            }
        }
    }
    result_.wallSeconds = static_cast<double>(nowNs() - begin) / 1e9;
    // Whatever is still in flight when the budget ran out counts as failed.
    const long long unfinished = options_.requests - finished_;
    if (unfinished > 0) {
        result_.failed += unfinished;
        result_.firstErrors.push_back(std::to_string(unfinished) + " requests unfinished at the time limit");
    }
    for (Connection& conn : connections_)
        closeSocket(conn);
    ::close(epollFd_);
    return result_;
}

} // namespace

LoadResult runLoad(const LoadOptions& options)
{
    Runner runner(options);
    return runner.run();
}

} // namespace benchload
