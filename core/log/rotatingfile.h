#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>

namespace coord::log {

// One log file with size-based rotation (spec §10.4).
//
// Before a write that would push the file past `maxBytes`, the files shift by one:
// name.log -> name.01.log -> name.02.log ... up to name.(N-1).log, the oldest is dropped, and a new
// name.log is started. So at most `maxFiles` files exist. The live file is 0640; rotated copies are
// made read-only (0440) because nothing should write to them again.
//
// Each write() goes to the kernel in one write(2) call, without a user-space buffer. A record
// therefore reaches the page cache before write() returns: lines survive a crash or abort, and
// there is nothing to lose at exit. The cost is one system call per record (about a microsecond),
// which is small next to formatting; a timed flush would save little and could drop the last
// lines before a crash, which are the ones that matter most.
//
// Not thread-safe; the Logger serialises access.
class RotatingFile
{
public:
    RotatingFile(const QString& path, qint64 maxBytes, int maxFiles);
    ~RotatingFile();

    RotatingFile(const RotatingFile&) = delete;
    RotatingFile& operator=(const RotatingFile&) = delete;

    // Creates missing directories (0750) and opens the file for appending (0640).
    // On failure returns false and describes the problem, naming the path, in `error`.
    bool open(QString* error);
    void close();
    bool isOpen() const { return m_file.isOpen(); }

    // Appends `data` (whole lines), rotating first if needed. Returns false with `error` filled
    // when the data could not be written; a later write tries to reopen the file.
    bool write(const QByteArray& data, QString* error);

    QString path() const { return m_path; }
    qint64 size() const { return m_size; }

    // Name of the index-th rotated copy: "dir/name.log" -> "dir/name.01.log".
    static QString rotatedPath(const QString& path, int index);

    // Creates `dir` and any missing parents with mode 0750.
    static bool makeDirectories(const QString& dir, QString* error);

private:
    bool rotate(QString* error);

    QString m_path;
    qint64 m_maxBytes;
    int m_maxFiles;
    qint64 m_size = 0;
    QFile m_file;
};

} // namespace coord::log
