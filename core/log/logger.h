#pragma once

#include <atomic>
#include <memory>

#include <QMutex>
#include <QString>
#include <QtGlobal>

#include "logformat.h"
#include "loglevel.h"
#include "logsettings.h"

namespace coord::log {

class RotatingFile;

// The process-wide writer of the run log and the operation (audit) log, spec §10.
//
// Thread-safe: lines are formatted outside the lock and written under it, so the critical section
// is one write(2) per sink and concurrent records never interleave. isEnabled() takes no lock.
// Until start() succeeds, and again after stop(), lines go to stderr so that nothing logged during
// startup or shutdown is lost.
class Logger
{
public:
    Logger();
    ~Logger();

    Logger(const Logger&) = delete;
    Logger& operator=(const Logger&) = delete;

    // The logger the Qt message handler and the free functions in logapi.h write to.
    static Logger& instance();

    // Opens the log files (when to_file) and switches output to them. Calling it again replaces
    // the previous settings. On failure the logger keeps its previous state and `error` names the
    // path that could not be created or opened.
    bool start(const LogSettings& settings, QString* error);
    // Closes the files; later lines go to stderr.
    void stop();
    bool isStarted() const;

    // Whether a line of this level would be written. PERF is always written unless logging is
    // disabled altogether (MINDIE_LOG_LEVEL=null).
    bool isEnabled(Level level) const;
    bool isVerbose() const { return m_verbose.load(std::memory_order_relaxed); }
    // Changes the threshold at run time (dynamic log level, spec §10.5).
    void setLevel(Level level);
    LogSettings settings() const;

    void writeRun(Level level, const QString& message, const char* file = nullptr, int line = 0);
    // Operation (audit) line; also echoed to stdout when to_stdout is set.
    void writeOperation(const QString& message);

    // Routes qCDebug/qCInfo/qCWarning/qCCritical/qFatal into this logger's run log and sets the
    // QLoggingCategory filter rules from the threshold (kept up to date by start/setLevel).
    void installQtMessageHandler();
    // Restores the handler that was active before installQtMessageHandler().
    void uninstallQtMessageHandler();

private:
    enum class Stream
    {
        Run,
        Operation
    };

    static void handleQtMessage(QtMsgType type, const QMessageLogContext& context, const QString& message);

    std::shared_ptr<const LineFormatter> formatter() const;
    void emitLines(Stream stream, const QByteArray& lines);
    void applyThreshold(bool enabled, Level level);

    mutable QMutex m_mutex;
    // Everything below the mutex is guarded by it, except the atomics.
    LogSettings m_settings;
    std::shared_ptr<const LineFormatter> m_formatter;
    std::shared_ptr<RotatingFile> m_runFile;
    std::shared_ptr<RotatingFile> m_operationFile;
    bool m_started = false;
    bool m_runFileFailing = false;
    bool m_operationFileFailing = false;

    std::atomic<bool> m_enabled{true};
    std::atomic<int> m_threshold{static_cast<int>(Level::Info)};
    std::atomic<bool> m_verbose{true};
    std::atomic<bool> m_routesQtMessages{false};
};

} // namespace coord::log
