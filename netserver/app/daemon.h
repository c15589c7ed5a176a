#pragma once

#include "config/coordinatorconfig.h"
#include "model/servicestate.h"

#include <QDateTime>
#include <QJsonObject>
#include <QObject>

#include <memory>
#include <vector>

namespace coord::client {
class BackendClient;
}
namespace coord::http {
class HttpFrontend;
}
namespace coord::pd {
class DecodeLinks;
class DigsPlacer;
}
namespace coord::scheduling {
class Scheduler;
struct RefreshDiff;
}
namespace coord::server {
class DataPlane;
class PredictWorker;
class Router;
struct ManageContext;
} // namespace coord::server

namespace coord::app {

// The running coordinator: the scheduler, the four HTTP ports and the service state the probes
// report. Ports come up in MindIE's order (manage, external, status, then the data port on
// server_thread_num workers); the data port being bound is what lets the coordinator become
// ready.
//
// Thread affinity: the control (main) thread; predict workers run on their own threads.
class Daemon : public QObject
{
    Q_OBJECT
public:
    Daemon(config::CoordinatorConfig config, QString configPath, QObject* parent = nullptr);
    ~Daemon() override;

    // Binds every port; on failure returns false and says which port failed and why.
    bool start(QString* error);
    void stop();

    const ServiceState& serviceState() const { return m_state; }

private:
    bool startControlPorts(QString* error);
    bool startPredictWorkers(QString* error);
    void startDecodeLinks();
    void onRegistryChanged(const scheduling::RefreshDiff& diff);
    void onDecodeLinkLost(quint64 decodeId, const QString& reason);
    QJsonObject statusSnapshot() const;

    config::CoordinatorConfig m_config;
    QString m_configPath;
    ServiceState m_state;
    QDateTime m_startedAt;
    std::unique_ptr<scheduling::Scheduler> m_scheduler;
    std::unique_ptr<server::DataPlane> m_plane;
    std::unique_ptr<server::ManageContext> m_manage;
    std::unique_ptr<client::BackendClient> m_controlClient; // control-thread calls: /dresult links
    std::unique_ptr<pd::DecodeLinks> m_decodeLinks;           // PD modes only
    std::unique_ptr<pd::DigsPlacer> m_digs;                   // scheduler_type digs_scheduler only
    std::vector<std::shared_ptr<server::Router>> m_routers;
    std::vector<std::unique_ptr<http::HttpFrontend>> m_frontends;
    std::vector<std::unique_ptr<server::PredictWorker>> m_workers;
};

} // namespace coord::app
