#include "logger.h"

#include <cstdio>

#include <QLoggingCategory>

#include "logcategory.h"
#include "processidentity.h"
#include "qtmessagerouting.h"
#include "rotatingfile.h"

namespace coord::log {

namespace {

// The logger that receives Qt messages, and the handler it replaced.
std::atomic<Logger*> g_qtTarget{nullptr};
QtMessageHandler g_previousQtHandler = nullptr;

// Set while this thread is inside the logger's write path. Qt may warn from inside file
// operations; such a message must not re-enter the (non-recursive) lock.
thread_local bool t_writing = false;

class WritingScope
{
public:
    WritingScope() { t_writing = true; }
    ~WritingScope() { t_writing = false; }
    WritingScope(const WritingScope&) = delete;
    WritingScope& operator=(const WritingScope&) = delete;
};

void writeStream(std::FILE* stream, const QByteArray& bytes)
{
    std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stream);
    std::fflush(stream);
}

std::shared_ptr<const LineFormatter> makeFormatter(const LogSettings& settings)
{
    return std::make_shared<const LineFormatter>(ProcessIdentity::current(), settings.verbose,
                                                 settings.maxLogStrSize);
}

// Opens the files named by `settings`; one file is shared when both logs name the same path.
bool openFiles(const LogSettings& settings, std::shared_ptr<RotatingFile>* run,
               std::shared_ptr<RotatingFile>* operation, QString* error)
{
    if (!settings.enabled || !settings.toFile) {
        return true;
    }
    for (const QString& path : {settings.runLogFile, settings.operationLogFile}) {
        if (path.isEmpty()) {
            if (error) {
                *error = QStringLiteral("log file path is empty although to_file is set");
            }
            return false;
        }
    }
    *run = std::make_shared<RotatingFile>(settings.runLogFile, settings.maxFileBytes, settings.maxFileNum);
    if (!(*run)->open(error)) {
        return false;
    }
    if (settings.operationLogFile == settings.runLogFile) {
        *operation = *run;
        return true;
    }
    *operation =
        std::make_shared<RotatingFile>(settings.operationLogFile, settings.maxFileBytes, settings.maxFileNum);
    return (*operation)->open(error);
}

} // namespace

Logger::Logger() : m_formatter(makeFormatter(m_settings)) {}

Logger::~Logger()
{
    uninstallQtMessageHandler();
    stop();
}

Logger& Logger::instance()
{
    // Deliberately never destroyed: objects torn down during static destruction, and threads
    // still finishing at exit, may log after main() returns. Nothing is lost by not closing
    // the files because every record is already handed to the kernel when writeRun() returns.
    static Logger* const logger = new Logger;
    return *logger;
}

bool Logger::start(const LogSettings& settings, QString* error)
{
    std::shared_ptr<RotatingFile> runFile;
    std::shared_ptr<RotatingFile> operationFile;
    if (!openFiles(settings, &runFile, &operationFile, error)) {
        return false;
    }
    {
        QMutexLocker lock(&m_mutex);
        m_settings = settings;
        m_formatter = makeFormatter(settings);
        // The previous files are closed when the swapped-out pointers go out of scope, after unlock.
        m_runFile.swap(runFile);
        m_operationFile.swap(operationFile);
        m_started = true;
        m_runFileFailing = false;
        m_operationFileFailing = false;
        m_verbose.store(settings.verbose);
    }
    applyThreshold(settings.enabled, settings.level);
    qCDebug(lcLog).noquote() << "Logging started: level" << levelName(settings.level) << "run log"
                             << (settings.toFile ? settings.runLogFile : QStringLiteral("(none)"))
                             << "operation log"
                             << (settings.toFile ? settings.operationLogFile : QStringLiteral("(none)"));
    return true;
}

void Logger::stop()
{
    std::shared_ptr<RotatingFile> runFile;
    std::shared_ptr<RotatingFile> operationFile;
    QMutexLocker lock(&m_mutex);
    m_runFile.swap(runFile);
    m_operationFile.swap(operationFile);
    m_started = false;
    lock.unlock();
    // Files close (and their data is already in the kernel) when the locals go out of scope.
}

bool Logger::isStarted() const
{
    QMutexLocker lock(&m_mutex);
    return m_started;
}

