#pragma once

#include "model/instanceinfo.h"
#include "pd/requestrouter.h"

#include <QByteArray>
#include <QMutex>

#include <atomic>

namespace coord {
class ServiceState;
}
namespace coord::scheduling {
class Scheduler;
}

namespace coord::pd {
class DigsPlacer;
}

namespace coord::server {

// The data plane's settings, from request_limit, exception_config and http_config.
struct DataPlaneSettings
{
    ClusterMode mode = ClusterMode::SingleNode;
    int maxRequests = 10000;
    int maxRetry = 5;
    qint64 bodyLimitBytes = 10 * 1024 * 1024; // also caps an instance's unchunked reply
    // Timeouts in ms from arrival; 0 disables one. scheduleTimeoutMs is the effective value.
    qint64 scheduleTimeoutMs = 0;
    qint64 firstTokenTimeoutMs = 0;
    qint64 inferTimeoutMs = 0;
    qint64 tokenizerTimeoutMs = 0;
    int httpTimeoutMs = 600000; // synchronous side calls such as stopInfer
    double stringTokenRate = 4.02;
    QByteArray userAgent = QByteArrayLiteral("Coordinator/1.0");
};

// What finished requests add to /v1/coordinator_info's request_length_info.
struct LengthAverages
{
    qint64 inputLength = 0;
    qint64 outputLength = 0;
};

// State shared by every worker thread: settings, the scheduler, the live-request count that
// max_requests bounds, request ids and counters.
//
// Thread affinity: any thread; counters are atomics, the length window takes a short lock.
class DataPlane
{
public:
    DataPlane(DataPlaneSettings settings, scheduling::Scheduler& scheduler, const ServiceState& state);

    const DataPlaneSettings& settings() const { return m_settings; }
    scheduling::Scheduler& scheduler() { return m_scheduler; }
    const ServiceState& state() const { return m_state; }
    // Where /dresult messages find their requests (PD modes).
    pd::RequestRouter& requestRouter() { return m_requestRouter; }
    // The DIGS placer when scheduler_type is digs_scheduler; null with the default scheduler.
    pd::DigsPlacer* digs() const { return m_digs; }
    void setDigs(pd::DigsPlacer* digs) { m_digs = digs; }

    // Counts an inference arrival for /recvs_info's recv_flow.
    void countArrival() { m_arrivalsSinceRead.fetch_add(1, std::memory_order_relaxed); }
    qint64 takeArrivals() { return m_arrivalsSinceRead.exchange(0); }

    // Takes a slot in the request table; false when max_requests requests are live.
    bool tryAdmit();
    // Gives the slot back; called exactly once per admitted request.
    void release(bool succeeded, qint64 inputLength, qint64 outputLength);
    int liveRequests() const { return m_live.load(std::memory_order_relaxed); }

    // Unique decimal request id: a bijective 64-bit mix of a random seed and a counter.
    QByteArray newRequestId();

    qint64 receivedTotal() const { return m_received.load(); }
    qint64 succeededTotal() const { return m_succeeded.load(); }
    qint64 failedTotal() const { return m_failed.load(); }

    // Averages over the requests that ended since the previous call; an empty window repeats
    // the previous answer (spec §6.3).
    LengthAverages takeLengthAverages();

private:
    DataPlaneSettings m_settings;
    scheduling::Scheduler& m_scheduler;
    const ServiceState& m_state;
    pd::RequestRouter m_requestRouter;
    pd::DigsPlacer* m_digs = nullptr;
    std::atomic<int> m_live{0};
    std::atomic<qint64> m_arrivalsSinceRead{0};
    std::atomic<quint64> m_idCounter{0};
    quint64 m_idSeed = 0;
    std::atomic<qint64> m_received{0};
    std::atomic<qint64> m_succeeded{0};
    std::atomic<qint64> m_failed{0};

    QMutex m_lengthMutex;
    qint64 m_windowInput = 0;
    qint64 m_windowOutput = 0;
    qint64 m_windowCount = 0;
    LengthAverages m_lastAverages;
};

} // namespace coord::server
