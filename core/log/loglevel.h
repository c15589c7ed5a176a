#pragma once

#include <optional>

#include <QLatin1StringView>
#include <QStringView>

namespace coord::log {

// Severity of a run-log line. The numeric order is the verbosity order: a threshold of Info lets
// Critical..Info through. Perf sits outside that order: perf lines are written whenever logging
// is enabled at all, whatever the threshold.
enum class Level
{
    Critical = 0,
    Error = 1,
    Warn = 2,
    Info = 3,
    Debug = 4,
    Perf = 5,
};

// The upper-case name written into the line: "CRITICAL", "ERROR", "WARN", "INFO", "DEBUG", "PERF".
QLatin1StringView levelName(Level level);

// Parses one of the six names, case-insensitively and ignoring surrounding whitespace.
std::optional<Level> parseLevel(QStringView name);

// Parses a name usable as a threshold: the five ordered levels, not PERF.
std::optional<Level> parseThreshold(QStringView name);

} // namespace coord::log
