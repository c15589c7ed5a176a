#pragma once

#include <functional>

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QTcpSocket>

namespace coordtest {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

// One HTTP/1.1 response as a raw client sees it.
struct HttpTestResponse
{
    struct Chunk
    {
        QByteArray data;
        qint64 msSinceRequest = 0; // when the chunk was decoded, relative to the request write
    };

    int status = 0;
    QByteArray reason;
    HeaderList headers;
    QByteArray body;     // de-chunked
    QList<Chunk> chunks; // each chunk as received (chunked replies only)
    bool headersComplete = false;
    bool chunked = false;
    bool complete = false; // body fully received (length reached, last chunk, or close-delimited end)
    bool connectionClosed = false;
    bool timedOut = false;

    QByteArray header(const QByteArray& name) const;
    bool hasHeader(const QByteArray& name) const;
};

// A raw HTTP/1.1 client on QTcpSocket for integration tests: exact bytes out, exact framing in.
// One request at a time per connection; the connection is kept alive between requests unless the
// server closes it. Synchronous helpers spin a local QEventLoop and always return within their timeout.
class HttpTestClient : public QObject
{
    Q_OBJECT
public:
    HttpTestClient(QString host, quint16 port, QObject* parent = nullptr);
    ~HttpTestClient() override;

    bool connectToServer(int timeoutMs = 5000);
    bool isConnected() const;
    void close();
    void abort();

    // Asynchronous: writes the request (connecting first when needed) and returns at once.
    // Content-Length is added for a non-empty body unless a Content-Length or Transfer-Encoding
    // header is given; Host is added when missing.
    bool send(const QByteArray& method, const QByteArray& target, const QByteArray& body = {},
              const HeaderList& headers = {}, int connectTimeoutMs = 5000);
    // Writes raw bytes on the connection (malformed requests, pipelining).
    bool sendRaw(const QByteArray& bytes, int connectTimeoutMs = 5000);

    // Synchronous: send and wait until the response is complete (or the connection closes).
    HttpTestResponse request(const QByteArray& method, const QByteArray& target, const QByteArray& body = {},
                             const HeaderList& headers = {}, int timeoutMs = 10000);
    HttpTestResponse get(const QByteArray& target, int timeoutMs = 10000);
    HttpTestResponse post(const QByteArray& target, const QByteArray& body, const HeaderList& headers = {},
                          int timeoutMs = 10000);

    // Waiting on the response in progress; each returns false on timeout.
    bool waitForHeaders(int timeoutMs = 10000);
    bool waitForChunks(int count, int timeoutMs = 10000);
    bool waitForComplete(int timeoutMs = 10000);
    bool waitForClose(int timeoutMs = 10000);
    const HttpTestResponse& response() const { return m_response; }

    // A fresh connection for one request, closed afterwards.
    static HttpTestResponse oneShot(const QString& host, quint16 port, const QByteArray& method,
                                    const QByteArray& target, const QByteArray& body = {},
                                    const HeaderList& headers = {}, int timeoutMs = 10000);
    // Spins the event loop until `condition` holds or the timeout passes.
    static bool waitUntil(const std::function<bool()>& condition, int timeoutMs);

signals:
    void headersReceived();
    void chunkReceived(const QByteArray& data);
    void responseComplete();
    void disconnected();

private:
    void onReadyRead();
    void parse();
    bool parseHead();
    bool parseChunks();
    void markComplete();

    QString m_host;
    quint16 m_port;
    QPointer<QTcpSocket> m_socket;
    QByteArray m_buffer;
    HttpTestResponse m_response;
    QElapsedTimer m_clock;
    qint64 m_contentLength = -1;
    bool m_headRequest = false;
    bool m_connectFailed = false;
};

} // namespace coordtest
