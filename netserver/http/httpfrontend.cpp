#include "httpfrontend.h"

#include <QAbstractHttpServer>
#include <QHttpServerRequest>
#include <QMetaEnum>
#include <QSslServer>
#include <QTcpServer>
#include <QTcpSocket>

#include "guardedserver.h"
#include "httplog.h"

namespace coord::http {

namespace {
QByteArray methodName(QHttpServerRequest::Method method)
{
    // The common ones without a meta-object lookup and an upper-case copy per request.
    switch (method) {
    case QHttpServerRequest::Method::Post:
        return QByteArrayLiteral("POST");
    case QHttpServerRequest::Method::Get:
        return QByteArrayLiteral("GET");
    default:
        break;
    }
    const QMetaEnum meta = QMetaEnum::fromType<QHttpServerRequest::Method>();
    return QByteArray(meta.valueToKey(static_cast<int>(method))).toUpper();
}

HttpRequest copyRequest(const QHttpServerRequest& request, const QTcpSocket* socket)
{
    HttpRequest copy;
    copy.method = methodName(request.method());
    const QUrl url = request.url();
    copy.path = url.path(QUrl::FullyEncoded).toUtf8();
    copy.target = url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority);
    copy.headers = request.headers();
    copy.body = request.body();
    copy.peerAddress = request.remoteAddress();
    copy.peerPort = socket ? socket->peerPort() : 0;
    return copy;
}
} // namespace

// QtHttpServer calls handleRequest() once the whole request has been read; we copy it out at
// once because QtHttpServer reuses its request object for the next request on the connection.
class HttpFrontend::Server : public QAbstractHttpServer
{
public:
    Server(QByteArray serverName, Handler handler)
        : m_serverName(std::move(serverName)), m_handler(std::move(handler))
    {}

protected:
    bool handleRequest(const QHttpServerRequest& request, QTcpSocket* socket) override
    {
        m_handler(copyRequest(request, socket), ResponseStream(socket, m_serverName));
        return true;
    }

    void missingHandler(const QHttpServerRequest&, QTcpSocket*) override {}

private:
    QByteArray m_serverName;
    Handler m_handler;
};

HttpFrontend::HttpFrontend(QString portName, ConnectionLimits limits, Handler handler, TlsServerProfile tls,
                           QObject* parent)
    : QObject(parent), m_portName(std::move(portName)), m_limits(std::move(limits)), m_tls(std::move(tls)),
      m_server(std::make_unique<Server>(m_limits.serverName, std::move(handler)))
{}

HttpFrontend::~HttpFrontend() = default;

QTcpServer* HttpFrontend::createTcpServer(QString* error)
{
    if (!m_tls.enabled)
        return new GuardedServer<QTcpServer>(m_limits, m_server.get());
    QString why;
    const std::optional<QSslConfiguration> configuration = serverSslConfiguration(m_tls, &why);
    if (!configuration) {
        if (error)
            *error = QStringLiteral("%1 port TLS: %2").arg(m_portName, why);
        return nullptr;
    }
    auto* ssl = new GuardedServer<QSslServer>(m_limits, m_server.get());
    ssl->setSslConfiguration(*configuration);
    return ssl;
}

bool HttpFrontend::listen(const QHostAddress& address, quint16 port, QString* error)
{
    QTcpServer* tcp = createTcpServer(error);
    if (!tcp)
        return false;
    if (!tcp->listen(address, port)) {
        if (error) {
            *error = QStringLiteral("cannot listen on %1 port %2:%3 (%4)")
                         .arg(m_portName, address.toString())
                         .arg(port)
                         .arg(tcp->errorString());
        }
        delete tcp;
        return false;
    }
    m_server->bind(tcp);
    m_tcpServer = tcp;
    qCInfo(lcHttp).noquote() << m_portName << "port listening on" << address.toString() << tcp->serverPort();
    return true;
}

bool HttpFrontend::listenOnDescriptor(qintptr descriptor, QString* error)
{
    QTcpServer* tcp = createTcpServer(error);
    if (!tcp)
        return false;
    if (!tcp->setSocketDescriptor(descriptor)) {
        if (error)
            *error =
                QStringLiteral("cannot serve the %1 port socket: %2").arg(m_portName, tcp->errorString());
        delete tcp;
        return false;
    }
    m_server->bind(tcp);
    m_tcpServer = tcp;
    return true;
}

bool HttpFrontend::isListening() const
{
    return m_tcpServer && m_tcpServer->isListening();
}

quint16 HttpFrontend::serverPort() const
{
    return m_tcpServer ? m_tcpServer->serverPort() : 0;
}

} // namespace coord::http
