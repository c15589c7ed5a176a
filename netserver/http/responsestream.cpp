#include "responsestream.h"

#include <cstdio>

#include <QSslSocket>
#include <QTcpSocket>

#include "connectionguard.h"
#include "statusline.h"

namespace coord::http {

struct ResponseStream::State
{
    QPointer<QTcpSocket> socket;
    QPointer<ConnectionGuard> guard;
    QByteArray serverName;
    bool started = false;
    bool finished = false;
    bool closeAfterReply = false;
    bool encrypted = false; // a QSslSocket: its own flush() sends what QAbstractSocket's cannot
};

namespace {
// MindIE writes "<type>; charset=utf-8"; with no type the header is literally "; charset=utf-8".
QByteArray contentTypeValue(const QByteArray& contentType)
{
    return contentType.isEmpty() ? QByteArrayLiteral("; charset=utf-8") : contentType;
}
} // namespace

ResponseStream::ResponseStream(QTcpSocket* socket, QByteArray serverName) : m_state(std::make_shared<State>())
{
    m_state->socket = socket;
    m_state->encrypted = qobject_cast<QSslSocket*>(socket) != nullptr;
    m_state->serverName = std::move(serverName);
    m_state->guard = ConnectionGuard::of(socket);
    if (m_state->guard) {
        m_state->guard->requestDispatched();
        m_state->closeAfterReply = m_state->guard->closeRequested();
    }
}

bool ResponseStream::isOpen() const
{
    return m_state && !m_state->finished && m_state->socket &&
           m_state->socket->state() == QAbstractSocket::ConnectedState;
}

bool ResponseStream::isStarted() const
{
    return m_state && m_state->started;
}

QTcpSocket* ResponseStream::socket() const
{
    return m_state ? m_state->socket.data() : nullptr;
}

void ResponseStream::watchClient(const void* owner, std::function<void()> onGone)
{
    if (m_state && m_state->guard)
        m_state->guard->watchClient(owner, std::move(onGone));
}

void ResponseStream::unwatchClient(const void* owner)
{
    if (m_state && m_state->guard)
        m_state->guard->unwatchClient(owner);
}

void ResponseStream::setCloseAfterReply(bool close)
{
    if (m_state)
        m_state->closeAfterReply = close;
}

QByteArray ResponseStream::head(int status, const QByteArray& contentType,
                                const HeaderList& extraHeaders) const
{
    // One buffer, appended to in place: chains of operator+ built a temporary per piece.
    QByteArray head;
    head.reserve(256);
    appendStatusLine(head, status);
    head.append("Server: ").append(m_state->serverName).append("\r\nContent-Type: ");
    head.append(contentTypeValue(contentType)).append("\r\n");
    for (const auto& [key, value] : extraHeaders)
        head.append(key).append(": ").append(value).append("\r\n");
    if (m_state->closeAfterReply)
        head.append("Connection: close\r\n");
    return head;
}

void ResponseStream::sendFull(int status, const QByteArray& contentType, const QByteArray& body,
                              const HeaderList& extraHeaders)
{
    if (!isOpen() || m_state->started)
        return;
    m_state->started = true;
    QByteArray out = head(status, contentType, extraHeaders);
    char length[32];
    const int lengthSize = std::snprintf(length, sizeof length, "Content-Length: %lld\r\n\r\n",
                                         static_cast<long long>(body.size()));
    out.append(length, lengthSize);
    QTcpSocket& socket = *m_state->socket;
    // Small answers go out in one write; a large body is not copied into the head's buffer.
    if (body.size() <= 16 * 1024) {
        out += body;
        socket.write(out);
    } else {
        socket.write(out);
        socket.write(body);
    }
    finish();
}

void ResponseStream::beginChunked(int status, const QByteArray& contentType, const HeaderList& extraHeaders)
{
    if (!isOpen() || m_state->started)
        return;
    m_state->started = true;
    // The whole head at once, so the client sees the status before the first token.
    m_state->socket->write(head(status, contentType, extraHeaders) + "Transfer-Encoding: chunked\r\n\r\n");
}

void ResponseStream::writeChunk(const QByteArray& data)
{
    if (!isOpen() || !m_state->started || data.isEmpty())
        return;
    // Size line, data and CRLF go straight into the socket's write buffer: building a framed
    // copy first cost an allocation and a copy per streamed token.
    char sizeLine[24];
    const int sizeLineLength =
        std::snprintf(sizeLine, sizeof sizeLine, "%llx\r\n", static_cast<unsigned long long>(data.size()));
    QTcpSocket& socket = *m_state->socket;
    socket.write(sizeLine, sizeLineLength);
    socket.write(data.constData(), data.size());
    socket.write("\r\n", 2);
}

void ResponseStream::endChunked()
{
    if (!isOpen() || !m_state->started)
        return;
    m_state->socket->write("0\r\n\r\n", 5);
    finish();
}

void ResponseStream::abortConnection()
{
    if (!m_state)
        return;
    m_state->finished = true;
    if (m_state->socket)
        m_state->socket->abort();
}

void ResponseStream::finish()
{
    m_state->finished = true;
    if (m_state->guard)
        m_state->guard->watchClient(nullptr, nullptr); // a complete answer ends the watch
    // The answer is complete: hand it to the kernel now instead of on the next turn of the event
    // loop, which saves that turn and the write notifier's on/off per answer.
    if (QTcpSocket* socket = m_state->socket.data(); socket && m_state->encrypted)
        static_cast<QSslSocket*>(socket)->flush();
    else if (socket)
        socket->flush();
    if (m_state->closeAfterReply && m_state->socket)
        m_state->socket->disconnectFromHost();
    else if (m_state->guard)
        m_state->guard->responseFinished();
}

} // namespace coord::http
