#include "daemon.h"

#include <unistd.h>

#include "applog.h"
#include "client/backendclient.h"
#include "coordversion.h"
#include "http/httpfrontend.h"
#include "http/reuseportsocket.h"
#include "pd/decodelinks.h"
#include "pd/digsplacer.h"
#include "scheduler.h"
#include "server/dataplane.h"
#include "server/manageroutes.h"
#include "server/predictworker.h"
#include "server/router.h"
#include "server/statusroutes.h"

namespace coord::app {

namespace {

ClusterMode clusterMode(config::DeployMode mode)
{
    switch (mode) {
    case config::DeployMode::SingleNode:
        return ClusterMode::SingleNode;
    case config::DeployMode::PdDisaggregationSingleContainer:
        return ClusterMode::PdSingleContainer;
    case config::DeployMode::PdSeparate:
    case config::DeployMode::PdDisaggregation:
        break;
    }
    return ClusterMode::PdSeparate;
}

scheduling::SchedulerSettings schedulerSettings(const config::CoordinatorConfig& config)
{
    scheduling::SchedulerSettings settings;
    settings.mode = clusterMode(config.digs.deployMode);
    settings.algorithm = config.digs.algorithmType == config::AlgorithmType::CacheAffinity
                             ? scheduling::DefaultAlgorithm::CacheAffinity
                             : scheduling::DefaultAlgorithm::RoundRobin;
    settings.perInstanceCap = config.requestLimit.singleNodeMaxRequests;
    settings.cacheSize = config.digs.cacheSize > 0 ? config.digs.cacheSize : 100;
    settings.thresholds.slotRatio = config.digs.slotsThresh;
    settings.thresholds.blockRatio = config.digs.blockThresh;
    return settings;
}

server::DataPlaneSettings dataPlaneSettings(const config::CoordinatorConfig& config)
{
    constexpr qint64 kMs = 1000;
    server::DataPlaneSettings settings;
    settings.mode = clusterMode(config.digs.deployMode);
    settings.maxRequests = config.requestLimit.maxRequests;
    settings.maxRetry = config.exception.maxRetry;
    settings.bodyLimitBytes = qint64(config.requestLimit.bodyLimitMb) * 1024 * 1024;
    settings.scheduleTimeoutMs = config.exception.effectiveScheduleTimeout * kMs;
    settings.firstTokenTimeoutMs = config.exception.firstTokenTimeout * kMs;
    settings.inferTimeoutMs = config.exception.inferTimeout * kMs;
    settings.tokenizerTimeoutMs = config.exception.tokenizerTimeout * kMs;
    settings.httpTimeoutMs = static_cast<int>(config.http.httpTimeoutSeconds * kMs);
    settings.stringTokenRate = config.stringTokenRate;
    settings.userAgent = config.http.userAgent.toUtf8();
    return settings;
}

} // namespace

Daemon::Daemon(config::CoordinatorConfig config, QString configPath, QObject* parent)
    : QObject(parent), m_config(std::move(config)), m_configPath(std::move(configPath))
{
    m_state.setBackupEnabled(m_config.backup.functionEnable);
    // Without master/standby this node is the master from the start (spec §9).
    m_state.setMaster(!m_config.backup.functionEnable);
    m_scheduler = std::make_unique<scheduling::Scheduler>(schedulerSettings(m_config));
    m_plane = std::make_unique<server::DataPlane>(dataPlaneSettings(m_config), *m_scheduler, m_state);
    m_manage = std::make_unique<server::ManageContext>(*m_scheduler, *m_plane, m_state);
    m_manage->onRegistryChanged = [this](const scheduling::RefreshDiff& diff) { onRegistryChanged(diff); };
}

Daemon::~Daemon()
{
    stop();
}

bool Daemon::start(QString* error)
{
    m_startedAt = QDateTime::currentDateTimeUtc();
    startDecodeLinks();
    if (!startControlPorts(error) || !startPredictWorkers(error)) {
        stop();
        return false;
    }
    m_state.setDataServerBound(true);
    return true;
}

bool Daemon::startControlPorts(QString* error)
{
    auto manage = std::make_shared<server::Router>();
    server::addManageRoutes(*manage, *m_manage);
    auto external = std::make_shared<server::Router>();
    auto status = std::make_shared<server::Router>();
    server::addStatusRoutes(*status, m_state, [this] { return statusSnapshot(); });

    const QHostAddress manageIp(m_config.http.manageIp);
    const struct
    {
        const char* name;
        quint16 port;
        std::shared_ptr<server::Router> router;
    } plans[] = {
        {"manage", m_config.http.managePort, manage},
        {"external", m_config.http.externalPort, external},
        {"status", m_config.http.statusPort, status},
    };
    for (const auto& plan : plans) {
        http::ConnectionLimits limits;
        limits.serverName = m_config.http.serverName.toUtf8();
        limits.maxBodyBytes = qint64(m_config.requestLimit.bodyLimitMb) * 1024 * 1024;
        auto frontend = std::make_unique<http::HttpFrontend>(
            QString::fromLatin1(plan.name), limits,
            [router = plan.router](const http::HttpRequest& request, http::ResponseStream response) {
                router->dispatch(request, std::move(response));
            });
        if (!frontend->listen(manageIp, plan.port, error))
            return false;
        m_routers.push_back(plan.router);
        m_frontends.push_back(std::move(frontend));
    }
    return true;
}

bool Daemon::startPredictWorkers(QString* error)
{
    const int workers = qMax(1, m_config.http.serverThreadNum);
    const QHostAddress predictIp(m_config.http.predictIp);
    const QList<qintptr> sockets =
        http::openReusePortListeners(predictIp, m_config.http.predictPort, workers, 1024, error);
    if (sockets.isEmpty()) {
        if (error)
            error->prepend(QStringLiteral("predict port: "));
        return false;
    }
    http::ConnectionLimits limits;
    limits.serverName = m_config.http.serverName.toUtf8();
    limits.maxBodyBytes = qint64(m_config.requestLimit.bodyLimitMb) * 1024 * 1024;
    limits.maxRequestsPerConnection = m_config.requestLimit.maxRequests;
    limits.maxConnections = m_config.requestLimit.maxRequests;
    limits.idleTimeoutSeconds = m_config.http.keepAliveSeconds;
    for (int i = 0; i < sockets.size(); ++i) {
        // Plain on both sides: a config enabling TLS is refused before the daemon starts (the
        // profiles are where its tls_config blocks will go).
        auto worker = std::make_unique<server::PredictWorker>(
            *m_plane, sockets[i], limits, http::TlsServerProfile{}, client::TlsClientProfile{}, i);
        worker->start();
        const bool serving = worker->waitUntilServing(error);
        m_workers.push_back(std::move(worker));
        if (!serving) {
            for (int j = i + 1; j < sockets.size(); ++j)
                ::close(static_cast<int>(sockets[j]));
            return false;
        }
    }
    qCInfo(lcApp).noquote() << "predict port listening on" << predictIp.toString()
                            << m_config.http.predictPort << "with" << workers << "worker threads";
    return true;
}

void Daemon::startDecodeLinks()
{
    if (!isPdMode(m_scheduler->mode()))
        return;
    m_controlClient = std::make_unique<client::BackendClient>();
    pd::DecodeLinkSettings settings;
    settings.maxRetry = m_config.exception.maxRetry;
    settings.userAgent = m_config.http.userAgent.toUtf8();
    m_decodeLinks = std::make_unique<pd::DecodeLinks>(settings, *m_controlClient, m_plane->requestRouter());
    connect(m_decodeLinks.get(), &pd::DecodeLinks::linkLost, this, &Daemon::onDecodeLinkLost);
    if (m_config.digs.schedulerType == config::SchedulerType::DigsScheduler) {
        auto digsSettings = scheduling::digs::DigsSettings::fromConfig(
            m_config.digs, m_config.requestLimit.singleNodeMaxRequests);
        // Not a config key (MindIE has none): lets benchmarks replay MindIE's head-of-line
        // blocking against our default (docs/DIGS.md).
        if (qEnvironmentVariableIntValue("MS_COORDINATOR_DIGS_HEAD_OF_LINE_BLOCKING") == 1)
            digsSettings.headOfLineBlocking = true;
        m_digs = std::make_unique<pd::DigsPlacer>(digsSettings);
        m_plane->setDigs(m_digs.get());
        m_manage->onClosedChanged = [this](const QList<InstanceInfo>& changed, bool closed) {
            for (const InstanceInfo& instance : changed)
                m_digs->setClosed(instance.id, closed);
        };
    }
}

void Daemon::onRegistryChanged(const scheduling::RefreshDiff& diff)
{
    for (const InstanceInfo& removed : diff.removed) {
        // MindIE leaves the requests of a removed instance unanswered; ours are placed again
        // or answered now.
        m_plane->requestRouter().failInstance(removed.id);
        if (m_decodeLinks && removed.staticInfo.role == InstanceRole::Decode)
            m_decodeLinks->close(removed.id);
    }
    for (const InstanceInfo& added : diff.added) {
        if (m_decodeLinks && added.staticInfo.role == InstanceRole::Decode)
            m_decodeLinks->open(added);
    }
    if (m_digs) {
        for (const InstanceInfo& removed : diff.removed)
            m_digs->removeInstance(removed.id);
        for (const QList<InstanceInfo>* changed : {&diff.added, &diff.updated}) {
            for (const InstanceInfo& instance : *changed)
                m_digs->upsertInstance(instance);
        }
    }
}

void Daemon::onDecodeLinkLost(quint64 decodeId, const QString& reason)
{
    qCWarning(lcApp).noquote() << "decode instance" << decodeId << "given up after"
                               << m_config.exception.maxRetry << "relinks:" << reason
                               << "; marked faulty for 2 minutes";
    m_plane->requestRouter().failDecode(decodeId, reason.toUtf8());
    server::applyRegistryChange(*m_manage, m_scheduler->removeFaulty(decodeId));
}

void Daemon::stop()
{
    m_state.setDataServerBound(false);
    for (auto& worker : m_workers) {
        worker->quit();
        worker->wait();
    }
    m_workers.clear();
    m_frontends.clear();
    m_routers.clear();
    m_plane->setDigs(nullptr);
    m_digs.reset();
    m_decodeLinks.reset();
    m_controlClient.reset();
}

QJsonObject Daemon::statusSnapshot() const
{
    return QJsonObject{
        {QStringLiteral("version"), QString::fromLatin1(kVersion)},
        {QStringLiteral("started_at"), m_startedAt.toString(Qt::ISODateWithMs)},
        {QStringLiteral("uptime_seconds"), m_startedAt.secsTo(QDateTime::currentDateTimeUtc())},
        {QStringLiteral("deploy_mode"), config::toString(m_config.digs.deployMode)},
        {QStringLiteral("config_path"), m_configPath},
        {QStringLiteral("ready"), m_state.ready()},
        {QStringLiteral("cluster_available"), m_state.clusterAvailable()},
        {QStringLiteral("data_server_bound"), m_state.dataServerBound()},
        {QStringLiteral("is_master"), m_state.isMaster()},
        {QStringLiteral("backup_enabled"), m_state.backupEnabled()},
        {QStringLiteral("live_requests"), m_plane->liveRequests()},
        {QStringLiteral("requests_received_total"), m_plane->receivedTotal()},
        {QStringLiteral("requests_succeeded_total"), m_plane->succeededTotal()},
        {QStringLiteral("requests_failed_total"), m_plane->failedTotal()},
        {QStringLiteral("predict_workers"), static_cast<int>(m_workers.size())},
    };
}

} // namespace coord::app
