#include "configrules.h"

#include <optional>

#include "configfilechecks.h"
#include "configschema.h"
#include "configtimeouts.h"
#include "configvalues.h"

namespace coord::config {

namespace {

const QString kDeployMode = QStringLiteral("digs_scheduler_config.deploy_mode");
const QString kSchedulerType = QStringLiteral("digs_scheduler_config.scheduler_type");
const QString kAlgorithmType = QStringLiteral("digs_scheduler_config.algorithm_type");

// Value of an enum key if it is one of its allowed values.
std::optional<QString> knownEnumValue(const QJsonObject& root, const QString& path)
{
    const ConfigKey* key = findConfigKey(path);
    const QString text = valueAt(root, path).toString();
    if (key && key->allowedValues.contains(text))
        return text;
    return std::nullopt;
}

std::optional<qint64> integerAt(const QJsonObject& root, const QString& path)
{
    const QJsonValue value = valueAt(root, path);
    if (!value.isDouble() || value.toDouble() != static_cast<double>(value.toInteger()))
        return std::nullopt;
    return value.toInteger();
}

} // namespace

void checkSchedulerCombination(const QJsonObject& root, ValidationReport& report)
{
    const std::optional<QString> mode = knownEnumValue(root, kDeployMode);
    const std::optional<QString> scheduler = knownEnumValue(root, kSchedulerType);
    const std::optional<QString> algorithm = knownEnumValue(root, kAlgorithmType);
    if (!mode || !scheduler || !algorithm)
        return;

    const bool singleNode = *mode == QLatin1String("single_node");
    const bool digs = *scheduler == QLatin1String("digs_scheduler");
    if (singleNode && digs) {
        report.addError(kSchedulerType,
                        QStringLiteral("\"digs_scheduler\" cannot be used with deploy_mode \"single_node\""),
                        QStringLiteral("\"default_scheduler\" for single_node"));
        return;
    }
    QStringList fitting;
    if (singleNode)
        fitting = {"cache_affinity", "round_robin"};
    else if (digs)
        fitting = {"load_balance"};
    else
        fitting = {"round_robin"};
    if (!fitting.contains(*algorithm)) {
        report.addError(
            kAlgorithmType,
            QStringLiteral("\"%1\" cannot be used with deploy_mode \"%2\" and scheduler_type \"%3\"")
                .arg(*algorithm, *mode, *scheduler),
            QLatin1Char('"') + fitting.join(QStringLiteral("\", \"")) + QLatin1Char('"'));
    }
}

void checkListenAddresses(const QJsonObject& root, ValidationReport& report)
{
    if (valueAt(root, QStringLiteral("http_config.allow_all_zero_ip_listening")).toBool(false))
        return;
    for (const char* path : {"http_config.predict_ip", "http_config.manage_ip"}) {
        const QString address = valueAt(root, path).toString();
        if (isAllZeroIpAddress(address)) {
            report.addError(
                path,
                QStringLiteral("\"%1\" listens on all interfaces, but allow_all_zero_ip_listening is "
                               "false")
                    .arg(address),
                QStringLiteral("a specific address, or set http_config.allow_all_zero_ip_listening "
                               "to true"));
        }
    }
}

void checkDistinctPorts(const QJsonObject& root, ValidationReport& report)
{
    const QStringList& paths = httpPortPaths();
    QList<std::optional<qint64>> ports;
    for (const QString& path : paths)
        ports.append(parseIntegerText(valueAt(root, path).toString()));
    for (qsizetype later = 1; later < paths.size(); ++later) {
        for (qsizetype earlier = 0; earlier < later; ++earlier) {
            if (ports[later] && ports[earlier] && *ports[later] == *ports[earlier]) {
                report.addError(
                    paths[later],
                    QStringLiteral("port %1 is also used by %2").arg(*ports[later]).arg(paths[earlier]),
                    QStringLiteral("a port different from the other four http_config ports"));
                break;
            }
        }
    }
}

void checkLoadCostCoefficients(const QJsonObject& root, ValidationReport& report)
{
    const QString path = QStringLiteral("digs_scheduler_config.load_cost_coefficient");
    if (valueAt(root, kAlgorithmType).toString() != QLatin1String("load_balance"))
        return;
    const NumberList list = parseNumberList(valueAt(root, path).toString());
    if (!list.invalidElements.isEmpty() || list.numbers.size() != 9)
        return; // already reported (or fewer than 9: defaults are used)
    static const char* const names[] = {"a", "i", "o", "n", "k", "m", "r", "b", "c"};
    const ConfigKey* key = findConfigKey(path);
    for (int i = 0; i < 9; ++i) {
        // n is the AICore count and k the cores per group; both divide in the load formula.
        const double minimum = (i == 3 || i == 4) ? 1.0 : 0.0;
        if (list.numbers[i] < minimum) {
            report.addError(path,
                            QStringLiteral("coefficient %1 (#%2) is %3, below %4")
                                .arg(QLatin1String(names[i]))
                                .arg(i + 1)
                                .arg(formatNumber(list.numbers[i]), formatNumber(minimum)),
                            key ? key->allowedText() : QString());
        }
    }
}

void checkScheduleTimeoutAdjustment(const QJsonObject& root, ValidationReport& report)
{
    const std::optional<qint64> schedule =
        integerAt(root, QStringLiteral("exception_config.schedule_timeout"));
    const std::optional<qint64> firstToken =
        integerAt(root, QStringLiteral("exception_config.first_token_timeout"));
    const std::optional<qint64> infer = integerAt(root, QStringLiteral("exception_config.infer_timeout"));
    if (!schedule || !firstToken || !infer)
        return;
    const qint64 effective = effectiveScheduleTimeout(*schedule, *firstToken, *infer);
    if (effective == *schedule)
        return;
    report.addWarning(QStringLiteral("exception_config.schedule_timeout"),
                      QStringLiteral("adjusted from %1 to %2%3 so that it ends %4 s before "
                                     "first_token_timeout/infer_timeout")
                          .arg(*schedule)
                          .arg(effective)
                          .arg(effective == 0 ? QStringLiteral(" (disabled)") : QString())
                          .arg(kScheduleTimeoutMargin));
}

void checkTlsFiles(const QJsonObject& root, const ValidationOptions& options, ValidationReport& report)
{
    struct TlsFileKey
    {
        const char* key;
        InputFileKind kind;
    };
    static const TlsFileKey fileKeys[] = {{"ca_cert", InputFileKind::TlsCertificate},
                                          {"tls_cert", InputFileKind::TlsCertificate},
                                          {"tls_key", InputFileKind::TlsSecret},
                                          {"tls_passwd", InputFileKind::TlsSecret},
                                          {"tls_crl", InputFileKind::TlsCertificate}};
    const bool relaxed = permissionChecksRelaxed(options.env);
    for (const TlsBlockInfo& block : tlsBlocks()) {
        if (!valueAt(root, block.enablePath()).toBool(false))
            continue;
        for (const TlsFileKey& fileKey : fileKeys) {
            const QString path = block.itemsPath() + QLatin1Char('.') + QLatin1String(fileKey.key);
            const QString file = valueAt(root, path).toString();
            if (file.isEmpty() || file.size() > 4096)
                continue; // empty tls_crl is allowed; the other cases were reported per key
            const FileCheckPolicy policy = fileCheckPolicy(fileKey.kind, relaxed);
            const FileCheckResult result = checkInputFile(resolveInputPath(options.workingDir, file), policy);
            if (!result.ok())
                report.addError(path, result.message, policy.describe());
        }
    }
}

void applyCrossKeyRules(const QJsonObject& root, const ValidationOptions& options, ValidationReport& report)
{
    checkSchedulerCombination(root, report);
    checkListenAddresses(root, report);
    checkDistinctPorts(root, report);
    checkLoadCostCoefficients(root, report);
    checkScheduleTimeoutAdjustment(root, report);
    if (options.checkTlsFiles)
        checkTlsFiles(root, options, report);
}

} // namespace coord::config
