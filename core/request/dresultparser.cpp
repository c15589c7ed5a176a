#include "dresultparser.h"

namespace coord {

bool DResultParser::fail(const QString& error)
{
    m_state = State::Broken;
    m_error = error;
    m_pending.clear();
    return false;
}

bool DResultParser::feed(const QByteArray& data)
{
    if (m_state == State::Broken)
        return false;
    m_pending += data;
    for (;;) {
        switch (m_state) {
        case State::ChunkSize: {
            const qsizetype lineEnd = m_pending.indexOf("\r\n");
            if (lineEnd < 0)
                return m_pending.size() <= 64 || fail(QStringLiteral("chunk size line too long"));
            // Chunk extensions (";name=value") are allowed by HTTP and ignored.
            QByteArray sizeText = m_pending.left(lineEnd);
            if (const qsizetype semicolon = sizeText.indexOf(';'); semicolon >= 0)
                sizeText.truncate(semicolon);
            bool ok = false;
            m_chunkSize = sizeText.trimmed().toLongLong(&ok, 16);
            if (!ok || m_chunkSize < 0 || m_chunkSize > kMaxChunkBytes)
                return fail(QStringLiteral("bad chunk size '%1'").arg(QString::fromLatin1(sizeText.left(32))));
            m_pending.remove(0, lineEnd + 2);
            m_state = m_chunkSize == 0 ? State::Trailer : State::ChunkData;
            break;
        }
        case State::ChunkData:
            if (m_pending.size() < m_chunkSize)
                return true;
            deliverChunk(m_pending.left(m_chunkSize));
            m_pending.remove(0, m_chunkSize);
            m_state = State::ChunkDataEnd;
            break;
        case State::ChunkDataEnd:
            if (m_pending.size() < 2)
                return true;
            if (!m_pending.startsWith("\r\n"))
                return fail(QStringLiteral("chunk data not followed by CRLF"));
            m_pending.remove(0, 2);
            m_state = State::ChunkSize;
            break;
        case State::Trailer: {
            const qsizetype lineEnd = m_pending.indexOf("\r\n");
            if (lineEnd < 0)
                return true;
            m_pending.remove(0, lineEnd + 2);
            if (lineEnd == 0)
                m_state = State::Ended;
            break;
        }
        case State::Ended:
            m_pending.clear();
            return true;
        case State::Broken:
            return false;
        }
    }
}

void DResultParser::deliverChunk(const QByteArray& chunk)
{
    // A chunk without any NUL carries no complete message and is ignored (spec §3.3).
    if (!chunk.contains('\0'))
        return;
    QByteArray requestId;
    qsizetype start = 0;
    while (start < chunk.size()) {
        qsizetype end = chunk.indexOf('\0', start);
        if (end < 0)
            end = chunk.size(); // a last message without its NUL still counts
        const QByteArray message = chunk.mid(start, end - start);
        start = end + 1;
        if (message.isEmpty())
            continue;
        const qsizetype colon = message.indexOf(':');
        const QByteArray keyword = colon < 0 ? message : message.left(colon);
        const QByteArray payload = colon < 0 ? QByteArray() : message.mid(colon + 1);
        if (keyword == "reqId") {
            requestId = payload;
            continue;
        }
        m_handler(DResultMessage{requestId, keyword, payload});
    }
}

} // namespace coord
