// The ms_coordinator command line as an operator uses it: --version, --check-config with its
// exit codes, and refusing to start on a config that is wrong or a port that is taken.
#include "daemonprocess.h"

#include <gtest/gtest.h>

#include <QJsonDocument>
#include <QRegularExpression>
#include <QTcpServer>

using namespace coord::test;

namespace {

QByteArray withMistakes(QJsonObject config)
{
    QJsonObject http = config.value(QStringLiteral("http_config")).toObject();
    http.insert(QStringLiteral("predict_port"), QStringLiteral("80"));
    http.insert(QStringLiteral("server_thread_num"), 0);
    config.insert(QStringLiteral("http_config"), http);
    QJsonObject limits = config.value(QStringLiteral("request_limit")).toObject();
    limits.remove(QStringLiteral("max_requests"));
    config.insert(QStringLiteral("request_limit"), limits);
    QJsonObject exceptions = config.value(QStringLiteral("exception_config")).toObject();
    exceptions.insert(QStringLiteral("max_retry"), QStringLiteral("five"));
    config.insert(QStringLiteral("exception_config"), exceptions);
    return QJsonDocument(config).toJson();
}

TEST(CommandLineTest, VersionPrintsTheBuildVersion)
{
    const CommandResult result = runCoordinator({QStringLiteral("--version")});
    EXPECT_EQ(result.exitCode, 0);
    EXPECT_TRUE(QRegularExpression(QStringLiteral("\\d+\\.\\d+\\.\\d+")).match(QString::fromUtf8(result.out)).hasMatch())
        << result.out.constData();
}

TEST(CommandLineTest, CheckConfigAcceptsTheLocalExample)
{
    QTemporaryDir dir;
    const QString path = writeConfig(dir.path(), QStringLiteral("ok.json"),
                                     QJsonDocument(localTestConfig(dir.path())).toJson());
    const CommandResult result = runCoordinator({QStringLiteral("--check-config"), path});
    EXPECT_EQ(result.exitCode, 0) << result.out.constData() << result.err.constData();
}

TEST(CommandLineTest, CheckConfigNamesEveryBadKeyAndExits1)
{
    QTemporaryDir dir;
    const QString path = writeConfig(dir.path(), QStringLiteral("bad.json"), withMistakes(localTestConfig(dir.path())));
    const CommandResult result = runCoordinator({QStringLiteral("--check-config"), path});
    EXPECT_EQ(result.exitCode, 1);
    const QByteArray all = result.out + result.err;
    for (const char* key : {"http_config.predict_port: ", "http_config.server_thread_num: ",
                            "request_limit.max_requests: ", "exception_config.max_retry: "}) {
        EXPECT_TRUE(all.contains(key)) << key << "\n" << all.constData();
    }
}

TEST(CommandLineTest, CheckConfigOnAMissingFileExits2)
{
    const CommandResult result = runCoordinator({QStringLiteral("--check-config"), QStringLiteral("/nonexistent/ms.json")});
    EXPECT_EQ(result.exitCode, 2) << result.out.constData() << result.err.constData();
}

TEST(CommandLineTest, DaemonRefusesAnInvalidConfigWithTheSameLines)
{
    QTemporaryDir dir;
    const QString path = writeConfig(dir.path(), QStringLiteral("bad.json"), withMistakes(localTestConfig(dir.path())));
    QProcessEnvironment env = defaultTestEnvironment();
    env.insert(QStringLiteral("MINDIE_MS_COORDINATOR_CONFIG_FILE_PATH"), path);
    const CommandResult result = runCoordinator({}, env);
    EXPECT_NE(result.exitCode, 0);
    EXPECT_TRUE((result.out + result.err).contains("http_config.predict_port: ")) << result.err.constData();
}

TEST(CommandLineTest, DaemonExitsNonZeroWhenItsPortIsTaken)
{
    QTemporaryDir dir;
    QJsonObject config = localTestConfig(dir.path());
    QTcpServer squatter;
    ASSERT_TRUE(squatter.listen(QHostAddress::LocalHost, 0));
    QJsonObject http = config.value(QStringLiteral("http_config")).toObject();
    http.insert(QStringLiteral("status_port"), QString::number(squatter.serverPort()));
    config.insert(QStringLiteral("http_config"), http);
    const QString path = writeConfig(dir.path(), QStringLiteral("ms.json"), QJsonDocument(config).toJson());
    QProcessEnvironment env = defaultTestEnvironment();
    env.insert(QStringLiteral("MINDIE_MS_COORDINATOR_CONFIG_FILE_PATH"), path);
    const CommandResult result = runCoordinator({}, env);
    EXPECT_NE(result.exitCode, 0);
    EXPECT_TRUE((result.out + result.err).contains(QByteArray::number(squatter.serverPort())))
        << result.out.constData() << result.err.constData();
}

} // namespace
