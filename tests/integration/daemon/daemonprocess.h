#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>

#include <memory>

namespace coord::test {

struct CommandResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// The environment tests run the daemon with: logs to stdout only, no inherited MINDIE_* variables.
QProcessEnvironment defaultTestEnvironment();
// Runs bin/ms_coordinator to completion (for --check-config, --version, bad configs).
CommandResult runCoordinator(const QStringList& args, const QProcessEnvironment& env = defaultTestEnvironment(),
                             const QString& workingDir = QString());

// The single-node example config with five free loopback ports and logs under `dir`.
QJsonObject localTestConfig(const QString& logDir);
// Writes `config` to `dir/name` with mode 0640 (what the permission check expects); returns the path.
QString writeConfig(const QString& dir, const QString& name, const QByteArray& content);

// A coordinator daemon running on a test config until the object is destroyed.
class RunningDaemon
{
public:
    explicit RunningDaemon(QJsonObject config);
    ~RunningDaemon();

    // Waits until the status port answers /v1/health; false if the process died or timed out.
    bool waitUntilUp(int timeoutMs = 15000);
    // Sends SIGTERM and waits; returns the exit code (-1 on timeout or crash).
    int terminate(int timeoutMs = 10000);

    quint16 port(const char* key) const;
    QString logDir() const { return m_dir.path() + QStringLiteral("/logs"); }
    QByteArray output();

private:
    QTemporaryDir m_dir;
    QJsonObject m_config;
    std::unique_ptr<QProcess> m_process;
    QByteArray m_output;
};

} // namespace coord::test
