#include "rotatingfile.h"

#include <cerrno>

#include <QDir>
#include <QFileInfo>
#include <QStringList>

#include <sys/stat.h>

namespace coord::log {

namespace {

constexpr QFileDevice::Permissions kLiveFileMode =
    QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup;
constexpr QFileDevice::Permissions kRotatedFileMode = QFileDevice::ReadOwner | QFileDevice::ReadGroup;
constexpr mode_t kDirectoryMode = 0750;

// QFile::rename refuses to overwrite, so clear the target first.
bool replaceFile(const QString& from, const QString& to)
{
    QFile::remove(to);
    return QFile::rename(from, to);
}

void setError(QString* error, const QString& text)
{
    if (error) {
        *error = text;
    }
}

} // namespace

RotatingFile::RotatingFile(const QString& path, qint64 maxBytes, int maxFiles)
    : m_path(path), m_maxBytes(maxBytes), m_maxFiles(qMax(1, maxFiles)), m_file(path)
{}

RotatingFile::~RotatingFile()
{
    close();
}

QString RotatingFile::rotatedPath(const QString& path, int index)
{
    const QFileInfo info(path);
    const QString number = QStringLiteral("%1").arg(index, 2, 10, QLatin1Char('0'));
    const QString suffix = info.suffix();
    const QString stem = suffix.isEmpty() ? info.fileName() : info.completeBaseName();
    const QString name = suffix.isEmpty() ? QStringLiteral("%1.%2").arg(stem, number)
                                          : QStringLiteral("%1.%2.%3").arg(stem, number, suffix);
    return info.dir().filePath(name);
}

bool RotatingFile::makeDirectories(const QString& dir, QString* error)
{
    const QString target = QDir::cleanPath(QDir(dir).absolutePath());
    // Walk up to the deepest existing ancestor, then create the missing components top-down.
    QStringList missing;
    for (QString path = target; !QFileInfo(path).isDir(); path = QFileInfo(path).path()) {
        if (QFileInfo::exists(path)) {
            setError(error,
                     QStringLiteral("cannot create log directory '%1': '%2' exists and is not a directory")
                         .arg(target, path));
            return false;
        }
        missing.prepend(path);
    }
    for (const QString& path : std::as_const(missing)) {
        const QByteArray native = QFile::encodeName(path);
        if (::mkdir(native.constData(), kDirectoryMode) != 0 && errno != EEXIST) {
            setError(error, QStringLiteral("cannot create log directory '%1': mkdir '%2' failed: %3")
                                .arg(target, path, qt_error_string(errno)));
            return false;
        }
        // mkdir's mode is narrowed by the umask; set it explicitly so the result does not depend on it.
        ::chmod(native.constData(), kDirectoryMode);
    }
    return true;
}

bool RotatingFile::open(QString* error)
{
    if (m_file.isOpen()) {
        return true;
    }
    if (!makeDirectories(QFileInfo(m_path).path(), error)) {
        return false;
    }
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered, kLiveFileMode)) {
        setError(error, QStringLiteral("cannot open log file '%1': %2").arg(m_path, m_file.errorString()));
        return false;
    }
    // The file may predate us (a verbatim JSON path); enforce the mode either way.
    m_file.setPermissions(kLiveFileMode);
    m_size = m_file.size();
    return true;
}

void RotatingFile::close()
{
    if (m_file.isOpen()) {
        m_file.close();
    }
}

bool RotatingFile::write(const QByteArray& data, QString* error)
{
    if (!m_file.isOpen() && !open(error)) {
        return false;
    }
    // An empty file always takes the record, so an oversized record cannot rotate forever.
    if (m_size > 0 && m_size + data.size() > m_maxBytes && !rotate(error)) {
        return false;
    }
    const qint64 written = m_file.write(data);
    if (written > 0) {
        m_size += written;
    }
    if (written != data.size()) {
        setError(error, QStringLiteral("cannot write log file '%1': %2").arg(m_path, m_file.errorString()));
        m_file.close(); // reopened on the next write
        return false;
    }
    return true;
}

bool RotatingFile::rotate(QString* error)
{
    m_file.close();
    const int keptCopies = m_maxFiles - 1;
    if (keptCopies == 0) {
        QFile::remove(m_path);
    } else {
        QFile::remove(rotatedPath(m_path, keptCopies));
        for (int index = keptCopies - 1; index >= 1; --index) {
            const QString from = rotatedPath(m_path, index);
            if (QFileInfo::exists(from)) {
                replaceFile(from, rotatedPath(m_path, index + 1));
            }
        }
        const QString firstCopy = rotatedPath(m_path, 1);
        if (replaceFile(m_path, firstCopy)) {
            QFile::setPermissions(firstCopy, kRotatedFileMode);
        } else {
            QFile::remove(m_path); // better to lose the old file than to grow without bound
        }
    }
    m_size = 0;
    return open(error);
}

} // namespace coord::log
