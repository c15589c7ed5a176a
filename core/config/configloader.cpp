#include "configloader.h"

#include <QFile>

#include "configbuilder.h"
#include "configcategory.h"
#include "configfilechecks.h"
#include "configoverrides.h"
#include "configparse.h"
#include "configvalidator.h"

namespace coord::config {

namespace {

const QString kConfigPathEnv = QStringLiteral("MINDIE_MS_COORDINATOR_CONFIG_FILE_PATH");

enum class PathOrigin
{
    Explicit,
    Environment,
    Default
};

PathOrigin pathOrigin(const LoadOptions& options)
{
    if (!options.explicitPath.isEmpty())
        return PathOrigin::Explicit;
    if (!options.env.value(kConfigPathEnv).isEmpty())
        return PathOrigin::Environment;
    return PathOrigin::Default;
}

// An operator-supplied path appears in problems with its origin so that a refused file is easy
// to trace back to the variable or option that named it.
QString describeOrigin(PathOrigin origin)
{
    switch (origin) {
    case PathOrigin::Explicit:
        return QStringLiteral(" (given on the command line)");
    case PathOrigin::Environment:
        return QStringLiteral(" (from %1)").arg(kConfigPathEnv);
    case PathOrigin::Default:
        return QStringLiteral(" (default location)");
    }
    return {};
}

LoadResult unreadable(const QString& path, const QString& message, const QString& allowed = {})
{
    LoadResult result;
    result.status = LoadStatus::Unreadable;
    result.sourcePath = path;
    result.errors.append({path, message, allowed});
    return result;
}

void appendOrigins(QList<ConfigProblem>& problems, const QHash<QString, QString>& origins)
{
    for (ConfigProblem& problem : problems) {
        const auto it = origins.constFind(problem.path);
        if (it != origins.cend())
            problem.message += QStringLiteral("; value from ") + *it;
    }
}

LoadResult validateDocument(const QByteArray& json, const LoadOptions& options, const QString& sourceName,
                            bool checkTlsFiles)
{
    LoadResult result;
    const ParsedDocument parsed = parseConfigDocument(json, sourceName);
    if (!parsed.errors.isEmpty()) {
        result.errors = parsed.errors;
        return result;
    }

    QJsonObject root = parsed.root;
    OverrideOutcome overrides;
    applyEnvironmentOverrides(root, options.env, overrides);
    applyPositionalOverrides(root, options.positionalArgs, overrides);
    result.effectiveJson = root;

    ValidationOptions validation;
    validation.checkTlsFiles = checkTlsFiles;
    validation.env = options.env;
    validation.workingDir = options.workingDir;
    ValidationReport report = validateConfig(root, validation);
    appendOrigins(report.errors, overrides.origins);

    result.errors = overrides.errors + report.errors;
    result.warnings = toStringList(overrides.warnings + report.warnings);
    if (result.errors.isEmpty()) {
        result.status = LoadStatus::Ok;
        result.config = buildCoordinatorConfig(root);
    }
    return result;
}

} // namespace

QString configFilePath(const LoadOptions& options)
{
    switch (pathOrigin(options)) {
    case PathOrigin::Explicit:
        return resolveInputPath(options.workingDir, options.explicitPath);
    case PathOrigin::Environment:
        return resolveInputPath(options.workingDir, options.env.value(kConfigPathEnv));
    case PathOrigin::Default:
        break;
    }
    // The built-in location is ours, so it is normalised; operator-supplied paths are checked as written.
    return QDir::cleanPath(
        QDir(options.workingDir).absoluteFilePath(QStringLiteral("../conf/ms_coordinator.json")));
}

LoadResult loadCoordinatorConfig(const LoadOptions& options)
{
    const PathOrigin origin = pathOrigin(options);
    const QString path = configFilePath(options);
    const bool relaxed = origin != PathOrigin::Default && permissionChecksRelaxed(options.env);
    const FileCheckPolicy policy = fileCheckPolicy(InputFileKind::ConfigFile, relaxed);
    const FileCheckResult check = checkInputFile(path, policy);
    if (!check.ok())
        return unreadable(path, check.message + describeOrigin(origin), policy.describe());

    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return unreadable(path, QStringLiteral("cannot be read: %1").arg(file.errorString()));
    const QByteArray json = file.readAll();
    qCDebug(lcConfig) << "read" << json.size() << "bytes of configuration from" << path;

    LoadResult result = validateDocument(json, options, path, options.checkTlsFiles);
    result.sourcePath = path;
    return result;
}

LoadResult validateConfigJson(const QByteArray& json, const LoadOptions& options)
{
    return validateDocument(json, options, QStringLiteral("ms_coordinator.json"), false);
}

} // namespace coord::config
