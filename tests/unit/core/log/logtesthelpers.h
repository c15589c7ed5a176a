#pragma once

// Small helpers shared by the log module tests.

#include <initializer_list>
#include <utility>

#include <QByteArray>
#include <QFile>
#include <QList>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <sys/stat.h>

namespace coord::log::test {

// An environment holding exactly `vars` (plus HOME, so "~" paths are predictable).
inline QProcessEnvironment makeEnv(std::initializer_list<std::pair<const char*, const char*>> vars = {})
{
    QProcessEnvironment env;
    env.insert(QStringLiteral("HOME"), QStringLiteral("/home/tester"));
    for (const auto& [name, value] : vars) {
        env.insert(QString::fromUtf8(name), QString::fromUtf8(value));
    }
    return env;
}

// The file's lines without their terminating '\n'; empty when the file is missing.
inline QList<QByteArray> readLines(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    QList<QByteArray> lines = file.readAll().split('\n');
    if (!lines.isEmpty() && lines.last().isEmpty()) {
        lines.removeLast();
    }
    return lines;
}

// Permission bits as in `ls -l` (e.g. 0640), or -1 when the path does not exist.
inline int modeOf(const QString& path)
{
    struct stat info
    {
    };
    if (::stat(QFile::encodeName(path).constData(), &info) != 0) {
        return -1;
    }
    return static_cast<int>(info.st_mode & 0777);
}

// "[YYYY-MM-DD HH:MM:SS.uuuuuu+hh:mm]" as a regular expression fragment.
inline const char* timestampPattern()
{
    return R"(\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}[+-]\d{2}:\d{2}\])";
}

} // namespace coord::log::test
