#pragma once

#include <QDir>
#include <QJsonObject>
#include <QProcessEnvironment>

#include "configproblem.h"

namespace coord::config {

struct ValidationOptions
{
    // Check that the files of every enabled TLS block exist and pass checkInputFile(). Off for
    // documents that will run elsewhere (console editor, conf/ samples in tests).
    bool checkTlsFiles = false;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment(); // MINDIE_CHECK_INPUTFILES_PERMISSION
    QString workingDir = QDir::currentPath();                           // base of relative TLS file paths
};

// Checks a parsed ms_coordinator.json against the schema table and the cross-key rules and
// returns every problem found; it never stops at the first one.
//  - errors: wrong type, out of range, missing required key, unknown enum value, invalid
//    deploy/scheduler/algorithm combination, duplicate ports, all-zero IP without permission,
//    bad load_cost_* strings, TLS files that fail the file checks.
//  - warnings: unknown keys (likely typos), fewer than 9 load_cost_coefficient numbers (the
//    defaults are used), the schedule_timeout adjustment, problems in advisory keys.
ValidationReport validateConfig(const QJsonObject& root, const ValidationOptions& options = {});

} // namespace coord::config
