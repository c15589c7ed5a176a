#pragma once

#include <functional>

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QRandomGenerator>

#include "apirequest.h"
#include "engine.h"
#include "faultsettings.h"
#include "httpserver.h"
#include "instanceinfo.h"
#include "simmetrics.h"
#include "simoptions.h"

namespace mindiesim {

class DecodeChannel;
class SimCluster;
class ControlApi;

// One simulated MindIE Server: an inference port (user APIs, P/D protocol, stopInfer, tokenizer),
// a metric port (/metrics plus the /sim control API) and an engine. Lives on the main thread.
class SimInstance : public QObject
{
    Q_OBJECT
public:
    SimInstance(const InstanceInfo& info, const SimOptions& options, SimCluster* cluster,
                QObject* parent = nullptr);
    ~SimInstance() override;

    // Binds the ports (port 0 = ephemeral; the info is updated with the real ports).
    bool start(QString* error);
    const InstanceInfo& info() const { return m_info; }
    void setPeers(const QList<quint64>& peers) { m_info.peers = peers; }

    Engine& engine() { return *m_engine; }
    SimMetrics& metrics() { return m_metrics; }
    const SimOptions& options() const { return m_options; }
    FaultSettings& faults() { return m_faults; }
    SimCluster* cluster() const { return m_cluster; }
    DecodeChannel* decodeChannel() const { return m_decode; }
    ApiParseOptions apiOptions() const;
    double uptimeSeconds() const { return double(m_uptime.elapsed()) / 1000.0; }

    // Requests in flight, by request id, so that stopInfer can reach them.
    void registerActive(const QByteArray& reqId, std::function<void()> stop);
    void unregisterActive(const QByteArray& reqId);
    int activeCount() const { return int(m_active.size()); }

    // Fault actions.
    void crash();
    bool isCrashed() const { return m_crashed; }
    void applyFaults(); // re-reads m_faults (refuse, slow factor) after a change

private:
    void onInferenceRequest(HttpConnection* connection, const HttpRequest& request);
    void handleStopInfer(HttpConnection* connection, const HttpRequest& request);
    void handleTokenizer(HttpConnection* connection, const HttpRequest& request);
    void handleInference(HttpConnection* connection, const HttpRequest& request);
    bool servesAsPrefill(const HttpRequest& request) const;
    bool drawServerError();

    InstanceInfo m_info;
    SimOptions m_options;
    FaultSettings m_faults;
    SimCluster* m_cluster;
    Engine* m_engine;
    SimMetrics m_metrics;
    HttpServer m_inferenceServer;
    HttpServer m_metricServer;
    HttpServer* m_interCommServer = nullptr;
    ControlApi* m_control = nullptr;
    DecodeChannel* m_decode = nullptr;
    QHash<QByteArray, std::function<void()>> m_active;
    QRandomGenerator m_random;
    QElapsedTimer m_uptime;
    quint64 m_requestCounter = 0;
    bool m_crashed = false;
};

} // namespace mindiesim
