#pragma once

#include <chrono>

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include "loglevel.h"
#include "logsettings.h"
#include "processidentity.h"

// Line shapes of spec §10.2. Everything here is a pure function of its inputs, so the Logger can
// format outside its lock and tests can pin the exact bytes.
namespace coord::log {

using LogClock = std::chrono::system_clock;

// "YYYY-MM-DD HH:MM:SS.uuuuuu+hh:mm" in local time.
QByteArray formatTimestamp(LogClock::time_point when);

// Makes a message safe for a one-line-per-record log: control characters are dropped, and runs of
// whitespace (including CR/LF/TAB) become one space, so a message can never forge a second line.
// Leading and trailing whitespace is dropped.
QString sanitiseMessage(QStringView message);

// Cuts UTF-8 text into pieces of at most `maxBytes`, never inside a multi-byte character.
// Returns one empty piece for empty input, so every record produces at least one line.
QList<QByteArrayView> splitUtf8(QByteArrayView text, qsizetype maxBytes);

struct RunRecord
{
    Level level = Level::Info;
    QStringView message;
    const char* file = nullptr; // source file; only its base name is written
    int line = 0;
};

class LineFormatter
{
public:
    LineFormatter(const ProcessIdentity& identity, bool verbose, int maxLogStrSize);

    // Run line(s): [time] <[pid] [tid] [ms] >[LEVEL] <[file:line] >: msg
    // pid/tid/[ms] appear when verbose or at DEBUG; file:line when verbose and known.
    // A message longer than maxLogStrSize bytes yields several complete lines, each '\n'-terminated.
    QByteArray runLines(const RunRecord& record, LogClock::time_point when, qint64 threadId) const;

    // Operation line(s): [time] [pid] [hostname] [user] [ms] : msg
    QByteArray operationLines(QStringView message, LogClock::time_point when) const;

    bool verbose() const { return m_verbose; }

private:
    QByteArray assemble(const QByteArray& prefix, QStringView message) const;

    ProcessIdentity m_identity;
    bool m_verbose;
    int m_maxLogStrSize;
};

} // namespace coord::log
