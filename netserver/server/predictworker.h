#pragma once

#include <QSemaphore>
#include <QThread>

#include "client/tlsclientprofile.h"
#include "http/connectionlimits.h"
#include "http/tlsserverprofile.h"

namespace coord::server {

class DataPlane;

// One predict-port worker: its own thread, event loop, HTTP server on its own SO_REUSEPORT
// socket and backend client. A request lives on one worker from accept to last byte.
class PredictWorker : public QThread
{
    Q_OBJECT
public:
    // `userTls` secures the predict port, `instanceTls` the links to the instances.
    PredictWorker(DataPlane& plane, qintptr listenDescriptor, http::ConnectionLimits limits,
                  http::TlsServerProfile userTls, client::TlsClientProfile instanceTls, int index);

    // Blocks until the worker serves its socket (true) or failed to (false, with `error`).
    bool waitUntilServing(QString* error);

protected:
    void run() override;

private:
    DataPlane& m_plane;
    qintptr m_descriptor;
    http::ConnectionLimits m_limits;
    http::TlsServerProfile m_userTls;
    client::TlsClientProfile m_instanceTls;
    QSemaphore m_started;
    QString m_startError;
};

} // namespace coord::server
