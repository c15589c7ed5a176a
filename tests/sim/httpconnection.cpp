#include "httpconnection.h"

#include <QTimer>

namespace mindiesim {

namespace {
constexpr qsizetype kMaxHeadBytes = 64 * 1024;
constexpr qsizetype kMaxBodyBytes = 64 * 1024 * 1024;
} // namespace

HttpConnection::HttpConnection(QTcpSocket* socket, QObject* parent) : QObject(parent), m_socket(socket)
{
    socket->setParent(this);
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(socket, &QTcpSocket::disconnected, this, [this] {
        if (!m_closedEmitted) {
            m_closedEmitted = true;
            emit closed(this);
        }
    });
}

HttpConnection::~HttpConnection() = default;

bool HttpConnection::isOpen() const
{
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

QByteArray HttpConnection::peerAddress() const
{
    return m_socket ? m_socket->peerAddress().toString().toLatin1() : QByteArray();
}

void HttpConnection::onReadyRead()
{
    if (!m_socket)
        return;
    m_buffer += m_socket->readAll();
    // Each pass consumes at most one request; the reply re-enters this function for the next.
    while (m_state != State::Waiting) {
        if (m_state == State::Head && !parseHead())
            return;
        if ((m_state == State::Body || m_state == State::ChunkedBody) && !parseBody())
            return;
        if (m_state == State::Waiting) {
            const HttpRequest request = m_request;
            emit requestReceived(this, request);
            return;
        }
    }
}

bool HttpConnection::parseHead()
{
    const qsizetype end = m_buffer.indexOf("\r\n\r\n");
    if (end < 0) {
        if (m_buffer.size() > kMaxHeadBytes)
            failParse(431);
        return false;
    }
    const QList<QByteArray> lines = m_buffer.left(end).split('\n');
    m_buffer.remove(0, end + 4);
    m_request = HttpRequest();
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    if (requestLine.size() != 3) {
        failParse(400);
        return false;
    }
    m_request.method = requestLine[0];
    m_request.target = requestLine[1];
    m_request.version = requestLine[2];
    const qsizetype query = m_request.target.indexOf('?');
    m_request.path = query < 0 ? m_request.target : m_request.target.left(query);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        m_request.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }
    m_keepAlive = m_request.wantsKeepAlive();
    if (m_request.header("Transfer-Encoding").toLower().contains("chunked")) {
        m_state = State::ChunkedBody;
        return true;
    }
    bool ok = true;
    const QByteArray length = m_request.header("Content-Length");
    m_bodyRemaining = length.isEmpty() ? 0 : length.toLongLong(&ok);
    if (!ok || m_bodyRemaining < 0 || m_bodyRemaining > kMaxBodyBytes) {
        failParse(413);
        return false;
    }
    m_state = State::Body;
    return true;
}

bool HttpConnection::parseBody()
{
    if (m_state == State::Body) {
        const qsizetype take = qMin(m_bodyRemaining, m_buffer.size());
        m_request.body += m_buffer.left(take);
        m_buffer.remove(0, take);
        m_bodyRemaining -= take;
        if (m_bodyRemaining > 0)
            return false;
        m_state = State::Waiting;
        return true;
    }
    // Chunked request body: "<hex>\r\n<data>\r\n" ... "0\r\n\r\n" (trailers are not supported).
    for (;;) {
        const qsizetype lineEnd = m_buffer.indexOf("\r\n");
        if (lineEnd < 0)
            return false;
        bool ok = false;
        const qsizetype size = m_buffer.left(lineEnd).split(';').value(0).trimmed().toLongLong(&ok, 16);
        if (!ok || size < 0 || m_request.body.size() + size > kMaxBodyBytes) {
            failParse(400);
            return false;
        }
        if (m_buffer.size() < lineEnd + 2 + size + 2)
            return false;
        m_request.body += m_buffer.mid(lineEnd + 2, size);
        m_buffer.remove(0, lineEnd + 2 + size + 2);
        if (size == 0) {
            m_state = State::Waiting;
            return true;
        }
    }
}

void HttpConnection::failParse(int status)
{
    m_keepAlive = false;
    m_state = State::Waiting;
    respond(status, "text/plain", reasonPhrase(status) + "\r\n");
}

void HttpConnection::respond(int status, const QByteArray& contentType, const QByteArray& body,
                             const QList<QPair<QByteArray, QByteArray>>& extraHeaders)
{
    if (!m_socket)
        return;
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    out += "Content-Type: " + contentType + "\r\n";
    out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    for (const auto& [name, value] : extraHeaders)
        out += name + ": " + value + "\r\n";
    if (!m_keepAlive)
        out += "Connection: close\r\n";
    out += "\r\n";
    out += body;
    m_socket->write(out);
    finishResponse();
}

void HttpConnection::beginChunked(int status, const QByteArray& contentType, bool flushHeadersNow,
                                  const QList<QPair<QByteArray, QByteArray>>& extraHeaders)
{
    if (!m_socket)
        return;
    m_streaming = true;
    m_pendingHead = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    m_pendingHead += "Content-Type: " + contentType + "\r\n";
    m_pendingHead += "Transfer-Encoding: chunked\r\n";
    for (const auto& [name, value] : extraHeaders)
        m_pendingHead += name + ": " + value + "\r\n";
    if (!m_keepAlive)
        m_pendingHead += "Connection: close\r\n";
    m_pendingHead += "\r\n";
    m_headersPending = true;
    if (flushHeadersNow) {
        m_socket->write(m_pendingHead);
        m_headersPending = false;
    }
}

void HttpConnection::writeChunk(const QByteArray& data)
{
    if (!m_socket || !m_streaming || data.isEmpty())
        return;
    if (m_headersPending) {
        m_socket->write(m_pendingHead + frameChunk(data));
        m_headersPending = false;
        return;
    }
    m_socket->write(frameChunk(data));
}

void HttpConnection::endChunked()
{
    if (!m_socket || !m_streaming)
        return;
    m_socket->write(m_headersPending ? m_pendingHead + kLastChunk : QByteArray(kLastChunk));
    m_headersPending = false;
    m_streaming = false;
    finishResponse();
}

void HttpConnection::finishResponse()
{
    if (!m_keepAlive) {
        m_socket->disconnectFromHost();
        return;
    }
    m_state = State::Head;
    // Parse a request that arrived while this one was being answered, after the caller returns.
    if (!m_buffer.isEmpty())
        QTimer::singleShot(0, this, &HttpConnection::onReadyRead);
}

void HttpConnection::abort()
{
    if (m_socket) {
        m_socket->flush(); // bytes already "sent" by the application reach the kernel, like a real crash
        m_socket->abort();
    }
    if (!m_closedEmitted) {
        m_closedEmitted = true;
        emit closed(this);
    }
}

} // namespace mindiesim

namespace mindiesim {

void HttpConnection::closeGracefully()
{
    if (m_socket)
        m_socket->disconnectFromHost();
}

} // namespace mindiesim
