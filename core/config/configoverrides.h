#pragma once

#include <QHash>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QStringList>

#include "configproblem.h"

// Values that replace what the file says: environment variables (spec 5.1) and the positional
// command-line arguments (spec 7.1). They are written into the document before validation, so
// one set of checks covers every source; `origins` lets problems name where a value came from.
namespace coord::config {

struct OverrideOutcome
{
    QList<ConfigProblem> errors;
    QList<ConfigProblem> warnings;
    QHash<QString, QString>
        origins; // JSON path -> "MINDIE_MS_COORDINATOR_CONFIG_MAX_REQ", "command-line argument 2"
};

// MINDIE_MS_COORDINATOR_CONFIG_MAX_REQ and ..._SINGLE_NODE_MAX_REQ. An empty variable counts as
// unset. A value that is not an integer is an error naming the variable. An out-of-range
// MAX_REQ is clamped to 90000 with a warning (as MindIE does); an out-of-range SINGLE_NODE_MAX_REQ
// is passed on and rejected by validation, because MindIE defines no clamp for it.
void applyEnvironmentOverrides(QJsonObject& root, const QProcessEnvironment& env, OverrideOutcome& outcome);

// `[predict_ip [manage_ip]]` or `predict_ip predict_port manage_ip manage_port`. Three or more
// than four arguments is an error carrying positionalUsage(). The values themselves are checked
// by validation like file values.
void applyPositionalOverrides(QJsonObject& root, const QStringList& arguments, OverrideOutcome& outcome);

QString positionalUsage();

} // namespace coord::config
