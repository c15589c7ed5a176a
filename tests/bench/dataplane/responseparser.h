// Incremental HTTP/1.1 response parser: fed bytes as they arrive, it finds the status, the body
// framing (Content-Length, chunked or until close) and the end of the response. It also counts
// HTTP chunks and SSE events ("data: {" at the start of a line) so a stream's tokens can be counted
// even when a proxy merges several events into one chunk.
#pragma once

#include <cstddef>
#include <string>

namespace benchload {

class ResponseParser
{
public:
    enum class Result
    {
        NeedMore,
        Complete,
        Error
    };

    void reset();
    // Consumes len bytes; bytes after the end of the response are an error (no pipelining here).
    Result feed(const char* data, std::size_t len);
    // The server closed the connection: completes a body delimited by close, fails anything else.
    Result feedEof();

    int status() const { return status_; }
    bool connectionClose() const { return connectionClose_; }
    bool sawAnyByte() const { return sawAnyByte_; }
    bool sawBodyByte() const { return sawBodyByte_; }
    long long httpChunks() const { return httpChunks_; }
    long long sseEvents() const { return sseEvents_; }
    const std::string& error() const { return error_; }

private:
    enum class State
    {
        Headers,
        FixedBody,
        ChunkSize,
        ChunkData,
        ChunkDataEnd,
        Trailers,
        UntilClose,
        Done
    };

    Result fail(const std::string& reason);
    bool parseHeaders();
    void scanBody(const char* data, std::size_t len);

    State state_ = State::Headers;
    std::string line_; // header block, or the current chunk-size / trailer line
    long long remaining_ = 0;
    int status_ = 0;
    bool connectionClose_ = false;
    bool sawAnyByte_ = false;
    bool sawBodyByte_ = false;
    long long httpChunks_ = 0;
    long long sseEvents_ = 0;
    std::size_t ssePrefixMatched_ = 0; // how much of "data: {" the current line start has matched
    bool atLineStart_ = true;
    std::string error_;
};

} // namespace benchload
