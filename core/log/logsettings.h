#pragma once

#include <QDateTime>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include "loginfoconfig.h"
#include "loglevel.h"

namespace coord::log {

// Table 1 ranges of the log_info block.
inline constexpr int kMinLogStrSize = 128;
inline constexpr int kMaxLogStrSize = 65535;
inline constexpr int kDefaultLogStrSize = 4096;
inline constexpr int kDefaultFileSizeMb = 20;
inline constexpr int kDefaultFileCount = 10;
inline constexpr qint64 kBytesPerMb = 1024 * 1024;

// Everything the Logger needs, after JSON and environment have been merged (spec §10.3).
struct LogSettings
{
    bool enabled = true; // false when MINDIE_LOG_LEVEL selects "null": nothing is written at all
    Level level = Level::Info;
    bool toFile = true;
    bool toStdout = false;
    bool verbose = true; // MINDIE_LOG_VERBOSE; its documented default is true
    QString runLogFile;
    QString operationLogFile;
    int maxLogStrSize = kDefaultLogStrSize;
    qint64 maxFileBytes = kDefaultFileSizeMb * kBytesPerMb;
    int maxFileNum = kDefaultFileCount;
};

// Identifies the log files of one process run: mindie-ms_coordinator_<pid>_<YYYYmmddHHMMSSmmm>.log
struct LogFileStamp
{
    qint64 pid = 0;
    QDateTime startTime;

    static LogFileStamp current();
};

QString logFileName(const LogFileStamp& stamp);

// Merges the log_info block with the MINDIE_LOG_* / MINDIEMS_LOG_LEVEL variables in `env`.
// Precedence: new MINDIE_LOG_* variables > old MINDIEMS_LOG_LEVEL > JSON. An invalid value never
// stops the daemon: it is reported in `warnings` (naming the variable, the value and what is used
// instead) and the next-lower source applies. "~" means HOME from `env`, or the user's home.
LogSettings resolveLogSettings(const LogInfoConfig& json, const QProcessEnvironment& env,
                               QStringList* warnings);
LogSettings resolveLogSettings(const LogInfoConfig& json, const QProcessEnvironment& env,
                               const LogFileStamp& stamp, QStringList* warnings);

} // namespace coord::log
