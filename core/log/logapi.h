#pragma once

#include <QString>

#include "logger.h"

// Short calls for the lines that have no Qt logging macro: the operation (audit) log, PERF lines
// and non-fatal CRITICAL lines. Everything else is logged with qCInfo/qCWarning/... on a module's
// category and reaches the run log through the Qt message handler.
namespace coord::log {

// One operation-log line, e.g. operation(QStringLiteral("[Add] Add instance P IP %1").arg(addr)).
void operation(const QString& message);

// One PERF line in the run log; written whatever the threshold.
void perf(const QString& message);

} // namespace coord::log

// A CRITICAL run-log line that does not abort (qFatal would). Records the call site.
#define COORD_LOG_CRITICAL(message)                                                                          \
    ::coord::log::Logger::instance().writeRun(::coord::log::Level::Critical, (message), __FILE__, __LINE__)
