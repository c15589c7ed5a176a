#pragma once

#include <functional>
#include <memory>

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QPointer>

class QTcpSocket;

namespace coord::http {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

// The one way the daemon writes an HTTP answer, on the connection QtHttpServer parsed the
// request from. It writes the HTTP/1.1 wire format itself: QtHttpServer's responder writes each
// header with several socket calls and its API changes between Qt 6.4 and 6.8. Every reply gets
// the `Server:` header; streams get chunk framing; nothing is written to a socket the client
// closed; a complete answer is flushed to the socket at once rather than on the next loop turn.
//
// Copyable handle; all copies refer to the same answer. Thread affinity: the thread of the
// connection's socket (one worker).
class ResponseStream
{
public:
    ResponseStream() = default;
    ResponseStream(QTcpSocket* socket, QByteArray serverName);

    // True while the client is still connected and no complete answer has been written.
    bool isOpen() const;
    bool isStarted() const;

    // A complete answer with Content-Length. An empty contentType reproduces MindIE's literal
    // "; charset=utf-8" header for replies that carry no type (probes, pass-through errors).
    void sendFull(int status, const QByteArray& contentType, const QByteArray& body,
                  const HeaderList& extraHeaders = {});

    // A chunked answer: the headers now, then any number of chunks, then the terminator.
    void beginChunked(int status, const QByteArray& contentType, const HeaderList& extraHeaders = {});
    void writeChunk(const QByteArray& data);
    void endChunked();

    // Close the connection once the answer is complete (Connection: close, caps, bad requests).
    void setCloseAfterReply(bool close);
    // Close now without writing anything more (the spec's "close without reply" cases).
    void abortConnection();

    QTcpSocket* socket() const;

    // Calls `onGone` once if the client disconnects before the answer is complete; `owner`
    // (the request) ends the watch with unwatchClient, and a complete answer ends it too.
    void watchClient(const void* owner, std::function<void()> onGone);
    void unwatchClient(const void* owner);

private:
    struct State;
    QByteArray head(int status, const QByteArray& contentType, const HeaderList& extraHeaders) const;
    void finish();

    std::shared_ptr<State> m_state;
};

} // namespace coord::http
