#pragma once

#include <QObject>
#include <QPointer>
#include <QTcpSocket>

#include "httpmessage.h"

namespace mindiesim {

// One server-side HTTP/1.1 connection on a QTcpSocket: parses requests (Content-Length or chunked
// bodies) one at a time and offers whole-body and chunked replies. A second request on the same
// connection is only parsed once the reply to the first is complete (no pipelining), which is how
// MindIE Server and the coordinator's client behave. Lives on the thread of its server.
class HttpConnection : public QObject
{
    Q_OBJECT
public:
    HttpConnection(QTcpSocket* socket, QObject* parent);
    ~HttpConnection() override;

    // Whole reply with Content-Length. Closes afterwards when the client asked for it.
    void respond(int status, const QByteArray& contentType, const QByteArray& body,
                 const QList<QPair<QByteArray, QByteArray>>& extraHeaders = {});
    // Chunked reply: headers go out with the first chunk unless flushHeadersNow is set.
    void beginChunked(int status, const QByteArray& contentType, bool flushHeadersNow = false,
                      const QList<QPair<QByteArray, QByteArray>>& extraHeaders = {});
    void writeChunk(const QByteArray& data);
    void endChunked();
    // Drops the TCP connection without any further byte (crash fault).
    void abort();
    // Closes after the bytes already written are sent (dropped /dresult stream).
    void closeGracefully();

    bool isStreaming() const { return m_streaming; }
    bool isOpen() const;
    QByteArray peerAddress() const;

signals:
    void requestReceived(mindiesim::HttpConnection* connection, const mindiesim::HttpRequest& request);
    void closed(mindiesim::HttpConnection* connection);

private:
    void onReadyRead();
    bool parseHead();
    bool parseBody();
    void finishResponse();
    void failParse(int status);

    enum class State
    {
        Head,
        Body,
        ChunkedBody,
        Waiting
    };
    QPointer<QTcpSocket> m_socket;
    QByteArray m_buffer;
    HttpRequest m_request;
    State m_state = State::Head;
    qsizetype m_bodyRemaining = 0;
    bool m_keepAlive = true;
    bool m_streaming = false;
    bool m_headersPending = false;
    QByteArray m_pendingHead;
    bool m_closedEmitted = false;
};

} // namespace mindiesim
