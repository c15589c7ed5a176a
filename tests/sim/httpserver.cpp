#include "httpserver.h"

namespace mindiesim {

HttpServer::HttpServer(QObject* parent) : QObject(parent)
{
    m_server.setMaxPendingConnections(1024);
    connect(&m_server, &QTcpServer::newConnection, this, &HttpServer::onNewConnection);
}

bool HttpServer::listen(const QHostAddress& address, quint16 port)
{
    m_address = address;
    if (!m_server.listen(address, port))
        return false;
    m_port = m_server.serverPort();
    return true;
}

void HttpServer::stopListening()
{
    m_server.close();
}

bool HttpServer::resumeListening()
{
    return m_server.isListening() || m_server.listen(m_address, m_port);
}

void HttpServer::abortAll()
{
    const auto connections = m_connections;
    for (HttpConnection* connection : connections)
        connection->abort();
}

void HttpServer::onNewConnection()
{
    while (QTcpSocket* socket = m_server.nextPendingConnection()) {
        auto* connection = new HttpConnection(socket, this);
        m_connections.insert(connection);
        connect(connection, &HttpConnection::requestReceived, this, &HttpServer::requestReceived);
        connect(connection, &HttpConnection::closed, this, [this](HttpConnection* closedConnection) {
            m_connections.remove(closedConnection);
            closedConnection->deleteLater();
        });
    }
}

} // namespace mindiesim
