#pragma once

#include <QByteArray>
#include <QString>

#include <functional>

namespace coord {

// One message of a decode instance's /dresult stream (spec §3.3).
struct DResultMessage
{
    QByteArray requestId; // from the chunk's leading "reqId:" message
    QByteArray keyword;   // data, lastData, error, retry, ka, close, ...
    QByteArray payload;   // the bytes after the first colon, verbatim (may contain colons)
};

// Incremental parser of the raw /dresult body: HTTP chunk framing included, because the
// protocol gives chunk boundaries a meaning (each chunk starts with "reqId:<id>\0", which
// applies to the rest of that chunk). Feed bytes in any slices; messages come out in order.
//
// Thread affinity: none (plain value object); use from one thread at a time.
class DResultParser
{
public:
    using MessageHandler = std::function<void(const DResultMessage&)>;

    explicit DResultParser(MessageHandler handler) : m_handler(std::move(handler)) {}

    // Consumes `data`. Returns false once the framing is broken (the link must be dropped);
    // errorText() says what was wrong.
    bool feed(const QByteArray& data);
    // The terminating zero-size chunk arrived: the decode instance closed the stream.
    bool streamEnded() const { return m_state == State::Ended; }
    const QString& errorText() const { return m_error; }

    // Largest chunk accepted; a bigger one is treated as broken framing.
    static constexpr qsizetype kMaxChunkBytes = 64 * 1024 * 1024;

private:
    enum class State
    {
        ChunkSize,
        ChunkData,
        ChunkDataEnd,
        Trailer,
        Ended,
        Broken,
    };

    bool fail(const QString& error);
    void deliverChunk(const QByteArray& chunk);

    MessageHandler m_handler;
    State m_state = State::ChunkSize;
    QByteArray m_pending;
    qsizetype m_chunkSize = 0;
    QString m_error;
};

} // namespace coord
