#pragma once

#include <functional>

#include <QObject>
#include <QTimer>

#include "connectionlimits.h"

class QTcpSocket;

namespace coord::http {

// Watches one accepted connection before QtHttpServer parses it. Its readyRead slot is
// connected first, so it sees each request head before the server does and can refuse it
// (431 header too large, 413 body too large, 429 too many requests on this connection),
// answer `Expect: 100-continue`, note `Connection: close` / HTTP/1.0, close idle connections,
// and keep replies in order: bytes of a pipelined request that arrive while an answer is still
// pending are discarded and the connection closes after that answer, so no reply can overtake
// another (QtHttpServer 6.4 would answer them out of order).
//
// Thread affinity: the socket's thread. Owned by the socket (child object).
class ConnectionGuard : public QObject
{
    Q_OBJECT
public:
    // `overflow`: the connection is beyond the port's connection cap; its first request is
    // answered 429 "Too many requests" and the connection closed.
    ConnectionGuard(QTcpSocket* socket, const ConnectionLimits& limits, bool overflow = false);
    ~ConnectionGuard() override;

    static ConnectionGuard* of(QTcpSocket* socket);

    // Called by ResponseStream: a parsed request reached its handler / its answer is complete.
    void requestDispatched();
    void responseFinished();
    // The current request asked for the connection to close after its answer.
    bool closeRequested() const { return m_closeAfterResponse; }
    // The request being answered hears of the client leaving through `onGone` (once). The
    // guard's one connection to the socket serves every request on it: a connection per request
    // cost an allocation and a list walk each. `owner` identifies the watcher for unwatch.
    void watchClient(const void* owner, std::function<void()> onGone);
    void unwatchClient(const void* owner);

private:
    enum class State
    {
        AwaitingHead,
        ReadingRequest,
        AwaitingResponse,
        Rejected,
        Overflow
    };

    void onReadyRead();
    void inspectHead();
    void reject(int status, const QByteArray& message);
    void noteActivity();
    void onIdleTimer();
    void onDisconnected();

    QTcpSocket* m_socket;
    ConnectionLimits m_limits;
    State m_state = State::AwaitingHead;
    int m_requestsSeen = 0;
    qint64 m_bytesThisRequest = 0;
    qint64 m_allowedThisRequest = 0;
    bool m_closeAfterResponse = false;
    // The idle timer is not restarted on every read (QTimer::start per event cost a few percent
    // of the relay's CPU): activity only moves this timestamp, and the timer, when it fires,
    // closes the connection or re-arms itself for the time that remains.
    qint64 m_lastActivityMs = 0;
    QTimer m_idleTimer;
    const void* m_clientWatcher = nullptr;
    std::function<void()> m_onClientGone;
};

} // namespace coord::http
