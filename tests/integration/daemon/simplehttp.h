#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

namespace coord::test {

struct SimpleResponse
{
    int status = 0; // 0: no response
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    bool closedByServer = false; // the server closed the connection after the response

    QByteArray header(const QByteArray& name) const;
};

// One request on a fresh loopback connection, read with Content-Length framing; then waits up to
// closeWaitMs to see whether the server closes the connection.
SimpleResponse httpRequest(quint16 port, const QByteArray& method, const QByteArray& target,
                           const QByteArray& body = QByteArray(), int closeWaitMs = 0);

} // namespace coord::test
