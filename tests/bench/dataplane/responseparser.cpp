#include "responseparser.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <strings.h>

namespace benchload {
namespace {

constexpr char kEventPrefix[] = "data: {";
constexpr std::size_t kEventPrefixLen = sizeof(kEventPrefix) - 1;

bool headerIs(const std::string& line, const char* name, std::string& value)
{
    const std::size_t n = std::strlen(name);
    if (line.size() <= n || line[n] != ':' || strncasecmp(line.data(), name, n) != 0)
        return false;
    std::size_t start = n + 1;
    while (start < line.size() && (line[start] == ' ' || line[start] == '\t'))
        ++start;
    value = line.substr(start);
    std::transform(value.begin(), value.end(), value.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return true;
}

} // namespace

void ResponseParser::reset()
{
    *this = ResponseParser();
}

ResponseParser::Result ResponseParser::fail(const std::string& reason)
{
    error_ = reason;
    return Result::Error;
}

bool ResponseParser::parseHeaders()
{
    // line_ holds the whole block up to and including the blank line.
    std::size_t pos = line_.find("\r\n");
    const std::string statusLine = line_.substr(0, pos);
    if (statusLine.rfind("HTTP/1.", 0) != 0 || statusLine.size() < 12)
        return false;
    status_ = std::atoi(statusLine.c_str() + 9);
    const bool http10 = statusLine.compare(0, 8, "HTTP/1.0") == 0;
    connectionClose_ = http10;
    bool chunked = false;
    long long contentLength = -1;
    while (pos != std::string::npos) {
        const std::size_t start = pos + 2;
        pos = line_.find("\r\n", start);
        if (pos == std::string::npos || pos == start)
            break;
        const std::string header = line_.substr(start, pos - start);
        std::string value;
        if (headerIs(header, "content-length", value))
            contentLength = std::atoll(value.c_str());
        else if (headerIs(header, "transfer-encoding", value))
            chunked = value.find("chunked") != std::string::npos;
        else if (headerIs(header, "connection", value))
            connectionClose_ = value.find("close") != std::string::npos ||
                               (http10 && value.find("keep-alive") == std::string::npos);
    }
    line_.clear();
    if (status_ == 204 || status_ == 304 || (status_ >= 100 && status_ < 200)) {
        state_ = State::Done;
    } else if (chunked) {
        state_ = State::ChunkSize;
    } else if (contentLength >= 0) {
        remaining_ = contentLength;
        state_ = contentLength == 0 ? State::Done : State::FixedBody;
    } else {
        state_ = State::UntilClose;
        connectionClose_ = true;
    }
    return true;
}

void ResponseParser::scanBody(const char* data, std::size_t len)
{
    if (len > 0)
        sawBodyByte_ = true;
    for (std::size_t i = 0; i < len; ++i) {
        const char c = data[i];
        if (c == '\n') {
            atLineStart_ = true;
            ssePrefixMatched_ = 0;
            continue;
        }
        if (!atLineStart_)
            continue;
        if (c == kEventPrefix[ssePrefixMatched_]) {
            if (++ssePrefixMatched_ == kEventPrefixLen) {
                ++sseEvents_;
                atLineStart_ = false;
            }
        } else {
            atLineStart_ = false;
        }
    }
}

ResponseParser::Result ResponseParser::feed(const char* data, std::size_t len)
{
    if (len > 0)
        sawAnyByte_ = true;
    std::size_t i = 0;
    while (i < len) {
        switch (state_) {
        case State::Headers: {
            const std::size_t before = line_.size();
            line_.append(data + i, len - i);
            const std::size_t end = line_.find("\r\n\r\n", before >= 3 ? before - 3 : 0);
            if (end == std::string::npos) {
                if (line_.size() > 64 * 1024)
                    return fail("header block over 64 KiB");
                return Result::NeedMore;
            }
            i += end + 4 - before;
            line_.resize(end + 4);
            if (!parseHeaders())
                return fail("bad status line");
            break;
        }
        case State::FixedBody:
        case State::ChunkData: {
            const std::size_t take =
                static_cast<std::size_t>(std::min<long long>(remaining_, static_cast<long long>(len - i)));
            scanBody(data + i, take);
            i += take;
            remaining_ -= static_cast<long long>(take);
            if (remaining_ == 0)
                state_ = state_ == State::FixedBody ? State::Done : State::ChunkDataEnd;
            break;
        }
        case State::ChunkDataEnd:
        case State::ChunkSize:
        case State::Trailers: {
            const char c = data[i++];
            if (c != '\n') {
                line_.push_back(c);
                if (line_.size() > 1024)
                    return fail("chunk framing line too long");
                break;
            }
            if (!line_.empty() && line_.back() == '\r')
                line_.pop_back();
            if (state_ == State::ChunkDataEnd) {
                if (!line_.empty())
                    return fail("missing CRLF after chunk data");
                state_ = State::ChunkSize;
            } else if (state_ == State::ChunkSize) {
                char* end = nullptr;
                remaining_ = std::strtoll(line_.c_str(), &end, 16);
                if (end == line_.c_str() || remaining_ < 0)
                    return fail("bad chunk size '" + line_ + "'");
                if (remaining_ == 0) {
                    state_ = State::Trailers;
                } else {
                    ++httpChunks_;
                    state_ = State::ChunkData;
                }
            } else if (line_.empty()) {
                state_ = State::Done;
            }
            line_.clear();
            break;
        }
        case State::UntilClose:
            scanBody(data + i, len - i);
            i = len;
            break;
        case State::Done:
            return fail("bytes after the end of the response");
        }
    }
    return state_ == State::Done ? Result::Complete : Result::NeedMore;
}

ResponseParser::Result ResponseParser::feedEof()
{
    if (state_ == State::UntilClose) {
        state_ = State::Done;
        return Result::Complete;
    }
    return fail(sawAnyByte_ ? "connection closed mid-response" : "connection closed before any byte");
}

} // namespace benchload