bool Logger::isEnabled(Level level) const
{
    if (!m_enabled.load(std::memory_order_relaxed)) {
        return false;
    }
    return level == Level::Perf || static_cast<int>(level) <= m_threshold.load(std::memory_order_relaxed);
}

void Logger::setLevel(Level level)
{
    if (level == Level::Perf) {
        return; // not a threshold
    }
    bool enabled = true;
    {
        QMutexLocker lock(&m_mutex);
        m_settings.level = level;
        enabled = m_settings.enabled;
    }
    applyThreshold(enabled, level);
}

LogSettings Logger::settings() const
{
    QMutexLocker lock(&m_mutex);
    return m_settings;
}

void Logger::applyThreshold(bool enabled, Level level)
{
    m_threshold.store(static_cast<int>(level));
    m_enabled.store(enabled);
    if (m_routesQtMessages.load()) {
        QLoggingCategory::setFilterRules(qtFilterRules(enabled, level));
    }
}

std::shared_ptr<const LineFormatter> Logger::formatter() const
{
    QMutexLocker lock(&m_mutex);
    return m_formatter;
}

void Logger::writeRun(Level level, const QString& message, const char* file, int line)
{
    if (!isEnabled(level)) {
        return;
    }
    const RunRecord record{level, message, file, line};
    emitLines(Stream::Run, formatter()->runLines(record, LogClock::now(), currentThreadId()));
}

void Logger::writeOperation(const QString& message)
{
    if (!m_enabled.load(std::memory_order_relaxed)) {
        return;
    }
    emitLines(Stream::Operation, formatter()->operationLines(message, LogClock::now()));
}

void Logger::emitLines(Stream stream, const QByteArray& lines)
{
    WritingScope scope;
    QString failure;
    {
        QMutexLocker lock(&m_mutex);
        if (!m_started) {
            writeStream(stderr, lines);
            return;
        }
        if (m_settings.toStdout) {
            writeStream(stdout, lines);
        }
        RotatingFile* file = stream == Stream::Run ? m_runFile.get() : m_operationFile.get();
        bool& failing = stream == Stream::Run ? m_runFileFailing : m_operationFileFailing;
        if (file) {
            const bool ok = file->write(lines, &failure);
            // Report a broken file once per failure streak, not once per line.
            if (ok || failing) {
                failure.clear();
            }
            failing = !ok;
        }
    }
    if (!failure.isEmpty()) {
        // The file is what failed, so tell stderr rather than the log itself; keep the line too.
        const RunRecord record{Level::Error, failure, __FILE__, __LINE__};
        writeStream(stderr, formatter()->runLines(record, LogClock::now(), currentThreadId()) + lines);
    }
}

void Logger::installQtMessageHandler()
{
    g_qtTarget.store(this);
    const QtMessageHandler previous = qInstallMessageHandler(&Logger::handleQtMessage);
    if (previous != &Logger::handleQtMessage) {
        g_previousQtHandler = previous;
    }
    m_routesQtMessages.store(true);
    const LogSettings current = settings();
    applyThreshold(current.enabled, current.level);
}

void Logger::uninstallQtMessageHandler()
{
    Logger* self = this;
    if (!g_qtTarget.compare_exchange_strong(self, nullptr)) {
        return; // another logger (or none) receives Qt messages
    }
    qInstallMessageHandler(g_previousQtHandler);
    g_previousQtHandler = nullptr;
    m_routesQtMessages.store(false);
    QLoggingCategory::setFilterRules(QString());
}

void Logger::handleQtMessage(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    Logger* target = g_qtTarget.load();
    if (!target || t_writing) {
        // Raised from inside the logger itself: print it plainly instead of re-entering.
        writeStream(stderr, message.toLocal8Bit() + '\n');
        return;
    }
    const Level level = levelForQtMessage(type);
    const QString text = target->isVerbose() ? withCategory(context.category, message) : message;
    target->writeRun(level, text, context.file, context.line);
    if (type == QtFatalMsg && target->isStarted()) {
        // Qt aborts right after this returns; make sure a foreground operator sees why.
        writeStream(stderr, message.toLocal8Bit() + '\n');
    }
}

} // namespace coord::log
