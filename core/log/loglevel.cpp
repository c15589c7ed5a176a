#include "loglevel.h"

#include <array>

namespace coord::log {

namespace {

struct LevelEntry
{
    Level level;
    QLatin1StringView name;
};

constexpr std::array<LevelEntry, 6> kLevels{{
    {Level::Critical, QLatin1StringView("CRITICAL")},
    {Level::Error, QLatin1StringView("ERROR")},
    {Level::Warn, QLatin1StringView("WARN")},
    {Level::Info, QLatin1StringView("INFO")},
    {Level::Debug, QLatin1StringView("DEBUG")},
    {Level::Perf, QLatin1StringView("PERF")},
}};

} // namespace

QLatin1StringView levelName(Level level)
{
    for (const LevelEntry& entry : kLevels) {
        if (entry.level == level) {
            return entry.name;
        }
    }
    return QLatin1StringView("INFO");
}

std::optional<Level> parseLevel(QStringView name)
{
    const QStringView trimmed = name.trimmed();
    for (const LevelEntry& entry : kLevels) {
        if (trimmed.compare(entry.name, Qt::CaseInsensitive) == 0) {
            return entry.level;
        }
    }
    return std::nullopt;
}

std::optional<Level> parseThreshold(QStringView name)
{
    const std::optional<Level> level = parseLevel(name);
    if (level == Level::Perf) {
        return std::nullopt;
    }
    return level;
}

} // namespace coord::log
