#pragma once

#include <functional>

#include <QByteArray>
#include <QTcpServer>
#include <QTcpSocket>

namespace coord::test {

// A loopback server whose answer to each request is written by the test, byte for byte, so
// that client code can be tested against well-formed, broken and silent peers.
class ScriptedHttpServer : public QObject
{
public:
    // Called once a whole request (head and Content-Length body) has arrived.
    using Script = std::function<void(QTcpSocket* socket, const QByteArray& head, const QByteArray& body)>;

    explicit ScriptedHttpServer(Script script);

    quint16 port() const { return m_server.serverPort(); }
    QByteArray url(const QByteArray& target) const;
    int connectionsAccepted() const { return m_connections; }
    int requestsSeen() const { return m_requests; }

private:
    void onReadyRead(QTcpSocket* socket);

    QTcpServer m_server;
    Script m_script;
    int m_connections = 0;
    int m_requests = 0;
};

} // namespace coord::test
