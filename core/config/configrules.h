#pragma once

#include <QJsonObject>

#include "configproblem.h"
#include "configvalidator.h"

// Rules that involve more than one key, or a key and the file system. Each rule reads the values
// it needs and stays silent about values that are malformed, since the per-key checks already
// reported those.
namespace coord::config {

void checkSchedulerCombination(const QJsonObject& root, ValidationReport& report);
void checkListenAddresses(const QJsonObject& root, ValidationReport& report);
void checkDistinctPorts(const QJsonObject& root, ValidationReport& report);
void checkLoadCostCoefficients(const QJsonObject& root, ValidationReport& report);
void checkScheduleTimeoutAdjustment(const QJsonObject& root, ValidationReport& report);
void checkTlsFiles(const QJsonObject& root, const ValidationOptions& options, ValidationReport& report);

// All of the above, in that order (TLS files only when options.checkTlsFiles).
void applyCrossKeyRules(const QJsonObject& root, const ValidationOptions& options, ValidationReport& report);

} // namespace coord::config
