#include "httptestclient.h"

#include <QEventLoop>
#include <QTimer>

namespace coordtest {

QByteArray HttpTestResponse::header(const QByteArray& name) const
{
    for (const auto& [key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

bool HttpTestResponse::hasHeader(const QByteArray& name) const
{
    for (const auto& entry : headers) {
        if (entry.first.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

HttpTestClient::HttpTestClient(QString host, quint16 port, QObject* parent)
    : QObject(parent), m_host(std::move(host)), m_port(port)
{}

HttpTestClient::~HttpTestClient()
{
    if (m_socket)
        m_socket->abort();
}

bool HttpTestClient::waitUntil(const std::function<bool()>& condition, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (!condition()) {
        const qint64 left = timeoutMs - clock.elapsed();
        if (left <= 0)
            return false;
        QEventLoop loop;
        QTimer::singleShot(int(qMin<qint64>(left, 10)), &loop, &QEventLoop::quit);
        loop.exec();
    }
    return true;
}

bool HttpTestClient::isConnected() const
{
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

bool HttpTestClient::connectToServer(int timeoutMs)
{
    if (isConnected())
        return true;
    if (m_socket)
        m_socket->deleteLater();
    m_socket = new QTcpSocket(this);
    m_buffer.clear();
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpTestClient::onReadyRead);
    QTcpSocket* socket = m_socket;
    connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
        if (socket != m_socket)
            return;
        onReadyRead();
        m_response.connectionClosed = true;
        // A close-delimited body (no length, not chunked) ends here.
        if (m_response.headersComplete && !m_response.chunked && m_contentLength < 0)
            markComplete();
        emit disconnected();
    });
    m_connectFailed = false;
    connect(socket, &QTcpSocket::errorOccurred, this, [socket, this](QAbstractSocket::SocketError) {
        if (socket == m_socket && socket->state() != QAbstractSocket::ConnectedState)
            m_connectFailed = true;
    });
    m_socket->connectToHost(m_host, m_port);
    waitUntil([this] { return m_connectFailed || isConnected(); }, timeoutMs);
    return isConnected();
}

void HttpTestClient::close()
{
    if (m_socket)
        m_socket->disconnectFromHost();
}

void HttpTestClient::abort()
{
    if (m_socket)
        m_socket->abort();
}

bool HttpTestClient::sendRaw(const QByteArray& bytes, int connectTimeoutMs)
{
    if (!connectToServer(connectTimeoutMs))
        return false;
    m_response = HttpTestResponse();
    m_contentLength = -1;
    m_clock.start();
    m_socket->write(bytes);
    m_socket->flush();
    return true;
}

bool HttpTestClient::send(const QByteArray& method, const QByteArray& target, const QByteArray& body,
                          const HeaderList& headers, int connectTimeoutMs)
{
    QByteArray out = method + ' ' + target + " HTTP/1.1\r\n";
    bool hasHost = false;
    bool hasLength = false;
    for (const auto& [name, value] : headers) {
        hasHost |= name.compare("Host", Qt::CaseInsensitive) == 0;
        hasLength |= name.compare("Content-Length", Qt::CaseInsensitive) == 0 ||
                     name.compare("Transfer-Encoding", Qt::CaseInsensitive) == 0;
        out += name + ": " + value + "\r\n";
    }
    if (!hasHost)
        out += "Host: " + m_host.toUtf8() + ':' + QByteArray::number(m_port) + "\r\n";
    if (!hasLength && (!body.isEmpty() || method == "POST" || method == "PUT"))
        out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    out += "\r\n";
    out += body;
    const bool sent = sendRaw(out, connectTimeoutMs);
    m_headRequest = method == "HEAD";
    return sent;
}

void HttpTestClient::onReadyRead()
{
    if (!m_socket || !m_socket->isOpen())
        return;
    m_buffer += m_socket->readAll();
    parse();
}

void HttpTestClient::parse()
{
    if (!m_response.headersComplete && !parseHead())
        return;
    if (m_response.complete)
        return;
    if (m_response.chunked) {
        parseChunks();
        return;
    }
    if (m_contentLength >= 0) {
        const qint64 take = qMin<qint64>(m_contentLength - m_response.body.size(), m_buffer.size());
        m_response.body += m_buffer.left(take);
        m_buffer.remove(0, take);
        if (m_response.body.size() >= m_contentLength)
            markComplete();
        return;
    }
    m_response.body += m_buffer; // close-delimited
    m_buffer.clear();
}

bool HttpTestClient::parseHead()
{
    const qsizetype end = m_buffer.indexOf("\r\n\r\n");
    if (end < 0)
        return false;
    const QList<QByteArray> lines = m_buffer.left(end).split('\n');
    m_buffer.remove(0, end + 4);
    const QByteArray statusLine = lines.value(0).trimmed();
    const QList<QByteArray> parts = statusLine.split(' ');
    m_response.status = parts.value(1).toInt();
    m_response.reason = statusLine.mid(parts.value(0).size() + parts.value(1).size() + 2);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            m_response.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }
    m_response.headersComplete = true;
    m_response.chunked = m_response.header("Transfer-Encoding").toLower().contains("chunked");
    bool ok = false;
    const qint64 length = m_response.header("Content-Length").toLongLong(&ok);
    m_contentLength = ok ? length : -1;
    const bool noBody = m_headRequest || m_response.status == 204 || m_response.status == 304 ||
                        (m_response.status >= 100 && m_response.status < 200);
    if (noBody)
        m_contentLength = 0;
    emit headersReceived();
    if (!m_response.chunked && m_contentLength == 0)
        markComplete();
    return true;
}

bool HttpTestClient::parseChunks()
{
    for (;;) {
        const qsizetype lineEnd = m_buffer.indexOf("\r\n");
        if (lineEnd < 0)
            return false;
        bool ok = false;
        const qint64 size = m_buffer.left(lineEnd).split(';').value(0).trimmed().toLongLong(&ok, 16);
        if (!ok)
            return false;
        if (size == 0) {
            // Last chunk; skip optional trailers up to the empty line.
            const qsizetype trailersEnd = m_buffer.indexOf("\r\n", lineEnd + 2);
            if (trailersEnd < 0)
                return false;
            m_buffer.remove(0, trailersEnd + 2);
            markComplete();
            return true;
        }
        if (m_buffer.size() < lineEnd + 2 + size + 2)
            return false;
        const QByteArray data = m_buffer.mid(lineEnd + 2, size);
        m_buffer.remove(0, lineEnd + 2 + size + 2);
        m_response.body += data;
        m_response.chunks.append({data, m_clock.elapsed()});
        emit chunkReceived(data);
    }
}

void HttpTestClient::markComplete()
{
    if (m_response.complete)
        return;
    m_response.complete = true;
    emit responseComplete();
}

HttpTestResponse HttpTestClient::request(const QByteArray& method, const QByteArray& target,
                                         const QByteArray& body, const HeaderList& headers, int timeoutMs)
{
    // A kept-alive connection the server has closed meanwhile is replaced transparently.
    if (m_socket && !isConnected())
        close();
    if (!send(method, target, body, headers, timeoutMs)) {
        HttpTestResponse failed;
        failed.connectionClosed = true;
        return failed;
    }
    if (!waitForComplete(timeoutMs))
        m_response.timedOut = !m_response.complete && !m_response.connectionClosed;
    return m_response;
}

HttpTestResponse HttpTestClient::get(const QByteArray& target, int timeoutMs)
{
    return request("GET", target, {}, {}, timeoutMs);
}

HttpTestResponse HttpTestClient::post(const QByteArray& target, const QByteArray& body,
                                      const HeaderList& headers, int timeoutMs)
{
    return request("POST", target, body, headers, timeoutMs);
}

bool HttpTestClient::waitForHeaders(int timeoutMs)
{
    return waitUntil([this] { return m_response.headersComplete || m_response.connectionClosed; },
                     timeoutMs) &&
           m_response.headersComplete;
}

bool HttpTestClient::waitForChunks(int count, int timeoutMs)
{
    return waitUntil(
               [this, count] {
                   return m_response.chunks.size() >= count || m_response.complete ||
                          m_response.connectionClosed;
               },
               timeoutMs) &&
           m_response.chunks.size() >= count;
}

bool HttpTestClient::waitForComplete(int timeoutMs)
{
    return waitUntil([this] { return m_response.complete || m_response.connectionClosed; }, timeoutMs) &&
           m_response.complete;
}

bool HttpTestClient::waitForClose(int timeoutMs)
{
    return waitUntil([this] { return m_response.connectionClosed || !isConnected(); }, timeoutMs);
}

HttpTestResponse HttpTestClient::oneShot(const QString& host, quint16 port, const QByteArray& method,
                                         const QByteArray& target, const QByteArray& body,
                                         const HeaderList& headers, int timeoutMs)
{
    HttpTestClient client(host, port);
    HeaderList withClose = headers;
    withClose.append(qMakePair(QByteArray("Connection"), QByteArray("close")));
    return client.request(method, target, body, withClose, timeoutMs);
}

} // namespace coordtest
