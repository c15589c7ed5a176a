#pragma once

#include <atomic>
#include <memory>

#include <QByteArray>
#include <QtGlobal>

namespace coord::http {

// The limits a port enforces in front of QtHttpServer, which has none of them in Qt 6.4.
// Zero disables a limit.
struct ConnectionLimits
{
    qint64 maxBodyBytes = 0;          // request_limit.body_limit (MiB) in bytes: 413 beyond it
    qsizetype maxHeaderBytes = 8192;  // request line plus headers: 431 beyond it
    int maxRequestsPerConnection = 0; // request_limit.max_requests: 429 and close beyond it
    int maxConnections = 0;           // data port: connections beyond it are closed at once
    int idleTimeoutSeconds = 0;       // http_config.keep_alive_seconds on the data port
    QByteArray serverName = QByteArrayLiteral("MindIE-MS");

    // Open connections of the port, shared by every worker thread listening on it.
    std::shared_ptr<std::atomic<int>> openConnections = std::make_shared<std::atomic<int>>(0);
};

} // namespace coord::http
