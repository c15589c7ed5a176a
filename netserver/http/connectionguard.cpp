#include "connectionguard.h"

#include <algorithm>
#include <chrono>

#include <QTcpSocket>

#include "httplog.h"
#include "statusline.h"

namespace coord::http {

namespace {
constexpr const char* kGuardProperty = "coord.connectionGuard";
constexpr int kOverflowGraceMs = 5000;

qint64 monotonicMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

struct RequestHead
{
    QByteArray version;
    qint64 contentLength = 0;
    bool chunked = false;
    bool expectContinue = false;
    bool connectionClose = false;
    bool connectionKeepAlive = false;
};

// Length first: most header names are none of the four the guard acts on.
bool nameIs(QByteArrayView name, QByteArrayView expected)
{
    return name.size() == expected.size() && name.compare(expected, Qt::CaseInsensitive) == 0;
}

bool valueHas(QByteArrayView value, QByteArrayView token)
{
    return value.toByteArray().toLower().contains(token);
}

// Walks the head in place: splitting it into lists of lower-cased copies cost about 6 % of the
// CPU per small request. Only the headers the guard acts on are looked at.
RequestHead parseHead(QByteArrayView head)
{
    RequestHead parsed;
    qsizetype lineStart = 0;
    bool requestLine = true;
    while (lineStart < head.size()) {
        qsizetype lineEnd = head.indexOf('\n', lineStart);
        if (lineEnd < 0)
            lineEnd = head.size();
        const QByteArrayView line = head.sliced(lineStart, lineEnd - lineStart).trimmed();
        lineStart = lineEnd + 1;
        if (requestLine) {
            requestLine = false;
            // The third space-separated field, as "METHOD TARGET VERSION" has it.
            const qsizetype first = line.indexOf(' ');
            const qsizetype second = first < 0 ? -1 : line.indexOf(' ', first + 1);
            if (second >= 0) {
                const qsizetype third = line.indexOf(' ', second + 1);
                parsed.version =
                    line.sliced(second + 1, (third < 0 ? line.size() : third) - second - 1).toByteArray();
            }
            continue;
        }
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArrayView name = line.first(colon).trimmed();
        const QByteArrayView value = line.sliced(colon + 1).trimmed();
        if (nameIs(name, "content-length"))
            parsed.contentLength = value.toLongLong();
        else if (nameIs(name, "transfer-encoding"))
            parsed.chunked = valueHas(value, "chunked");
        else if (nameIs(name, "expect"))
            parsed.expectContinue = value.compare("100-continue", Qt::CaseInsensitive) == 0;
        else if (nameIs(name, "connection")) {
            parsed.connectionClose = valueHas(value, "close");
            parsed.connectionKeepAlive = valueHas(value, "keep-alive");
        }
    }
    return parsed;
}
} // namespace

ConnectionGuard::ConnectionGuard(QTcpSocket* socket, const ConnectionLimits& limits, bool overflow)
    : QObject(socket), m_socket(socket), m_limits(limits),
      m_state(overflow ? State::Overflow : State::AwaitingHead)
{
    m_limits.openConnections->fetch_add(1);
    // Streams are written one small event at a time; with Nagle's algorithm each write after
    // the first waits for the client's (delayed) ACK, which paces a stream at the ACK timer.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    socket->setProperty(kGuardProperty, QVariant::fromValue(static_cast<QObject*>(this)));
    connect(socket, &QTcpSocket::readyRead, this, &ConnectionGuard::onReadyRead);
    connect(socket, &QTcpSocket::disconnected, this, &ConnectionGuard::onDisconnected);
    m_idleTimer.setSingleShot(true);
    connect(&m_idleTimer, &QTimer::timeout, this, &ConnectionGuard::onIdleTimer);
    if (overflow) {
        // A client that never sends its request is not kept beyond a short grace period.
        m_idleTimer.start(kOverflowGraceMs);
        return;
    }
    noteActivity();
    if (m_limits.idleTimeoutSeconds > 0)
        m_idleTimer.start(m_limits.idleTimeoutSeconds * 1000);
}

ConnectionGuard::~ConnectionGuard()
{
    m_limits.openConnections->fetch_sub(1);
}

ConnectionGuard* ConnectionGuard::of(QTcpSocket* socket)
{
    if (!socket)
        return nullptr;
    return qobject_cast<ConnectionGuard*>(socket->property(kGuardProperty).value<QObject*>());
}

void ConnectionGuard::watchClient(const void* owner, std::function<void()> onGone)
{
    m_clientWatcher = owner;
    m_onClientGone = std::move(onGone);
}

void ConnectionGuard::unwatchClient(const void* owner)
{
    if (m_clientWatcher != owner)
        return;
    m_clientWatcher = nullptr;
    m_onClientGone = nullptr;
}

void ConnectionGuard::onDisconnected()
{
    m_clientWatcher = nullptr;
    if (const std::function<void()> onGone = std::exchange(m_onClientGone, nullptr))
        onGone();
}

void ConnectionGuard::noteActivity()
{
    m_lastActivityMs = monotonicMs();
}

void ConnectionGuard::onIdleTimer()
{
    const qint64 timeoutMs = qint64(m_limits.idleTimeoutSeconds) * 1000;
    if (m_state == State::AwaitingResponse) {
        // Never idle while an answer is pending; its end counts as activity.
        m_idleTimer.start(static_cast<int>(timeoutMs));
        return;
    }
    if (m_state != State::Overflow) {
        const qint64 remainingMs = m_lastActivityMs + timeoutMs - monotonicMs();
        if (remainingMs > 0) {
            m_idleTimer.start(static_cast<int>(remainingMs));
            return;
        }
    }
    qCDebug(lcHttp) << "closing idle connection from" << m_socket->peerAddress().toString();
    m_socket->disconnectFromHost();
}

void ConnectionGuard::onReadyRead()
{
    switch (m_state) {
    case State::Rejected:
        m_socket->readAll();
        return;
    case State::Overflow:
        // Answer once the request is in, so the client reads a reply rather than a reset.
        if (m_socket->peek(m_limits.maxHeaderBytes + 4).contains("\r\n\r\n") ||
            m_socket->bytesAvailable() > m_limits.maxHeaderBytes)
            reject(429, "Too many requests");
        return;
    case State::AwaitingResponse:
        // A pipelined request while an answer is pending: QtHttpServer 6.4 could answer it
        // before the pending one. Drop it and close once the pending answer is complete.
        m_socket->readAll();
        m_closeAfterResponse = true;
        return;
    case State::AwaitingHead:
        noteActivity();
        inspectHead();
        return;
    case State::ReadingRequest:
        noteActivity();
        m_bytesThisRequest += m_socket->bytesAvailable();
        if (m_allowedThisRequest > 0 && m_bytesThisRequest > m_allowedThisRequest) {
            reject(413, "Request body exceeds the limit of " + QByteArray::number(m_limits.maxBodyBytes) +
                            " bytes");
        }
        return;
    }
}

void ConnectionGuard::inspectHead()
{
    const qint64 available = m_socket->bytesAvailable();
    // Peeked into the stack: a heap copy of the head per request showed in profiles.
    char buffer[16 * 1024];
    const qint64 wanted = std::min<qint64>({available, m_limits.maxHeaderBytes + 4, qint64(sizeof buffer)});
    const qint64 got = m_socket->peek(buffer, wanted);
    const QByteArrayView peeked(buffer, got < 0 ? 0 : got);
    const qsizetype headEnd = peeked.indexOf("\r\n\r\n");
    if (headEnd < 0) {
        if (peeked.size() >= m_limits.maxHeaderBytes || peeked.size() >= qsizetype(sizeof buffer))
            reject(431, "Request header exceeds the limit of " + QByteArray::number(m_limits.maxHeaderBytes) +
                            " bytes");
        return;
    }
    const RequestHead head = parseHead(peeked.first(headEnd));
    ++m_requestsSeen;
    if (m_limits.maxRequestsPerConnection > 0 && m_requestsSeen > m_limits.maxRequestsPerConnection) {
        reject(429, "Connection request out of limit, max is " +
                        QByteArray::number(m_limits.maxRequestsPerConnection));
        return;
    }
    if (m_limits.maxBodyBytes > 0 && head.contentLength > m_limits.maxBodyBytes) {
        reject(413,
               "Request body exceeds the limit of " + QByteArray::number(m_limits.maxBodyBytes) + " bytes");
        return;
    }
    m_closeAfterResponse = head.connectionClose || (head.version == "HTTP/1.0" && !head.connectionKeepAlive);
    if (head.expectContinue)
        m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
    // Chunked bodies have no announced size: count what arrives instead.
    m_bytesThisRequest = available;
    m_allowedThisRequest = head.chunked && m_limits.maxBodyBytes > 0
                               ? m_limits.maxBodyBytes + headEnd + 4 + m_limits.maxHeaderBytes
                               : 0;
    m_state = State::ReadingRequest;
}

void ConnectionGuard::requestDispatched()
{
    m_state = State::AwaitingResponse;
}

void ConnectionGuard::responseFinished()
{
    if (m_state == State::Rejected)
        return;
    m_state = State::AwaitingHead;
    if (m_closeAfterResponse) {
        m_socket->disconnectFromHost();
        return;
    }
    noteActivity();
    // Bytes of the next request may already be buffered; the server will parse them next.
    if (m_socket->bytesAvailable() > 0)
        inspectHead();
}

void ConnectionGuard::reject(int status, const QByteArray& message)
{
    qCInfo(lcHttp).noquote() << "rejecting request from" << m_socket->peerAddress().toString() << ":"
                             << message;
    m_state = State::Rejected;
    m_idleTimer.stop();
    m_socket->readAll();
    const QByteArray body = message + "\r\n";
    m_socket->write(statusLine(status) + "Server: " + m_limits.serverName +
                    "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " +
                    QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
    m_socket->disconnectFromHost();
}

} // namespace coord::http
