#pragma once

#include <functional>
#include <memory>

#include <QHostAddress>
#include <QObject>

#include "connectionlimits.h"
#include "httprequest.h"
#include "responsestream.h"
#include "tlsserverprofile.h"

class QTcpServer;

namespace coord::http {

// One listening HTTP/1.1 port, plain or TLS by its profile (one code path: the TLS port is the
// same server bound to a QSslServer). Every parsed request is copied into an HttpRequest and
// handed, with a ResponseStream for its answer, to the handler; routing and limits live above
// this class so that QtHttpServer stays confined to netserver/http/.
//
// Thread affinity: the thread that creates it; requests are handled on that thread.
class HttpFrontend : public QObject
{
    Q_OBJECT
public:
    using Handler = std::function<void(const HttpRequest&, ResponseStream)>;

    HttpFrontend(QString portName, ConnectionLimits limits, Handler handler, TlsServerProfile tls = {},
                 QObject* parent = nullptr);
    ~HttpFrontend() override;

    // Binds and listens; on failure returns false and says why (address, port, OS reason, or the
    // TLS file that could not be used).
    bool listen(const QHostAddress& address, quint16 port, QString* error);
    // Serves an already listening socket (one of several SO_REUSEPORT sockets of a port).
    bool listenOnDescriptor(qintptr descriptor, QString* error);
    bool isListening() const;
    quint16 serverPort() const;
    const QString& portName() const { return m_portName; }

private:
    class Server;
    // The listening server for this port's profile, or null with `error` set.
    QTcpServer* createTcpServer(QString* error);

    QString m_portName;
    ConnectionLimits m_limits;
    TlsServerProfile m_tls;
    std::unique_ptr<Server> m_server;
    QTcpServer* m_tcpServer = nullptr; // owned by m_server once bound
};

} // namespace coord::http
