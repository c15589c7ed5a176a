#pragma once

// Helpers shared by the config tests: documents to start from, small edits, and readable
// summaries of a report for failure messages.
#include <ostream>
#include <string>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

#include <sys/stat.h>

#include "config/configproblem.h"
#include "config/configschema.h"
#include "config/configvalidator.h"
#include "config/configvalues.h"
#include "config/defaultconfig.h"

// Readable gtest output for JSON values (Qt types live in the global namespace).
inline void PrintTo(const QJsonValue& value, std::ostream* os)
{
    *os << coord::config::describeJsonValue(value).toStdString();
}

namespace coord::config::test {

inline QJsonObject defaultRoot()
{
    return QJsonDocument::fromJson(defaultConfigJson()).object();
}

inline QJsonObject with(QJsonObject root, const QString& path, const QJsonValue& value)
{
    setValueAt(root, path, value);
    return root;
}

inline QJsonObject without(QJsonObject root, const QString& path)
{
    const QString parent = path.section(QLatin1Char('.'), 0, -2);
    if (parent.isEmpty()) {
        root.remove(path);
        return root;
    }
    QJsonObject object = valueAt(root, parent).toObject();
    object.remove(path.section(QLatin1Char('.'), -1));
    setValueAt(root, parent, object);
    return root;
}

// single_node + default_scheduler + cache_affinity, everything else as in the default.
inline QJsonObject singleNodeRoot()
{
    QJsonObject root = with(defaultRoot(), "digs_scheduler_config.deploy_mode", "single_node");
    root = with(root, "digs_scheduler_config.scheduler_type", "default_scheduler");
    return with(root, "digs_scheduler_config.algorithm_type", "cache_affinity");
}

inline QJsonObject backupRoot()
{
    return with(defaultRoot(), "backup_config.function_enable", true);
}

inline QJsonObject tlsOffRoot()
{
    QJsonObject root = defaultRoot();
    for (const TlsBlockInfo& block : tlsBlocks())
        root = with(root, block.enablePath(), false);
    return root;
}

// A document in which `key`'s requirement applies.
inline QJsonObject rootActivating(const ConfigKey& key)
{
    switch (key.requirement) {
    case Requirement::WhenCacheAffinity:
        return singleNodeRoot();
    case Requirement::WhenBackupEnabled:
        return backupRoot();
    default:
        return defaultRoot();
    }
}

inline ValidationReport validate(const QJsonObject& root)
{
    return validateConfig(root, ValidationOptions{});
}

inline QStringList errorPaths(const ValidationReport& report)
{
    QStringList paths;
    for (const ConfigProblem& problem : report.errors)
        paths.append(problem.path);
    return paths;
}

inline bool hasErrorAt(const ValidationReport& report, const QString& path)
{
    return errorPaths(report).contains(path);
}

inline std::string describe(const ValidationReport& report)
{
    QStringList lines = toStringList(report.errors);
    for (const QString& warning : toStringList(report.warnings))
        lines.append("warning: " + warning);
    return lines.isEmpty() ? std::string("(no problems)") : lines.join('\n').toStdString();
}

inline QString writeFile(const QString& path, const QByteArray& content, uint mode)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    file.write(content);
    file.close();
    ::chmod(QFile::encodeName(path).constData(), mode);
    return path;
}

} // namespace coord::config::test
