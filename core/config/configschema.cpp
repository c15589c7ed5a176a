#include "configschema.h"

#include <QHash>

#include "configschemarow.h"

namespace coord::config {

namespace {

using detail::Row;
using T = ValueType;
using R = Requirement;

const QString kSingleNodeEnv = QStringLiteral("MINDIE_MS_COORDINATOR_CONFIG_SINGLE_NODE_MAX_REQ");
const QString kMaxReqEnv = QStringLiteral("MINDIE_MS_COORDINATOR_CONFIG_MAX_REQ");

void addHttpConfig(QList<ConfigKey>& rows)
{
    rows << Row("http_config", T::Object).help("Listening addresses, ports, threads and HTTP limits.");
    rows << Row("http_config.allow_all_zero_ip_listening", T::Bool, false)
                .help("Allow predict_ip or manage_ip to be the all-zero address (0.0.0.0 or ::). Binding all "
                      "interfaces defeats network-plane isolation, so it is off unless explicitly enabled.");
    rows << Row("http_config.predict_ip", T::IpAddress, "127.0.0.1")
                .help("Address of the data port that serves user inference requests. The first command-line "
                      "argument overrides it.");
    rows << Row("http_config.predict_port", T::PortString, "1025")
                .range(1024, 65535)
                .help("Data port for user inference requests.");
    rows << Row("http_config.manage_ip", T::IpAddress, "127.0.0.1")
                .help("Address of the manage, external and status ports. The second command-line argument "
                      "(third in the four-argument form) overrides it.");
    rows << Row("http_config.manage_port", T::PortString, "1026")
                .range(1024, 65535)
                .help("Manage port used by the Controller (instance refresh, tasks, backup info).");
    rows << Row("http_config.alarm_port", T::PortString, "1027")
                .range(1024, 65535)
                .help("The Controller's alarm port; alarms are POSTed to controllerIP:alarm_port. Nothing "
                      "listens on it locally.");
    rows << Row("http_config.external_port", T::PortString, "1028")
                .range(1024, 65535)
                .help("External port serving GET /metrics.");
    rows << Row("http_config.status_port", T::PortString, "1029")
                .range(1024, 65535)
                .help("Status port serving liveness, readiness and startup probes.");
    rows << Row("http_config.server_thread_num", T::Integer, 10)
                .range(1, 10000)
                .help("Worker threads serving the data port. Keep it below a quarter of the system's thread "
                      "limit.");
    rows << Row("http_config.client_thread_num", T::Integer, 10)
                .range(1, 10000)
                .help("I/O threads of the client that talks to inference instances.");
    rows << Row("http_config.http_timeout_seconds", T::Integer, 600)
                .range(0, 3600)
                .unit("s")
                .help("Timeout of synchronous outbound calls (metrics, alarms, stopInfer).");
    rows
        << Row("http_config.keep_alive_seconds", T::Integer, 180)
               .range(0, 3600)
               .unit("s")
               .help(
                   "Idle time after which a data-port connection is closed; 0 never closes it. A value above "
                   "0 protects against idle-connection exhaustion.");
    rows << Row("http_config.server_name", T::String, "MindIE-MS")
                .help("Value of the Server header in every response.");
    rows << Row("http_config.user_agent", T::String, "Coordinator/1.0")
                .help("User-Agent header of outbound requests.");
}

void addLimitsMetricsAndTimeouts(QList<ConfigKey>& rows)
{
    rows << Row("request_limit", T::Object).help("Admission limits.");
    rows << Row("request_limit.single_node_max_requests", T::Integer, 1000)
                .range(1, 15000)
                .env(kSingleNodeEnv)
                .help(
                    "Maximum requests in flight on one instance; must not exceed what the instance supports. "
                    "The code accepts up to 15000 although the MindIE guide says 2000.");
    rows << Row("request_limit.max_requests", T::Integer, 10000)
                .range(1, 90000)
                .env(kMaxReqEnv)
                .help("Maximum requests in flight in total; also caps data-port connections and requests per "
                      "connection. An out-of-range environment value is clamped to 90000.");
    rows << Row("request_limit.body_limit", T::Integer, 10)
                .range(1, 20)
                .unit("MiB")
                .help("Largest request body, unchunked instance reply or reply chunk.");

    rows << Row("metrics_config", T::Object).help("Per-request performance statistics.");
    rows << Row("metrics_config.enable", T::Bool, false)
                .liveReloadable()
                .help("Write [PERF] timing reports to the run log. Costs throughput; meant for diagnosis.");
    rows << Row("metrics_config.trigger_size", T::Integer, 100)
                .range(1, 10000)
                .liveReloadable()
                .help("Number of finished requests per performance report.");

    rows << Row("prometheus_metrics_config", T::Object).help("Aggregated instance metrics on GET /metrics.");
    rows << Row("prometheus_metrics_config.reuse_time", T::Integer, 3)
                .range(1, 100)
                .unit("s")
                .liveReloadable()
                .help("A scrape within this many seconds of the last fresh one gets the cached body.");

    rows << Row("exception_config", T::Object).help("Retries and request timeouts, measured from arrival.");
    rows << Row("exception_config.max_retry", T::Integer, 5)
                .range(0, 10)
                .liveReloadable()
                .help("Retries of synchronous calls, D relinks and per-request resends.");
    rows << Row("exception_config.schedule_timeout", T::Integer, 600)
                .range(0, 3600)
                .unit("s")
                .liveReloadable()
                .help(
                    "A request not scheduled within this time gets 408; 0 disables it. Lowered at load time "
                    "to end 20 s before min(first_token_timeout, infer_timeout).");
    rows << Row("exception_config.first_token_timeout", T::Integer, 600)
                .range(0, 3600)
                .unit("s")
                .liveReloadable()
                .help("A scheduled request without a first token within this time gets 408; 0 disables it.");
    rows << Row("exception_config.infer_timeout", T::Integer, 600)
                .range(0, 65535)
                .unit("s")
                .liveReloadable()
                .help("A request not finished within this time gets 408; 0 disables it.");
    rows << Row("exception_config.tokenizer_timeout", T::Integer, 300)
                .range(0, 3600)
                .unit("s")
                .liveReloadable()
                .help("A tokenizer request still open after this time gets 408; 0 disables it.");
}

void addLogInfo(QList<ConfigKey>& rows)
{
    const QString applied = QStringLiteral(" The environment variable wins when set.");
    rows << Row("log_info", T::Object).optional().help("Run log and operation log settings.");
    rows << Row("log_info.log_level", T::EnumString, "INFO")
                .choices({"CRITICAL", "ERROR", "WARN", "INFO", "DEBUG"})
                .optional()
                .env("MINDIE_LOG_LEVEL")
                .liveReloadable()
                .help("Run log level; ERROR is fastest, DEBUG about ten times slower." + applied);
    rows << Row("log_info.to_file", T::Bool, true)
                .optional()
                .env("MINDIE_LOG_TO_FILE")
                .help("Write the logs to files." + applied);
    rows << Row("log_info.to_stdout", T::Bool, false)
                .optional()
                .env("MINDIE_LOG_TO_STDOUT")
                .help("Also write the run log to standard output (the sample file sets true)." + applied);
    rows << Row("log_info.run_log_path", T::FilePath)
                .optional()
                .env("MINDIE_LOG_PATH")
                .help("Run log file, used verbatim when MINDIE_LOG_PATH is unset; its directory must exist.");
    rows << Row("log_info.operation_log_path", T::FilePath)
                .optional()
                .env("MINDIE_LOG_PATH")
                .help("Operation (audit) log file, used verbatim when MINDIE_LOG_PATH is unset.");
    rows << Row("log_info.max_log_str_size", T::Integer, 4096)
                .range(128, 65535)
                .optional()
                .help("Longer log messages are split into pieces of this size.");
    rows << Row("log_info.max_log_file_size", T::Integer, 20)
                .range(1, 500)
                .unit("MiB")
                .optional()
                .env("MINDIE_LOG_ROTATE")
                .help("Size at which a log file is rotated." + applied);
    rows << Row("log_info.max_log_file_num", T::Integer, 10)
                .range(1, 64)
                .optional()
                .env("MINDIE_LOG_ROTATE")
                .help("Number of rotated files kept per log." + applied);
}

QList<ConfigKey> buildSchema()
{
    QList<ConfigKey> rows;
    addHttpConfig(rows);
    addLimitsMetricsAndTimeouts(rows);
    addLogInfo(rows);
    detail::addDigsSchedulerRows(rows);
    detail::addTlsRows(rows);
    detail::addBackupAndRuntimeRows(rows);
    return rows;
}

} // namespace

const QList<ConfigKey>& configSchema()
{
    static const QList<ConfigKey> schema = buildSchema();
    return schema;
}

const ConfigKey* findConfigKey(const QString& path)
{
    static const QHash<QString, qsizetype> index = [] {
        QHash<QString, qsizetype> byPath;
        const QList<ConfigKey>& schema = configSchema();
        for (qsizetype i = 0; i < schema.size(); ++i)
            byPath.insert(schema[i].path, i);
        return byPath;
    }();
    const auto it = index.constFind(path);
    return it == index.cend() ? nullptr : &configSchema()[*it];
}

const QStringList& httpPortPaths()
{
    static const QStringList paths = {"http_config.predict_port", "http_config.manage_port",
                                      "http_config.alarm_port", "http_config.external_port",
                                      "http_config.status_port"};
    return paths;
}

} // namespace coord::config
