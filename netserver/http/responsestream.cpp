#include "responsestream.h"

#include <cstdio>

#include <QHttpServerResponder>
#include <QTcpSocket>

#include "connectionguard.h"

namespace coord::http {

struct ResponseStream::State
{
    std::unique_ptr<QHttpServerResponder> responder;
    QPointer<QTcpSocket> socket;
    QPointer<ConnectionGuard> guard;
    QByteArray serverName;
    bool started = false;
    bool finished = false;
    bool closeAfterReply = false;
};

namespace {
// MindIE writes "<type>; charset=utf-8"; with no type the header is literally "; charset=utf-8".
QByteArray contentTypeValue(const QByteArray& contentType)
{
    return contentType.isEmpty() ? QByteArrayLiteral("; charset=utf-8") : contentType;
}
} // namespace

ResponseStream::ResponseStream(QHttpServerResponder&& responder, QByteArray serverName)
    : m_state(std::make_shared<State>())
{
    m_state->responder = std::make_unique<QHttpServerResponder>(std::move(responder));
    m_state->socket = m_state->responder->socket();
    m_state->serverName = std::move(serverName);
    m_state->guard = ConnectionGuard::of(m_state->socket);
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

void ResponseStream::writeHead(int status, const QByteArray& contentType, const HeaderList& extraHeaders)
{
    auto& responder = *m_state->responder;
    responder.writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(status));
    responder.writeHeader(QByteArrayLiteral("Server"), m_state->serverName);
    responder.writeHeader(QByteArrayLiteral("Content-Type"), contentTypeValue(contentType));
    for (const auto& [key, value] : extraHeaders)
        responder.writeHeader(key, value);
    if (m_state->closeAfterReply)
        responder.writeHeader(QByteArrayLiteral("Connection"), QByteArrayLiteral("close"));
    m_state->started = true;
}

void ResponseStream::sendFull(int status, const QByteArray& contentType, const QByteArray& body,
                              const HeaderList& extraHeaders)
{
    if (!isOpen() || m_state->started)
        return;
    HeaderList headers = extraHeaders;
    headers.append({QByteArrayLiteral("Content-Length"), QByteArray::number(body.size())});
    writeHead(status, contentType, headers);
    // writeBody() also ends the header block, so an empty body still completes the reply.
    m_state->responder->writeBody(body);
    finish();
}

void ResponseStream::beginChunked(int status, const QByteArray& contentType, const HeaderList& extraHeaders)
{
    if (!isOpen() || m_state->started)
        return;
    HeaderList headers = extraHeaders;
    headers.append({QByteArrayLiteral("Transfer-Encoding"), QByteArrayLiteral("chunked")});
    writeHead(status, contentType, headers);
    // Ends the header block at once so that the client sees the status before the first token.
    m_state->responder->writeBody(QByteArray());
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
    auto& responder = *m_state->responder;
    responder.writeBody(sizeLine, sizeLineLength);
    responder.writeBody(data.constData(), data.size());
    responder.writeBody("\r\n", 2);
}

void ResponseStream::endChunked()
{
    if (!isOpen() || !m_state->started)
        return;
    m_state->responder->writeBody(QByteArrayLiteral("0\r\n\r\n"));
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
    if (m_state->closeAfterReply && m_state->socket)
        m_state->socket->disconnectFromHost();
    else if (m_state->guard)
        m_state->guard->responseFinished();
}

} // namespace coord::http
