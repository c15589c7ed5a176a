#pragma once

#include <unordered_map>
#include <vector>

#include <QObject>
#include <QTimer>

#include "backendrequest.h"
#include "tlsclientprofile.h"

typedef void CURLM;
typedef void CURL;

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
    static int onCloseSocket(void* client, int socket);
    static size_t onBodyData(char* data, size_t size, size_t count, void* transfer);

    void holdUntilSinkDrains(Transfer* transfer);
    void resumeIfSinkDrained(quint64 transferId);

    void socketAction(int socket, int eventMask);
    void onWatchedSocketReadable(int socket);
    void collectFinished();
    void release(Transfer* transfer);
    CURL* takeEasyHandle();
    void sweepIdleReaders();

    CURLM* m_multi = nullptr;
    TlsClientProfile m_tls;
    QTimer m_timer;
    bool m_zeroTimerPending = false; // m_timer is armed for "now"
    quint64 m_nextId = 1;
    bool m_insideCurl = false;
    std::unordered_map<quint64, Transfer*> m_transfers;
    // Easy handles of finished transfers, reset and kept for the next ones: creating a handle
    // per request cost about 5 % of the relay's CPU.
    std::vector<CURL*> m_idleEasyHandles;
    // Notifiers per open connection socket. They live until libcurl closes the socket (not
    // until it stops watching it), so a pooled connection reused by the next transfer keeps
    // its notifiers instead of deleting and creating them for every request.
    std::unordered_map<int, SocketWatch*> m_watches;
    // Readers of connections left idle for a whole sweep period are switched off, so that a
    // pool grown by a burst does not stay in every poll of the event loop.
    QTimer m_idleSweepTimer;
    quint64 m_sweepGeneration = 0;
};

} // namespace coord::client
