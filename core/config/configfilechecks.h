#pragma once

#include <QProcessEnvironment>
#include <QString>

// Checks every externally supplied file must pass before it is read (spec 7.2): the config file
// here, and the TLS files for the TLS module, which should call the same functions.
namespace coord::config {

enum class InputFileKind
{
    ConfigFile,     // ms_coordinator.json
    TlsCertificate, // CA certificate, own certificate, CRL
    TlsSecret,      // private key, key password file
};

struct FileCheckPolicy
{
    uint permissionMask = 0640; // the file's mode bits must be a subset of this
    bool checkOwner = true;     // the owner must be the process's effective uid
    qint64 maxBytes = 101LL * 1024 * 1024;

    QString describe() const; // "a regular file (no symlink), mode within 0640, owned by uid 1000"
};

// MINDIE_CHECK_INPUTFILES_PERMISSION=0 relaxes the checks; any other value, or none, keeps them.
bool permissionChecksRelaxed(const QProcessEnvironment& env);

//   kind            default            relaxed
//   ConfigFile      0640 + owner       0777, no owner check
//   TlsCertificate  0400 + owner       0777, no owner check
//   TlsSecret       0400 + owner       0640, no owner check
// For the config file the caller decides whether relaxation applies: MindIE relaxes it only for a
// path from MINDIE_MS_COORDINATOR_CONFIG_FILE_PATH; we also relax it for an explicit --config path
// (both are files the operator mounted and named), never for the built-in default path.
FileCheckPolicy fileCheckPolicy(InputFileKind kind, bool relaxed);

enum class FileCheckFailure
{
    None,
    PathTooLong,       // more than 256 characters
    InvalidCharacters, // fails ^(?!.*\.\.)[a-zA-Z0-9_./~-]+$ (this also refuses "..")
    Missing,
    Symlink,
    NotRegularFile,
    TooLarge,
    PermissionsTooOpen,
    WrongOwner,
    NotReadable,
};

struct FileCheckResult
{
    FileCheckFailure failure = FileCheckFailure::None;
    QString message; // what is wrong, naming the path; empty when ok

    bool ok() const { return failure == FileCheckFailure::None; }
};

// Runs the checks in the order above and reports the first failure. `path` is used as given: pass
// it through resolveInputPath first so that ".." and symlinks are judged on what the user wrote.
FileCheckResult checkInputFile(const QString& path, const FileCheckPolicy& policy);

// Relative paths are joined to `baseDir` without normalising, so "../x" keeps its "..".
QString resolveInputPath(const QString& baseDir, const QString& path);

} // namespace coord::config
