#pragma once

#include <QByteArray>
#include <QDir>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QStringList>

#include "configproblem.h"
#include "coordinatorconfig.h"

namespace coord::config {

enum class LoadStatus
{
    Ok,         // valid; `config` is filled in
    Invalid,    // the file was read but its content is wrong (syntax, schema, rules, overrides)
    Unreadable, // missing, not readable, or refused by the file checks (symlink, mode, owner, path)
};

struct LoadOptions
{
    QString explicitPath;       // --config / --check-config PATH; wins over the environment
    QStringList positionalArgs; // [predict_ip [manage_ip]] or the four-argument form
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    QString workingDir = QDir::currentPath(); // base of the default path and of relative paths
    bool checkTlsFiles = true; // loadCoordinatorConfig only: files of enabled TLS blocks must pass
                               // the checks; turn off to check content alone
};

struct LoadResult
{
    LoadStatus status = LoadStatus::Invalid;
    CoordinatorConfig config; // meaningful only when status == Ok
    QList<ConfigProblem> errors;
    QStringList warnings;      // ConfigProblem::toString() lines
    QString sourcePath;        // the file that was (or would have been) read; empty for in-memory JSON
    QJsonObject effectiveJson; // the document after environment and command-line overrides
};

// Where the config file is looked for: explicitPath, else $MINDIE_MS_COORDINATOR_CONFIG_FILE_PATH,
// else ../conf/ms_coordinator.json relative to workingDir.
QString configFilePath(const LoadOptions& options);

// Locates, checks, reads, overrides and validates ms_coordinator.json. The file checks follow spec
// 7.2; MINDIE_CHECK_INPUTFILES_PERMISSION=0 relaxes them for a path from the environment or
// from explicitPath, never for the default path. Nothing falls back to a default silently.
LoadResult loadCoordinatorConfig(const LoadOptions& options);

// The same from JSON text, without any file checks (config file or TLS files). Used by tests and
// by editors that validate a document before it is deployed.
LoadResult validateConfigJson(const QByteArray& json, const LoadOptions& options);

} // namespace coord::config
