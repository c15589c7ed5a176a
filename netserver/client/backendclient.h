#pragma once

#include "backendrequest.h"
#include "tlsclientprofile.h"

#include <QObject>
#include <QTimer>

#include <unordered_map>

typedef void CURLM;

namespace coord::client {

// Asynchronous HTTP/1.1 client on libcurl's multi interface, driven by the Qt event loop of
// the thread that owns it (socket readiness via QSocketNotifier, libcurl's timer via QTimer).
// Connections to each instance are pooled and kept alive by the multi handle, with no
// per-host cap, because one instance may carry up to single_node_max_requests streams.
//
// Thread affinity: one client per thread; every call and every callback on that thread.
class BackendClient : public QObject
{
    Q_OBJECT
public:
    explicit BackendClient(TlsClientProfile tls = {}, QObject* parent = nullptr);
    ~BackendClient() override;

    // Starts a transfer and returns its id (never 0). Callbacks run later, never inside start().
    quint64 start(BackendRequest request);
    // Stops a transfer; none of its callbacks run afterwards. Safe from inside its callbacks
    // and with ids that already finished.
    void cancel(quint64 transferId);

    int activeTransfers() const { return static_cast<int>(m_transfers.size()); }

    struct Transfer;
    struct SocketWatch;

private:
    static int onSocket(void* easy, int socket, int what, void* client, void* socketData);
    static int onTimer(CURLM* multi, long timeoutMs, void* client);

    void socketAction(int socket, int eventMask);
    void collectFinished();
    void release(Transfer* transfer);

    CURLM* m_multi = nullptr;
    TlsClientProfile m_tls;
    QTimer m_timer;
    quint64 m_nextId = 1;
    bool m_insideCurl = false;
    std::unordered_map<quint64, Transfer*> m_transfers;
};

} // namespace coord::client
