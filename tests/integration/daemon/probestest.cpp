// The daemon as a deployment sees it: started on a valid config it answers MindIE's probes,
// refuses what it does not serve, and stops cleanly on SIGTERM.
#include "daemonprocess.h"
#include "simplehttp.h"

#include <gtest/gtest.h>

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

using namespace coord::test;

namespace {

class DaemonProbesTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_logDir.isValid());
        m_daemon = std::make_unique<RunningDaemon>(localTestConfig(m_logDir.path()));
        ASSERT_TRUE(m_daemon->waitUntilUp()) << m_daemon->output().constData();
    }

    quint16 statusPort() const { return m_daemon->port("status_port"); }

    QTemporaryDir m_logDir;
    std::unique_ptr<RunningDaemon> m_daemon;
};

TEST_F(DaemonProbesTest, LivenessProbesAnswer200WithServerHeader)
{
    for (const char* path : {"/v1/startup", "/v1/health", "/v2/health/live"}) {
        const SimpleResponse response = httpRequest(statusPort(), "GET", path);
        EXPECT_EQ(response.status, 200) << path;
        EXPECT_EQ(response.header("Server"), "MindIE-MS") << path;
        EXPECT_TRUE(response.body.isEmpty()) << path;
    }
}

TEST_F(DaemonProbesTest, ReadinessIs503WhileNoInstanceIsRegistered)
{
    for (const char* path : {"/v2/health/ready", "/v1/readiness", "/v2/models/llama_65b/ready"}) {
        EXPECT_EQ(httpRequest(statusPort(), "GET", path).status, 503) << path;
    }
}

TEST_F(DaemonProbesTest, UnknownTargetGets400InvalidRequestAndTheConnectionCloses)
{
    // Routes match the whole target, query included, as in MindIE.
    for (const char* path : {"/v1/nothing", "/v1/health?verbose=1"}) {
        const SimpleResponse response = httpRequest(statusPort(), "GET", path, {}, 2000);
        EXPECT_EQ(response.status, 400) << path;
        EXPECT_EQ(response.body, "Invalid request\r\n") << path;
        EXPECT_TRUE(response.closedByServer) << path;
    }
}

TEST_F(DaemonProbesTest, WrongMethodOnAProbeIsAnInvalidRequest)
{
    EXPECT_EQ(httpRequest(statusPort(), "POST", "/v1/health", "{}").status, 400);
}

TEST_F(DaemonProbesTest, InferenceBeforeAnyInstanceIs503NotReady)
{
    const SimpleResponse response = httpRequest(m_daemon->port("predict_port"), "POST", "/v1/chat/completions",
                                                R"({"messages":[{"role":"user","content":"hi"}]})");
    EXPECT_EQ(response.status, 503);
    EXPECT_EQ(response.body, "MindIE-MS Coordinator is not ready\r\n");
    EXPECT_TRUE(response.header("Content-Type").startsWith("text/plain"));
}

TEST_F(DaemonProbesTest, StatusApiReportsVersionAndReadiness)
{
    const SimpleResponse response = httpRequest(statusPort(), "GET", "/v1/status");
    ASSERT_EQ(response.status, 200);
    const QJsonObject status = QJsonDocument::fromJson(response.body).object();
    EXPECT_FALSE(status.value(QStringLiteral("version")).toString().isEmpty());
    EXPECT_EQ(status.value(QStringLiteral("ready")).toBool(true), false);
    EXPECT_EQ(status.value(QStringLiteral("data_server_bound")).toBool(), true);
    EXPECT_EQ(status.value(QStringLiteral("deploy_mode")).toString(), QStringLiteral("single_node"));
}

TEST_F(DaemonProbesTest, SigtermStopsCleanlyAndTheOperationLogRecordsTheStart)
{
    EXPECT_EQ(m_daemon->terminate(), 0);
    QString operationLog;
    QFile file(m_logDir.path() + QStringLiteral("/operation.log"));
    if (file.open(QIODevice::ReadOnly))
        operationLog = QString::fromUtf8(file.readAll());
    EXPECT_TRUE(operationLog.contains(QStringLiteral("[Start] MindIE-MS coordinator start successful.")))
        << operationLog.toStdString() << m_daemon->output().constData();
}

} // namespace
