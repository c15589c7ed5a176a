#pragma once

#include <unistd.h>

#include <QTcpServer>
#include <QTcpSocket>

#include "connectionguard.h"
#include "connectionlimits.h"

namespace coord::http {

// A listening socket that puts a ConnectionGuard on every connection before QtHttpServer sees
// it, and enforces the port's connection cap. Base is QTcpServer, or QSslServer for TLS ports
// (the guard then sees decrypted bytes, because QSslSocket's readyRead carries plaintext).
//
// Thread affinity: the thread of the QHttpServer it is bound to.
template <typename Base> class GuardedServer : public Base
{
public:
    explicit GuardedServer(ConnectionLimits limits, QObject* parent = nullptr)
        : Base(parent), m_limits(std::move(limits))
    {}

    QTcpSocket* nextPendingConnection() override
    {
        QTcpSocket* socket = Base::nextPendingConnection();
        if (socket) {
            const bool overflow =
                m_limits.maxConnections > 0 && m_limits.openConnections->load() >= m_limits.maxConnections;
            new ConnectionGuard(socket, m_limits, overflow);
        }
        return socket;
    }

protected:
    void incomingConnection(qintptr descriptor) override
    {
        // MindIE closes connections over the cap at once. We answer their request 429 "Too many
        // requests" first (see ConnectionGuard), and only beyond twice the cap close the bare
        // descriptor, which costs nothing.
        if (m_limits.maxConnections > 0 && m_limits.openConnections->load() >= 2 * m_limits.maxConnections) {
            ::close(static_cast<int>(descriptor));
            return;
        }
        Base::incomingConnection(descriptor);
    }

private:
    ConnectionLimits m_limits;
};

} // namespace coord::http
