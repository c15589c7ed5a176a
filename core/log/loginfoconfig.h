#pragma once

#include <QString>

namespace coord::log {

// The `log_info` block of ms_coordinator.json as the config loader hands it to the logger.
// Environment variables (MINDIE_LOG_*, MINDIEMS_LOG_LEVEL) are applied on top by the logger
// itself, so this struct carries the file's values only.
struct LogInfoConfig
{
    QString logLevel = QStringLiteral("INFO");
    bool toFile = true;
    bool toStdout = false;
    QString runLogPath;       // empty: use the MINDIE_LOG_PATH default layout
    QString operationLogPath; // empty: use the MINDIE_LOG_PATH default layout
    int maxLogStrSize = 4096;
    int maxLogFileSizeMb = 20;
    int maxLogFileNum = 10;
};

} // namespace coord::log
