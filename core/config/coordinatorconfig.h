#pragma once

#include <array>
#include <optional>

#include <QString>

#include "log/loginfoconfig.h"

// Typed view of a validated ms_coordinator.json. Built only from a document that passed
// validation, so every value here is in range; see configbuilder.h.
namespace coord::config {

enum class DeployMode
{
    SingleNode,
    PdSeparate,
    PdDisaggregation,
    PdDisaggregationSingleContainer
};
enum class SchedulerType
{
    DefaultScheduler,
    DigsScheduler
};
enum class AlgorithmType
{
    CacheAffinity,
    RoundRobin,
    LoadBalance
};

QString toString(DeployMode mode); // the JSON spelling, e.g. "pd_separate"
QString toString(SchedulerType type);
QString toString(AlgorithmType type);
std::optional<DeployMode> deployModeFromString(const QString& text);
std::optional<SchedulerType> schedulerTypeFromString(const QString& text);
std::optional<AlgorithmType> algorithmTypeFromString(const QString& text);
bool isPdMode(DeployMode mode);

struct HttpConfig
{
    bool allowAllZeroIpListening = false;
    QString predictIp;
    quint16 predictPort = 0;
    QString manageIp;
    quint16 managePort = 0;
    quint16 alarmPort = 0;
    quint16 externalPort = 0;
    quint16 statusPort = 0;
    int serverThreadNum = 0;
    int clientThreadNum = 0;
    int httpTimeoutSeconds = 0;
    int keepAliveSeconds = 0; // 0: idle connections are never closed
    QString serverName;
    QString userAgent;
};

struct RequestLimit
{
    int singleNodeMaxRequests = 0;
    int maxRequests = 0;
    int bodyLimitMb = 0;
};

struct MetricsConfig
{
    bool enable = false;
    int triggerSize = 0;
};

struct PrometheusMetricsConfig
{
    int reuseTimeSeconds = 0;
};

// All timeouts in seconds from arrival; 0 disables one.
struct ExceptionConfig
{
    int maxRetry = 0;
    int scheduleTimeout = 0; // as written in the file
    int firstTokenTimeout = 0;
    int inferTimeout = 0;
    int tokenizerTimeout = 0;
    int effectiveScheduleTimeout = 0; // after the spec 5.2 adjustment; use this one at run time
};

struct DigsSchedulerConfig
{
    DeployMode deployMode = DeployMode::PdSeparate;
    SchedulerType schedulerType = SchedulerType::DigsScheduler;
    AlgorithmType algorithmType = AlgorithmType::LoadBalance;
    // cache_affinity
    int cacheSize = 0;
    double slotsThresh = 0;
    double blockThresh = 0;
    // load_balance
    int maxScheduleCount = 0;
    int reorderingType = 1; // 1 fcfs, 2 sjf, 3 ljf
    int maxResNum = 0;
    double resLimitRate = 0;
    int selectType = 2;                          // 1 plain, 2 capped by resLimitRate
    std::array<int, 2> loadCostValues{};         // [slots, blocks]: {1, 0} or {1, 1}
    std::array<double, 9> loadCostCoefficient{}; // a, i, o, n, k, m, r, b, c
    bool loadCostCoefficientDefaulted = false;   // fewer than 9 numbers were given
    // undocumented DIGS keys
    int pullRequestTimeoutMs = 500;
    int resViewUpdateTimeoutMs = 500;
    bool dynamicMaxRes = true;
    double dynamicResRateUnit = 0.1;
    int maxDynamicResRateCount = 3;
};

// One of the 8 tls_config blocks. Paths are as written in the file (relative to the working dir).
struct TlsItems
{
    bool enabled = false;
    QString caCert;
    QString tlsCert;
    QString tlsKey;
    QString tlsPasswd;
    QString kmcKsfMaster;
    QString kmcKsfStandby;
    QString tlsCrl; // empty: no revocation check
};

struct TlsConfig
{
    TlsItems controllerServer;
    TlsItems requestServer;
    TlsItems mindieClient;
    TlsItems mindieManagement; // "mindie_mangment" in the file
    TlsItems external;
    TlsItems status;
    TlsItems etcdServer;
    TlsItems alarmClient;

    // Block by its JSON name ("request_server"); nullptr for an unknown name.
    const TlsItems* byName(const QString& name) const;
    TlsItems* byName(const QString& name);
};

struct BackupConfig
{
    bool functionEnable = false;
    QString databaseServerDns;
    quint16 databaseServerPort = 0;
};

struct CoordinatorConfig
{
    HttpConfig http;
    RequestLimit requestLimit;
    MetricsConfig metrics;
    PrometheusMetricsConfig prometheusMetrics;
    ExceptionConfig exception;
    log::LogInfoConfig logInfo;
    DigsSchedulerConfig digs;
    TlsConfig tls;
    BackupConfig backup;
    double stringTokenRate = 0;
};

} // namespace coord::config
