#include "recordinginstance.h"

#include <QTcpSocket>

namespace dptest {

QByteArray RecordingInstance::Received::header(const QByteArray& name) const
{
    for (const auto& [key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

RecordingInstance::RecordingInstance()
{
    m_server.listen(QHostAddress::LocalHost, 0);
    connect(&m_server, &QTcpServer::newConnection, this, &RecordingInstance::onNewConnection);
}

QList<RecordingInstance::Received> RecordingInstance::receivedOn(const QByteArray& pathSuffix) const
{
    QList<Received> matching;
    for (const Received& request : m_received) {
        if (request.path.endsWith(pathSuffix))
            matching.append(request);
    }
    return matching;
}

int RecordingInstance::openHeldConnections() const
{
    int open = 0;
    for (const QTcpSocket* socket : m_held) {
        if (socket->state() == QAbstractSocket::ConnectedState)
            ++open;
    }
    return open;
}

void RecordingInstance::answerInferenceWith(int status, const QByteArray& body)
{
    m_answerStatus = status;
    m_answerBody = body;
}

void RecordingInstance::onNewConnection()
{
    while (QTcpSocket* socket = m_server.nextPendingConnection()) {
        socket->setParent(this);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
    }
}

void RecordingInstance::onReadyRead(QTcpSocket* socket)
{
    // Requests are small and come one per connection at a time: parse what has arrived so far.
    QByteArray buffer = socket->property("buffer").toByteArray() + socket->readAll();
    const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
    if (headEnd < 0) {
        socket->setProperty("buffer", buffer);
        return;
    }
    Received request;
    const QList<QByteArray> lines = buffer.left(headEnd).split('\n');
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    request.method = requestLine.value(0);
    request.path = requestLine.value(1);
    qint64 contentLength = 0;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon <= 0)
            continue;
        request.headers.append({lines[i].left(colon).trimmed(), lines[i].mid(colon + 1).trimmed()});
    }
    contentLength = request.header("Content-Length").toLongLong();
    if (request.header("Expect").contains("100-continue") && !socket->property("continued").toBool()) {
        socket->setProperty("continued", true);
        socket->write("HTTP/1.1 100 Continue\r\n\r\n");
    }
    if (buffer.size() < headEnd + 4 + contentLength) {
        socket->setProperty("buffer", buffer);
        return;
    }
    request.body = buffer.mid(headEnd + 4, contentLength);
    socket->setProperty("buffer", buffer.mid(headEnd + 4 + contentLength));
    socket->setProperty("continued", false);
    m_received.append(request);
    if (request.path.endsWith("/stopInfer")) {
        const QByteArray body = R"({"message":"success"})";
        socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                      QByteArray::number(body.size()) + "\r\n\r\n" + body);
        return;
    }
    if (m_answerStatus != 0) {
        socket->write("HTTP/1.1 " + QByteArray::number(m_answerStatus) +
                      " Refused\r\nContent-Type: application/json\r\nContent-Length: " +
                      QByteArray::number(m_answerBody.size()) + "\r\n\r\n" + m_answerBody);
        return;
    }
    m_held.append(socket); // never answered: the engine is stalled
}

} // namespace dptest
