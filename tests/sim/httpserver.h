#pragma once

#include <QHostAddress>
#include <QObject>
#include <QSet>
#include <QTcpServer>

#include "httpconnection.h"

namespace mindiesim {

// A tiny HTTP/1.1 server on QTcpServer with the socket-level control the fault model needs:
// stop listening (connection refused), listen again on the same port, and drop every connection.
class HttpServer : public QObject
{
    Q_OBJECT
public:
    explicit HttpServer(QObject* parent = nullptr);

    bool listen(const QHostAddress& address, quint16 port);
    quint16 port() const { return m_port; }
    bool isListening() const { return m_server.isListening(); }
    void stopListening();
    bool resumeListening();
    // Aborts every open connection (crash fault); the listener is left as it is.
    void abortAll();
    int connectionCount() const { return int(m_connections.size()); }
    QString errorString() const { return m_server.errorString(); }

signals:
    void requestReceived(mindiesim::HttpConnection* connection, const mindiesim::HttpRequest& request);

private:
    void onNewConnection();

    QTcpServer m_server;
    QHostAddress m_address;
    quint16 m_port = 0;
    QSet<HttpConnection*> m_connections;
};

} // namespace mindiesim
