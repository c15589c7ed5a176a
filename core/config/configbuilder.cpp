#include "configbuilder.h"

#include "configschema.h"
#include "configtimeouts.h"
#include "configvalues.h"

namespace coord::config {

namespace {

// Reads values by path, falling back to the schema default when the key is absent.
class ValueReader
{
public:
    explicit ValueReader(const QJsonObject& root) : m_root(root) {}

    QJsonValue raw(const QString& path) const
    {
        const QJsonValue value = valueAt(m_root, path);
        if (!value.isUndefined())
            return value;
        const ConfigKey* key = findConfigKey(path);
        return key ? key->defaultValue : QJsonValue();
    }
    bool boolean(const QString& path) const { return raw(path).toBool(); }
    int integer(const QString& path) const { return raw(path).toInt(); }
    double number(const QString& path) const { return raw(path).toDouble(); }
    QString text(const QString& path) const { return raw(path).toString(); }
    int integerText(const QString& path) const
    {
        return static_cast<int>(parseIntegerText(text(path)).value_or(0));
    }
    double decimalText(const QString& path) const { return parseDecimalText(text(path)).value_or(0.0); }
    quint16 port(const QString& path) const
    {
        const QJsonValue value = raw(path);
        return static_cast<quint16>(value.isString() ? integerText(path) : value.toInt());
    }

private:
    const QJsonObject& m_root;
};

HttpConfig readHttp(const ValueReader& in)
{
    HttpConfig http;
    http.allowAllZeroIpListening = in.boolean("http_config.allow_all_zero_ip_listening");
    http.predictIp = in.text("http_config.predict_ip");
    http.predictPort = in.port("http_config.predict_port");
    http.manageIp = in.text("http_config.manage_ip");
    http.managePort = in.port("http_config.manage_port");
    http.alarmPort = in.port("http_config.alarm_port");
    http.externalPort = in.port("http_config.external_port");
    http.statusPort = in.port("http_config.status_port");
    http.serverThreadNum = in.integer("http_config.server_thread_num");
    http.clientThreadNum = in.integer("http_config.client_thread_num");
    http.httpTimeoutSeconds = in.integer("http_config.http_timeout_seconds");
    http.keepAliveSeconds = in.integer("http_config.keep_alive_seconds");
    http.serverName = in.text("http_config.server_name");
    http.userAgent = in.text("http_config.user_agent");
    return http;
}

ExceptionConfig readExceptions(const ValueReader& in)
{
    ExceptionConfig exception;
    exception.maxRetry = in.integer("exception_config.max_retry");
    exception.scheduleTimeout = in.integer("exception_config.schedule_timeout");
    exception.firstTokenTimeout = in.integer("exception_config.first_token_timeout");
    exception.inferTimeout = in.integer("exception_config.infer_timeout");
    exception.tokenizerTimeout = in.integer("exception_config.tokenizer_timeout");
    exception.effectiveScheduleTimeout = static_cast<int>(effectiveScheduleTimeout(
        exception.scheduleTimeout, exception.firstTokenTimeout, exception.inferTimeout));
    return exception;
}

log::LogInfoConfig readLogInfo(const ValueReader& in)
{
    log::LogInfoConfig logInfo;
    logInfo.logLevel = in.text("log_info.log_level");
    logInfo.toFile = in.boolean("log_info.to_file");
    logInfo.toStdout = in.boolean("log_info.to_stdout");
    logInfo.runLogPath = in.text("log_info.run_log_path");
    logInfo.operationLogPath = in.text("log_info.operation_log_path");
    logInfo.maxLogStrSize = in.integer("log_info.max_log_str_size");
    logInfo.maxLogFileSizeMb = in.integer("log_info.max_log_file_size");
    logInfo.maxLogFileNum = in.integer("log_info.max_log_file_num");
    return logInfo;
}

template <std::size_t N, typename Number>
std::array<Number, N> numberArray(const QString& text, bool* complete)
{
    const NumberList list = parseNumberList(text);
    std::array<Number, N> values{};
    *complete = list.invalidElements.isEmpty() && list.numbers.size() == static_cast<qsizetype>(N);
    if (*complete) {
        for (std::size_t i = 0; i < N; ++i)
            values[i] = static_cast<Number>(list.numbers[static_cast<qsizetype>(i)]);
    }
    return values;
}

DigsSchedulerConfig readDigs(const ValueReader& in)
{
    const QString p = QStringLiteral("digs_scheduler_config.");
    DigsSchedulerConfig digs;
    digs.deployMode = deployModeFromString(in.text(p + "deploy_mode")).value_or(DeployMode::PdSeparate);
    digs.schedulerType =
        schedulerTypeFromString(in.text(p + "scheduler_type")).value_or(SchedulerType::DigsScheduler);
    digs.algorithmType =
        algorithmTypeFromString(in.text(p + "algorithm_type")).value_or(AlgorithmType::LoadBalance);
    digs.cacheSize = in.integerText(p + "cache_size");
    digs.slotsThresh = in.decimalText(p + "slots_thresh");
    digs.blockThresh = in.decimalText(p + "block_thresh");
    digs.maxScheduleCount = in.integerText(p + "max_schedule_count");
    digs.reorderingType = in.integerText(p + "reordering_type");
    digs.maxResNum = in.integerText(p + "max_res_num");
    digs.resLimitRate = in.decimalText(p + "res_limit_rate");
    digs.selectType = in.integerText(p + "select_type");

    bool complete = false;
    digs.loadCostValues = numberArray<2, int>(in.text(p + "load_cost_values"), &complete);
    if (!complete)
        digs.loadCostValues =
            numberArray<2, int>(findConfigKey(p + "load_cost_values")->defaultValue.toString(), &complete);
    digs.loadCostCoefficient = numberArray<9, double>(in.text(p + "load_cost_coefficient"), &complete);
    if (!complete) {
        // Spec 4.2: fewer than 9 numbers keep all nine defaults (the validator warned about it).
        digs.loadCostCoefficientDefaulted = true;
        digs.loadCostCoefficient = numberArray<9, double>(
            findConfigKey(p + "load_cost_coefficient")->defaultValue.toString(), &complete);
    }
    digs.pullRequestTimeoutMs = in.integerText(p + "pull_request_timeout");
    digs.resViewUpdateTimeoutMs = in.integerText(p + "res_view_update_timeout");
    digs.dynamicMaxRes = in.text(p + "dynamic_max_res") == QLatin1String("true");
    digs.dynamicResRateUnit = in.decimalText(p + "dynamic_res_rate_unit");
    digs.maxDynamicResRateCount = in.integerText(p + "max_dynamic_res_rate_count");
    return digs;
}

TlsConfig readTls(const ValueReader& in)
{
    TlsConfig tls;
    for (const TlsBlockInfo& block : tlsBlocks()) {
        TlsItems* items = tls.byName(block.name);
        const QString prefix = block.itemsPath() + QLatin1Char('.');
        items->enabled = in.boolean(block.enablePath());
        items->caCert = in.text(prefix + "ca_cert");
        items->tlsCert = in.text(prefix + "tls_cert");
        items->tlsKey = in.text(prefix + "tls_key");
        items->tlsPasswd = in.text(prefix + "tls_passwd");
        items->kmcKsfMaster = in.text(prefix + "kmcKsfMaster");
        items->kmcKsfStandby = in.text(prefix + "kmcKsfStandby");
        items->tlsCrl = in.text(prefix + "tls_crl");
    }
    return tls;
}

} // namespace

CoordinatorConfig buildCoordinatorConfig(const QJsonObject& validatedRoot)
{
    const ValueReader in(validatedRoot);
    CoordinatorConfig config;
    config.http = readHttp(in);
    config.requestLimit.singleNodeMaxRequests = in.integer("request_limit.single_node_max_requests");
    config.requestLimit.maxRequests = in.integer("request_limit.max_requests");
    config.requestLimit.bodyLimitMb = in.integer("request_limit.body_limit");
    config.metrics.enable = in.boolean("metrics_config.enable");
    config.metrics.triggerSize = in.integer("metrics_config.trigger_size");
    config.prometheusMetrics.reuseTimeSeconds = in.integer("prometheus_metrics_config.reuse_time");
    config.exception = readExceptions(in);
    config.logInfo = readLogInfo(in);
    config.digs = readDigs(in);
    config.tls = readTls(in);
    config.backup.functionEnable = in.boolean("backup_config.function_enable");
    config.backup.databaseServerDns = in.text("backup_config.database_server_dns");
    config.backup.databaseServerPort = in.port("backup_config.database_server_port");
    config.stringTokenRate = in.number("string_token_rate");
    return config;
}

} // namespace coord::config
