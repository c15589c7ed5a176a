#include "configoverrides.h"

#include <QRegularExpression>

#include "configcategory.h"
#include "configschema.h"
#include "configvalues.h"

namespace coord::config {

namespace {

const QString kMaxReqEnv = QStringLiteral("MINDIE_MS_COORDINATOR_CONFIG_MAX_REQ");

void applyIntegerEnv(QJsonObject& root, const ConfigKey& key, const QString& text, OverrideOutcome& outcome)
{
    static const QRegularExpression digits(QStringLiteral("^\\s*[+-]?[0-9]+\\s*$"));
    const bool looksNumeric = digits.match(text).hasMatch();
    if (!looksNumeric) {
        outcome.errors.append(
            {key.envVar, QStringLiteral("\"%1\" is not an integer").arg(text), key.allowedText()});
        return;
    }
    const std::optional<qint64> parsed = parseIntegerText(text); // nullopt here means it overflowed
    const bool inRange = parsed && *parsed >= key.minimum && *parsed <= key.maximum;
    qint64 value = parsed.value_or(0);
    if (!inRange) {
        if (key.envVar != kMaxReqEnv) {
            // Pass it on so that validation reports it against the key, naming the variable.
            if (!parsed) {
                outcome.errors.append({key.envVar,
                                       QStringLiteral("\"%1\" is out of range").arg(text.trimmed()),
                                       key.allowedText()});
                return;
            }
        } else {
            value = static_cast<qint64>(key.maximum);
            outcome.warnings.append({key.envVar,
                                     QStringLiteral("%1 is out of range; %2 is clamped to %3")
                                         .arg(text.trimmed(), key.path)
                                         .arg(value),
                                     key.allowedText()});
        }
    }
    if (setValueAt(root, key.path, QJsonValue(value))) {
        outcome.origins.insert(key.path, key.envVar);
        qCDebug(lcConfig) << "environment override" << key.envVar << "sets" << key.path << "to" << value;
    }
}

void applyArgument(QJsonObject& root, const QString& path, const QStringList& arguments, int index,
                   OverrideOutcome& outcome)
{
    if (setValueAt(root, path, arguments[index]))
        outcome.origins.insert(path, QStringLiteral("command-line argument %1").arg(index + 1));
}

} // namespace

void applyEnvironmentOverrides(QJsonObject& root, const QProcessEnvironment& env, OverrideOutcome& outcome)
{
    for (const ConfigKey& key : configSchema()) {
        // Only request_limit keys are overridden here; the MINDIE_LOG_* variables belong to the logger.
        if (key.envVar.isEmpty() || !key.path.startsWith(QLatin1String("request_limit.")))
            continue;
        const QString text = env.value(key.envVar);
        if (!text.isEmpty())
            applyIntegerEnv(root, key, text, outcome);
    }
}

QString positionalUsage()
{
    return QStringLiteral("ms_coordinator [<predict_ip> [<manage_ip>]] | "
                          "ms_coordinator <predict_ip> <predict_port> <manage_ip> <manage_port>");
}

void applyPositionalOverrides(QJsonObject& root, const QStringList& arguments, OverrideOutcome& outcome)
{
    const QString predictIp = QStringLiteral("http_config.predict_ip");
    const QString manageIp = QStringLiteral("http_config.manage_ip");
    switch (arguments.size()) {
    case 0:
        return;
    case 1:
        applyArgument(root, predictIp, arguments, 0, outcome);
        return;
    case 2:
        applyArgument(root, predictIp, arguments, 0, outcome);
        applyArgument(root, manageIp, arguments, 1, outcome);
        return;
    case 4:
        applyArgument(root, predictIp, arguments, 0, outcome);
        applyArgument(root, QStringLiteral("http_config.predict_port"), arguments, 1, outcome);
        applyArgument(root, manageIp, arguments, 2, outcome);
        applyArgument(root, QStringLiteral("http_config.manage_port"), arguments, 3, outcome);
        return;
    default:
        outcome.errors.append({QStringLiteral("command line"),
                               QStringLiteral("Incorrect usage: %1 positional arguments given. The expected "
                                              "format is: %2")
                                   .arg(arguments.size())
                                   .arg(positionalUsage()),
                               QStringLiteral("0, 1, 2 or 4 positional arguments")});
    }
}

} // namespace coord::config
