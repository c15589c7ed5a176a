#include "simplehttp.h"

#include <QElapsedTimer>
#include <QTcpSocket>

namespace coord::test {

QByteArray SimpleResponse::header(const QByteArray& name) const
{
    for (const auto& [key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

namespace {
bool parseHead(const QByteArray& head, SimpleResponse& response)
{
    const QList<QByteArray> lines = head.split('\n');
    if (lines.isEmpty())
        return false;
    const QList<QByteArray> statusLine = lines.first().trimmed().split(' ');
    if (statusLine.size() < 2)
        return false;
    response.status = statusLine.at(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            response.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }
    return true;
}
} // namespace

SimpleResponse httpRequest(quint16 port, const QByteArray& method, const QByteArray& target,
                           const QByteArray& body, int closeWaitMs)
{
    const int timeoutMs = 5000;
    SimpleResponse response;
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(timeoutMs))
        return response;
    QByteArray request = method + ' ' + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    if (!body.isEmpty() || method == "POST")
        request += "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
    request += "\r\n" + body;
    socket.write(request);

    QByteArray buffer;
    QElapsedTimer timer;
    timer.start();
    qsizetype headEnd = -1;
    qsizetype contentLength = -1;
    while (timer.elapsed() < timeoutMs) {
        if (!socket.waitForReadyRead(50) && socket.state() != QAbstractSocket::ConnectedState) {
            buffer += socket.readAll();
            break;
        }
        buffer += socket.readAll();
        if (headEnd < 0 && (headEnd = buffer.indexOf("\r\n\r\n")) >= 0) {
            parseHead(buffer.left(headEnd), response);
            contentLength = response.header("Content-Length").toLongLong();
        }
        if (headEnd >= 0 && buffer.size() - headEnd - 4 >= contentLength)
            break;
    }
    if (headEnd < 0)
        return SimpleResponse{};
    response.body = buffer.mid(headEnd + 4, contentLength);
    if (closeWaitMs > 0 && socket.state() == QAbstractSocket::ConnectedState)
        socket.waitForDisconnected(closeWaitMs);
    response.closedByServer = socket.state() != QAbstractSocket::ConnectedState;
    return response;
}

} // namespace coord::test
