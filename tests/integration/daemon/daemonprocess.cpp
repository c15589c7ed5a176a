#include "daemonprocess.h"

#include "simplehttp.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QThread>

#include <csignal>

namespace coord::test {

namespace {
QString coordinatorBinary()
{
    return QStringLiteral(COORD_BINARY_DIR "/bin/ms_coordinator");
}

// Five distinct free ports for the daemon's config. They are drawn below Linux's ephemeral range
// (32768+): a port the kernel handed out for port 0 and that was released again is soon reused as
// the source port of some outgoing connection, and the daemon's bind would then fail.
QList<quint16> freePorts(int count)
{
    QList<std::shared_ptr<QTcpServer>> holders;
    QList<quint16> ports;
    for (int attempt = 0; ports.size() < count && attempt < 10000; ++attempt) {
        const auto candidate = static_cast<quint16>(20000 + QRandomGenerator::global()->bounded(12000));
        auto server = std::make_shared<QTcpServer>();
        if (ports.contains(candidate) || !server->listen(QHostAddress::LocalHost, candidate))
            continue;
        ports.append(candidate);
        holders.append(server);
    }
    return ports;
}
} // namespace

QProcessEnvironment defaultTestEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString& key : env.keys()) {
        if (key.startsWith(QStringLiteral("MINDIE")))
            env.remove(key);
    }
    env.insert(QStringLiteral("MINDIE_LOG_TO_FILE"), QStringLiteral("false"));
    env.insert(QStringLiteral("MINDIE_LOG_TO_STDOUT"), QStringLiteral("true"));
    return env;
}

CommandResult runCoordinator(const QStringList& args, const QProcessEnvironment& env, const QString& workingDir)
{
    QProcess process;
    process.setProcessEnvironment(env);
    if (!workingDir.isEmpty())
        process.setWorkingDirectory(workingDir);
    process.start(coordinatorBinary(), args);
    CommandResult result;
    if (!process.waitForFinished(30000)) {
        process.kill();
        process.waitForFinished(5000);
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

QJsonObject localTestConfig(const QString& logDir)
{
    QFile file(QStringLiteral(COORD_SOURCE_DIR "/conf/examples/single_node_local.json"));
    file.open(QIODevice::ReadOnly);
    QJsonObject config = QJsonDocument::fromJson(file.readAll()).object();
    QJsonObject http = config.value(QStringLiteral("http_config")).toObject();
    const QList<quint16> ports = freePorts(5);
    const char* keys[] = {"predict_port", "manage_port", "alarm_port", "external_port", "status_port"};
    for (int i = 0; i < 5; ++i)
        http.insert(QString::fromLatin1(keys[i]), QString::number(ports[i]));
    config.insert(QStringLiteral("http_config"), http);
    QJsonObject logInfo = config.value(QStringLiteral("log_info")).toObject();
    logInfo.insert(QStringLiteral("run_log_path"), logDir + QStringLiteral("/run.log"));
    logInfo.insert(QStringLiteral("operation_log_path"), logDir + QStringLiteral("/operation.log"));
    config.insert(QStringLiteral("log_info"), logInfo);
    return config;
}

QString writeConfig(const QString& dir, const QString& name, const QByteArray& content)
{
    const QString path = dir + QLatin1Char('/') + name;
    QFile file(path);
    file.open(QIODevice::WriteOnly | QIODevice::Truncate);
    file.write(content);
    file.close();
    file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup);
    return path;
}

RunningDaemon::RunningDaemon(QJsonObject config) : m_config(std::move(config))
{
    QDir(m_dir.path()).mkpath(QStringLiteral("logs"));
    const QString path =
        writeConfig(m_dir.path(), QStringLiteral("ms_coordinator.json"), QJsonDocument(m_config).toJson());
    QProcessEnvironment env = defaultTestEnvironment();
    env.insert(QStringLiteral("MINDIE_LOG_TO_FILE"), QStringLiteral("true"));
    env.insert(QStringLiteral("MINDIE_MS_COORDINATOR_CONFIG_FILE_PATH"), path);
    m_process = std::make_unique<QProcess>();
    m_process->setProcessEnvironment(env);
    m_process->setWorkingDirectory(m_dir.path());
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->start(coordinatorBinary(), {});
}

RunningDaemon::~RunningDaemon()
{
    if (m_process->state() != QProcess::NotRunning) {
        m_process->kill();
        m_process->waitForFinished(5000);
    }
}

quint16 RunningDaemon::port(const char* key) const
{
    return m_config.value(QStringLiteral("http_config"))
        .toObject()
        .value(QString::fromLatin1(key))
        .toString()
        .toUShort();
}

bool RunningDaemon::waitUntilUp(int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        if (m_process->state() == QProcess::NotRunning)
            return false;
        if (httpRequest(port("status_port"), "GET", "/v1/health").status == 200)
            return true;
        QThread::msleep(50);
    }
    return false;
}

int RunningDaemon::terminate(int timeoutMs)
{
    ::kill(static_cast<pid_t>(m_process->processId()), SIGTERM);
    if (!m_process->waitForFinished(timeoutMs))
        return -1;
    return m_process->exitStatus() == QProcess::NormalExit ? m_process->exitCode() : -1;
}

QByteArray RunningDaemon::output()
{
    m_output += m_process->readAll();
    return m_output;
}

} // namespace coord::test
