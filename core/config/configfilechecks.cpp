#include "configfilechecks.h"

#include <unistd.h>

#include <QDir>
#include <QFile>
#include <QRegularExpression>

#include <sys/stat.h>

namespace coord::config {

namespace {

constexpr qsizetype kMaxPathLength = 256;

QString octal(uint mode)
{
    return QStringLiteral("0%1").arg(mode, 3, 8, QLatin1Char('0'));
}

FileCheckResult failed(FileCheckFailure failure, const QString& message)
{
    return {failure, message};
}

} // namespace

QString FileCheckPolicy::describe() const
{
    QString text = QStringLiteral("a regular file (no symlink) of at most %1 MiB, mode within %2")
                       .arg(maxBytes / (1024 * 1024))
                       .arg(octal(permissionMask));
    if (checkOwner)
        text += QStringLiteral(", owned by uid %1").arg(geteuid());
    return text;
}

bool permissionChecksRelaxed(const QProcessEnvironment& env)
{
    return env.value(QStringLiteral("MINDIE_CHECK_INPUTFILES_PERMISSION")) == QLatin1String("0");
}

FileCheckPolicy fileCheckPolicy(InputFileKind kind, bool relaxed)
{
    FileCheckPolicy policy;
    policy.checkOwner = !relaxed;
    switch (kind) {
    case InputFileKind::ConfigFile:
        policy.permissionMask = relaxed ? 0777 : 0640;
        break;
    case InputFileKind::TlsCertificate:
        policy.permissionMask = relaxed ? 0777 : 0400;
        break;
    case InputFileKind::TlsSecret:
        policy.permissionMask = relaxed ? 0640 : 0400;
        break;
    }
    return policy;
}

QString resolveInputPath(const QString& baseDir, const QString& path)
{
    if (path.isEmpty() || QDir::isAbsolutePath(path) || baseDir.isEmpty())
        return path;
    return baseDir + (baseDir.endsWith(QLatin1Char('/')) ? QString() : QStringLiteral("/")) + path;
}

FileCheckResult checkInputFile(const QString& path, const FileCheckPolicy& policy)
{
    static const QRegularExpression allowedPath(QStringLiteral("^(?!.*\\.\\.)[a-zA-Z0-9_./~-]+$"));

    if (path.size() > kMaxPathLength)
        return failed(
            FileCheckFailure::PathTooLong,
            QStringLiteral("path is %1 characters long, more than %2").arg(path.size()).arg(kMaxPathLength));
    if (!allowedPath.match(path).hasMatch())
        return failed(
            FileCheckFailure::InvalidCharacters,
            QStringLiteral("path \"%1\" contains \"..\" or characters outside [a-zA-Z0-9_./~-]").arg(path));

    const QByteArray native = QFile::encodeName(path);
    struct stat info = {};
    if (lstat(native.constData(), &info) != 0)
        return failed(FileCheckFailure::Missing, QStringLiteral("file \"%1\" does not exist").arg(path));
    if (S_ISLNK(info.st_mode))
        return failed(FileCheckFailure::Symlink, QStringLiteral("\"%1\" is a symbolic link").arg(path));
    if (!S_ISREG(info.st_mode))
        return failed(FileCheckFailure::NotRegularFile,
                      QStringLiteral("\"%1\" is not a regular file").arg(path));
    if (info.st_size > policy.maxBytes)
        return failed(FileCheckFailure::TooLarge, QStringLiteral("file \"%1\" is %2 bytes, more than %3")
                                                      .arg(path)
                                                      .arg(info.st_size)
                                                      .arg(policy.maxBytes));
    const uint mode = info.st_mode & 07777;
    if ((mode & ~policy.permissionMask) != 0)
        return failed(FileCheckFailure::PermissionsTooOpen,
                      QStringLiteral("file \"%1\" has mode %2, which exceeds %3")
                          .arg(path, octal(mode), octal(policy.permissionMask)));
    if (policy.checkOwner && info.st_uid != geteuid())
        return failed(FileCheckFailure::WrongOwner,
                      QStringLiteral("file \"%1\" is owned by uid %2, not by uid %3")
                          .arg(path)
                          .arg(info.st_uid)
                          .arg(geteuid()));
    if (access(native.constData(), R_OK) != 0)
        return failed(FileCheckFailure::NotReadable, QStringLiteral("file \"%1\" is not readable").arg(path));
    return {};
}

} // namespace coord::config
