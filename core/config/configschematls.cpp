// tls_config, backup_config and run-time polled rows of the schema table, and the TLS block list.
#include "configschemarow.h"

namespace coord::config {

namespace {

using T = ValueType;
using R = Requirement;
using detail::Row;

struct TlsSample
{
    const char* name;
    const char* directory; // directory used by the documented sample file
    bool serverSide;
    const char* purpose;
};

const TlsSample kTlsSamples[] = {
    {"controller_server", "controller", true, "Controller to the manage port"},
    {"request_server", "request", true, "users to the data port"},
    {"mindie_client", "mindie", false, "inference instances (P, D, mixed, /dresult, stopInfer, tokenizer)"},
    {"mindie_mangment", "mindie_mgmt", false, "instance metric ports (the key keeps MindIE's spelling)"},
    {"external", "external", true, "scrapers of GET /metrics on the external port"},
    {"status", "status", true, "probes on the status port"},
    {"etcd_server", "etcd_server", false, "etcd, for master/standby election"},
    {"alarm_client", "alarm", false, "the Controller's alarm port"},
};

} // namespace

namespace detail {

void addTlsRows(QList<ConfigKey>& rows)
{
    rows << Row("tls_config", T::Object)
                .help("Mutual TLS (1.3 only) per link; all 8 *_tls_enable keys are required.");
    for (const TlsBlockInfo& block : tlsBlocks()) {
        QString sampleDir;
        for (const TlsSample& sample : kTlsSamples) {
            if (block.name == QLatin1String(sample.name))
                sampleDir = QStringLiteral("./security/%1/").arg(QLatin1String(sample.directory));
        }
        const QString enable = block.enablePath();
        const QString items = block.itemsPath();
        const auto item = [&](const char* key) { return items + QLatin1Char('.') + QLatin1String(key); };

        rows << Row(enable, T::Bool, true)
                    .help(QStringLiteral("TLS on the link from %1; false makes it plain TCP.")
                              .arg(block.purpose));
        rows << Row(items, T::Object)
                    .required(R::WhenTlsBlockEnabled, enable)
                    .help(QStringLiteral("Certificate files for the %1 link.").arg(block.name));
        rows << Row(item("ca_cert"), T::FilePath, sampleDir + "security/certs/ca.pem")
                    .required(R::WhenTlsBlockEnabled, enable)
                    .help("CA certificate (PEM) that the peer's certificate must chain to. Mode 0400 or "
                          "stricter, owned by the process user.");
        rows << Row(item("tls_cert"), T::FilePath, sampleDir + "security/certs/cert.pem")
                    .required(R::WhenTlsBlockEnabled, enable)
                    .help("Our certificate (PEM). Mode 0400 or stricter, owned by the process user.");
        rows << Row(item("tls_key"), T::FilePath, sampleDir + "security/keys/cert.key.pem")
                    .required(R::WhenTlsBlockEnabled, enable)
                    .help("Our password-encrypted private key (PEM). Mode 0400 or stricter.");
        rows << Row(item("tls_passwd"), T::FilePath, sampleDir + "security/pass/key_pwd.txt")
                    .required(R::WhenTlsBlockEnabled, enable)
                    .help("File holding the private key's password. Mode 0400 or stricter.");
        rows << Row(item("kmcKsfMaster"), T::FilePath, sampleDir + "tools/pmt/master/ksfa")
                    .optional()
                    .mayBeEmpty()
                    .help("KMC master key file from the MindIE guide; accepted but not read by this "
                          "coordinator.");
        rows << Row(item("kmcKsfStandby"), T::FilePath, sampleDir + "tools/pmt/standby/ksfb")
                    .optional()
                    .mayBeEmpty()
                    .help("KMC standby key file from the MindIE guide; accepted but not read by this "
                          "coordinator.");
        rows << Row(item("tls_crl"), T::FilePath, "")
                    .required(R::WhenTlsBlockEnabled, enable)
                    .mayBeEmpty()
                    .help(
                        "Certificate revocation list (PEM); empty disables revocation checks. An expired CRL "
                        "only warns.");
    }
}

void addBackupAndRuntimeRows(QList<ConfigKey>& rows)
{
    const QString enable = QStringLiteral("backup_config.function_enable");
    rows << Row("backup_config", T::Object).optional().help("Master/standby election through an etcd lock.");
    rows << Row("backup_config.database_server_dns", T::String, "etcd.default.svc.cluster.local")
                .required(R::WhenBackupEnabled, enable)
                .help("Host name of the etcd service.");
    rows << Row("backup_config.database_server_port", T::Integer, 2379)
                .range(1024, 65535)
                .required(R::WhenBackupEnabled, enable)
                .help("Port of the etcd service.");
    rows << Row(enable, T::Bool, false)
                .optional()
                .help("Run as one of two coordinators that elect a master through etcd; the standby answers "
                      "readiness with 503.");

    // MindIE polls $MIES_INSTALL_PATH/conf/ms_coordinator.json for these at run time, which is often
    // this same file, so they must not be flagged as typos. The run-time handler corrects bad values.
    rows << Row("LogConfig", T::Object)
                .optional()
                .advisory()
                .liveReloadable()
                .help("Dynamic log level, polled every second from "
                      "$MIES_INSTALL_PATH/conf/ms_coordinator.json.");
    rows << Row("LogConfig.dynamicLogLevel", T::String)
                .optional()
                .mayBeEmpty()
                .advisory()
                .liveReloadable()
                .help("Temporary log level; empty clears it.");
    rows << Row("LogConfig.dynamicLogLevelValidHours", T::Integer)
                .range(1, 168)
                .optional()
                .advisory()
                .liveReloadable()
                .help("Hours the temporary log level stays in force.");
    rows << Row("LogConfig.dynamicLogLevelValidTime", T::String)
                .optional()
                .mayBeEmpty()
                .advisory()
                .liveReloadable()
                .help("Time (YYYY-mm-dd HH:MM:SS) the temporary log level was set.");
    rows << Row("EnableDynamicAdjustTimeoutConfig", T::Bool, false)
                .optional()
                .advisory()
                .liveReloadable()
                .help("Polled every 5 s; true raises the timeouts to 3600 / 3600 / 65536.");
}

} // namespace detail

QString TlsBlockInfo::enablePath() const
{
    return QStringLiteral("tls_config.%1_tls_enable").arg(name);
}

QString TlsBlockInfo::itemsPath() const
{
    return QStringLiteral("tls_config.%1_tls_items").arg(name);
}

const QList<TlsBlockInfo>& tlsBlocks()
{
    static const QList<TlsBlockInfo> blocks = [] {
        QList<TlsBlockInfo> list;
        for (const TlsSample& sample : kTlsSamples)
            list.append({QLatin1String(sample.name), sample.serverSide, QLatin1String(sample.purpose)});
        return list;
    }();
    return blocks;
}

} // namespace coord::config
