#include "logsettings.h"

#include <QCoreApplication>
#include <QDir>

#include "envvalue.h"

namespace coord::log {

namespace {

const QString kNewLevelVar = QStringLiteral("MINDIE_LOG_LEVEL");
const QString kOldLevelVar = QStringLiteral("MINDIEMS_LOG_LEVEL");
const QString kToFileVar = QStringLiteral("MINDIE_LOG_TO_FILE");
const QString kToStdoutVar = QStringLiteral("MINDIE_LOG_TO_STDOUT");
const QString kVerboseVar = QStringLiteral("MINDIE_LOG_VERBOSE");
const QString kPathVar = QStringLiteral("MINDIE_LOG_PATH");
const QString kRotateVar = QStringLiteral("MINDIE_LOG_ROTATE");

// Collects warnings so that each resolution step stays a few lines long.
class WarningSink
{
public:
    explicit WarningSink(QStringList* out) : m_out(out) {}

    void invalid(const QString& source, const QString& value, const QString& expected,
                 const QString& fallback)
    {
        if (m_out) {
            m_out->append(QStringLiteral("%1 has invalid value '%2' (%3); using %4 instead")
                              .arg(source, value, expected, fallback));
        }
    }

private:
    QStringList* m_out;
};

// The value of a MINDIE_LOG_* variable addressed to us, or nullopt when unset, empty or scoped
// to other components only.
std::optional<QString> scopedEnv(const QProcessEnvironment& env, const QString& name)
{
    const QString raw = env.value(name);
    if (raw.trimmed().isEmpty()) {
        return std::nullopt;
    }
    std::optional<QString> value = componentValue(raw);
    if (value && value->isEmpty()) {
        return std::nullopt;
    }
    return value;
}

void resolveLevel(const LogInfoConfig& json, const QProcessEnvironment& env, LogSettings* out,
                  WarningSink& warn)
{
    const QString expected = QStringLiteral("expected CRITICAL, ERROR, WARN, INFO or DEBUG");
    if (const std::optional<QString> value = scopedEnv(env, kNewLevelVar)) {
        if (value->compare(QStringLiteral("null"), Qt::CaseInsensitive) == 0) {
            out->enabled = false;
            return;
        }
        if (const std::optional<Level> level = parseThreshold(*value)) {
            out->level = *level;
            return;
        }
        const bool haveOld = !env.value(kOldLevelVar).trimmed().isEmpty();
        warn.invalid(kNewLevelVar, *value, expected + QStringLiteral(" or null"),
                     haveOld ? kOldLevelVar : QStringLiteral("log_info.log_level"));
    }
    const QString oldValue = env.value(kOldLevelVar).trimmed();
    if (!oldValue.isEmpty()) {
        if (const std::optional<Level> level = parseThreshold(oldValue)) {
            out->level = *level;
            return;
        }
        warn.invalid(kOldLevelVar, oldValue, expected, QStringLiteral("log_info.log_level"));
    }
    if (const std::optional<Level> level = parseThreshold(json.logLevel)) {
        out->level = *level;
        return;
    }
    warn.invalid(QStringLiteral("log_info.log_level"), json.logLevel, expected, QStringLiteral("INFO"));
    out->level = Level::Info;
}

bool resolveBool(const QProcessEnvironment& env, const QString& name, bool fallback,
                 const QString& fallbackSource, WarningSink& warn)
{
    const std::optional<QString> value = scopedEnv(env, name);
    if (!value) {
        return fallback;
    }
    if (const std::optional<bool> parsed = parseBoolValue(*value)) {
        return *parsed;
    }
    warn.invalid(name, *value, QStringLiteral("expected true, false, 1 or 0"),
                 QStringLiteral("%1 (%2)").arg(fallbackSource,
                                               fallback ? QStringLiteral("true") : QStringLiteral("false")));
    return fallback;
}

int checkedRange(const QString& key, int value, int min, int max, int fallback, WarningSink& warn)
{
    if (value >= min && value <= max) {
        return value;
    }
    warn.invalid(key, QString::number(value), QStringLiteral("expected %1..%2").arg(min).arg(max),
                 QStringLiteral("the default %1").arg(fallback));
    return fallback;
}

void resolveSizes(const LogInfoConfig& json, const QProcessEnvironment& env, LogSettings* out,
                  WarningSink& warn)
{
    out->maxLogStrSize = checkedRange(QStringLiteral("log_info.max_log_str_size"), json.maxLogStrSize,
                                      kMinLogStrSize, kMaxLogStrSize, kDefaultLogStrSize, warn);
    int fileSizeMb = checkedRange(QStringLiteral("log_info.max_log_file_size"), json.maxLogFileSizeMb,
                                  kMinFileSizeMb, kMaxFileSizeMb, kDefaultFileSizeMb, warn);
    int fileCount = checkedRange(QStringLiteral("log_info.max_log_file_num"), json.maxLogFileNum,
                                 kMinFileCount, kMaxFileCount, kDefaultFileCount, warn);
    if (const std::optional<QString> value = scopedEnv(env, kRotateVar)) {
        QString problem;
        if (const std::optional<RotateOption> rotate = parseRotateOption(*value, &problem)) {
            fileSizeMb = rotate->fileSizeMb.value_or(fileSizeMb);
            fileCount = rotate->fileCount.value_or(fileCount);
        } else {
            warn.invalid(kRotateVar, *value, problem,
                         QStringLiteral("max_log_file_size %1 MB and max_log_file_num %2")
                             .arg(fileSizeMb)
                             .arg(fileCount));
        }
    }
    out->maxFileBytes = fileSizeMb * kBytesPerMb;
    out->maxFileNum = fileCount;
}

QString homeDir(const QProcessEnvironment& env)
{
    const QString home = env.value(QStringLiteral("HOME"));
    return home.isEmpty() ? QDir::homePath() : home;
}

void resolvePaths(const LogInfoConfig& json, const QProcessEnvironment& env, const LogFileStamp& stamp,
                  LogSettings* out)
{
    const QString defaultBase = homeDir(env) + QStringLiteral("/mindie/log");
    const QString fileName = logFileName(stamp);
    const auto layout = [&fileName](const QString& base, const char* kind) {
        return QDir::cleanPath(base + u'/' + QLatin1StringView(kind) + u'/' + fileName);
    };

    if (const std::optional<QString> path = scopedEnv(env, kPathVar)) {
        const QString base = QDir::isAbsolutePath(*path)
                                 ? *path + QStringLiteral("/log")
                                 : defaultBase + u'/' + *path + QStringLiteral("/log");
        out->runLogFile = layout(base, "debug");
        out->operationLogFile = layout(base, "security");
        return;
    }
    // Without MINDIE_LOG_PATH the JSON paths name the files themselves and are used verbatim.
    out->runLogFile = json.runLogPath.isEmpty() ? layout(defaultBase, "debug") : json.runLogPath;
    out->operationLogFile =
        json.operationLogPath.isEmpty() ? layout(defaultBase, "security") : json.operationLogPath;
}

} // namespace

LogFileStamp LogFileStamp::current()
{
    return LogFileStamp{QCoreApplication::applicationPid(), QDateTime::currentDateTime()};
}

QString logFileName(const LogFileStamp& stamp)
{
    return QStringLiteral("mindie-ms_coordinator_%1_%2.log")
        .arg(stamp.pid)
        .arg(stamp.startTime.toString(QStringLiteral("yyyyMMddHHmmsszzz")));
}

LogSettings resolveLogSettings(const LogInfoConfig& json, const QProcessEnvironment& env,
                               QStringList* warnings)
{
    return resolveLogSettings(json, env, LogFileStamp::current(), warnings);
}

LogSettings resolveLogSettings(const LogInfoConfig& json, const QProcessEnvironment& env,
                               const LogFileStamp& stamp, QStringList* warnings)
{
    WarningSink warn(warnings);
    LogSettings settings;
    resolveLevel(json, env, &settings, warn);
    settings.toFile = resolveBool(env, kToFileVar, json.toFile, QStringLiteral("log_info.to_file"), warn);
    settings.toStdout =
        resolveBool(env, kToStdoutVar, json.toStdout, QStringLiteral("log_info.to_stdout"), warn);
    settings.verbose = resolveBool(env, kVerboseVar, true, QStringLiteral("the default"), warn);
    resolveSizes(json, env, &settings, warn);
    resolvePaths(json, env, stamp, &settings);
    return settings;
}

} // namespace coord::log
