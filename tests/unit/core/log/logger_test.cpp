// Logger lifecycle and sinks: start errors, file/stdout/stderr routing, thresholds, null.

#include <QTemporaryDir>

#include <gtest/gtest.h>

#include "log/logapi.h"
#include "log/logger.h"
#include "logtesthelpers.h"

using namespace coord::log;
using coord::log::test::readLines;
using ::testing::internal::CaptureStderr;
using ::testing::internal::CaptureStdout;
using ::testing::internal::GetCapturedStderr;
using ::testing::internal::GetCapturedStdout;

namespace {

class LoggerTest : public ::testing::Test
{
protected:
    LogSettings settingsInTemp() const
    {
        LogSettings settings;
        settings.verbose = false;
        settings.runLogFile = m_temp.filePath(QStringLiteral("log/debug/run.log"));
        settings.operationLogFile = m_temp.filePath(QStringLiteral("log/security/op.log"));
        return settings;
    }

    QList<QByteArray> runLines() const { return readLines(m_settings.runLogFile); }
    QList<QByteArray> operationLines() const { return readLines(m_settings.operationLogFile); }

    void start(const LogSettings& settings)
    {
        m_settings = settings;
        QString error;
        ASSERT_TRUE(m_logger.start(settings, &error)) << error.toStdString();
    }

    QTemporaryDir m_temp;
    Logger m_logger;
    LogSettings m_settings;
};

} // namespace

TEST_F(LoggerTest, BeforeStartLinesGoToStderr)
{
    CaptureStderr();
    m_logger.writeRun(Level::Warn, QStringLiteral("early warning"));
    m_logger.writeOperation(QStringLiteral("early operation"));
    const std::string err = GetCapturedStderr();
    EXPECT_NE(err.find("[WARN] : early warning\n"), std::string::npos) << err;
    EXPECT_NE(err.find("[ms] : early operation\n"), std::string::npos) << err;
    EXPECT_FALSE(m_logger.isStarted());
}

TEST_F(LoggerTest, StartFailsWithClearMessageWhenDirectoryCannotBeCreated)
{
    QFile blocker(m_temp.filePath(QStringLiteral("blocker")));
    ASSERT_TRUE(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    LogSettings settings = settingsInTemp();
    settings.runLogFile = m_temp.filePath(QStringLiteral("blocker/debug/run.log"));
    QString error;
    EXPECT_FALSE(m_logger.start(settings, &error));
    EXPECT_TRUE(error.contains(m_temp.filePath(QStringLiteral("blocker/debug")))) << error.toStdString();
    EXPECT_FALSE(m_logger.isStarted());
}

TEST_F(LoggerTest, WritesRunAndOperationLogsToTheirFiles)
{
    start(settingsInTemp());
    m_logger.writeRun(Level::Info, QStringLiteral("run line"));
    m_logger.writeOperation(QStringLiteral("[Add] Add instance P IP 10.0.0.1"));

    ASSERT_EQ(runLines().size(), 1);
    EXPECT_TRUE(runLines().first().endsWith("[INFO] : run line"));
    ASSERT_EQ(operationLines().size(), 1);
    EXPECT_TRUE(operationLines().first().endsWith("[ms] : [Add] Add instance P IP 10.0.0.1"));
}

TEST_F(LoggerTest, ThresholdFiltersButPerfIsAlwaysWritten)
{
    LogSettings settings = settingsInTemp();
    settings.level = Level::Error;
    start(settings);
    EXPECT_TRUE(m_logger.isEnabled(Level::Critical));
    EXPECT_TRUE(m_logger.isEnabled(Level::Error));
    EXPECT_FALSE(m_logger.isEnabled(Level::Warn));
    EXPECT_TRUE(m_logger.isEnabled(Level::Perf));

    m_logger.writeRun(Level::Info, QStringLiteral("dropped"));
    m_logger.writeRun(Level::Perf, QStringLiteral("perf kept"));
    m_logger.writeRun(Level::Error, QStringLiteral("error kept"));
    ASSERT_EQ(runLines().size(), 2);
    EXPECT_TRUE(runLines().at(0).endsWith("[PERF] : perf kept"));
    EXPECT_TRUE(runLines().at(1).endsWith("[ERROR] : error kept"));
}

TEST_F(LoggerTest, SetLevelChangesThresholdAtRunTime)
{
    start(settingsInTemp());
    EXPECT_FALSE(m_logger.isEnabled(Level::Debug));
    m_logger.setLevel(Level::Debug);
    EXPECT_TRUE(m_logger.isEnabled(Level::Debug));
    EXPECT_EQ(m_logger.settings().level, Level::Debug);
    m_logger.setLevel(Level::Critical);
    EXPECT_FALSE(m_logger.isEnabled(Level::Error));
}

TEST_F(LoggerTest, NullLevelWritesNothingAtAll)
{
    LogSettings settings = settingsInTemp();
    settings.enabled = false;
    start(settings);
    for (Level level : {Level::Critical, Level::Perf}) {
        EXPECT_FALSE(m_logger.isEnabled(level));
        m_logger.writeRun(level, QStringLiteral("nothing"));
    }
    m_logger.writeOperation(QStringLiteral("nothing"));
    EXPECT_FALSE(QFile::exists(settings.runLogFile));
    EXPECT_FALSE(QFile::exists(settings.operationLogFile));
}

TEST_F(LoggerTest, ToFileFalseCreatesNoFiles)
{
    LogSettings settings = settingsInTemp();
    settings.toFile = false;
    start(settings);
    m_logger.writeRun(Level::Error, QStringLiteral("not in a file"));
    EXPECT_FALSE(QFile::exists(settings.runLogFile));
    EXPECT_FALSE(QFile::exists(settings.operationLogFile));
}

TEST_F(LoggerTest, ToStdoutEchoesRunAndOperationLines)
{
    LogSettings settings = settingsInTemp();
    settings.toStdout = true;
    start(settings);
    CaptureStdout();
    m_logger.writeRun(Level::Warn, QStringLiteral("to both"));
    m_logger.writeOperation(QStringLiteral("[Online] audit to both"));
    const std::string out = GetCapturedStdout();
    EXPECT_NE(out.find("[WARN] : to both\n"), std::string::npos) << out;
    EXPECT_NE(out.find("[ms] : [Online] audit to both\n"), std::string::npos) << out;
    EXPECT_EQ(runLines().size(), 1);
    EXPECT_EQ(operationLines().size(), 1);
}

TEST_F(LoggerTest, WithoutToStdoutNothingReachesStdout)
{
    start(settingsInTemp());
    CaptureStdout();
    m_logger.writeRun(Level::Warn, QStringLiteral("file only"));
    m_logger.writeOperation(QStringLiteral("file only"));
    EXPECT_EQ(GetCapturedStdout(), std::string());
}

TEST_F(LoggerTest, AfterStopLinesGoToStderrAndFilesKeepEverything)
{
    start(settingsInTemp());
    for (int i = 0; i < 100; ++i) {
        m_logger.writeRun(Level::Info, QStringLiteral("line %1").arg(i));
    }
    m_logger.stop();
    EXPECT_EQ(runLines().size(), 100);
    CaptureStderr();
    m_logger.writeRun(Level::Error, QStringLiteral("after stop"));
    EXPECT_NE(GetCapturedStderr().find("[ERROR] : after stop"), std::string::npos);
    EXPECT_EQ(runLines().size(), 100);
}

TEST_F(LoggerTest, SamePathForBothLogsSharesOneFile)
{
    LogSettings settings = settingsInTemp();
    settings.operationLogFile = settings.runLogFile;
    start(settings);
    m_logger.writeRun(Level::Info, QStringLiteral("run"));
    m_logger.writeOperation(QStringLiteral("operation"));
    EXPECT_EQ(runLines().size(), 2);
}

TEST_F(LoggerTest, LongMessagesAreSplitIntoFullLines)
{
    LogSettings settings = settingsInTemp();
    settings.maxLogStrSize = 128;
    start(settings);
    m_logger.writeRun(Level::Info, QString(u'x').repeated(300));
    const QList<QByteArray> lines = runLines();
    ASSERT_EQ(lines.size(), 3);
    for (const QByteArray& line : lines) {
        EXPECT_TRUE(line.startsWith('[')) << line.toStdString();
        EXPECT_TRUE(line.contains("[INFO] : x"));
    }
}

TEST_F(LoggerTest, FileLineAppearsWhenVerbose)
{
    LogSettings settings = settingsInTemp();
    settings.verbose = true;
    start(settings);
    m_logger.writeRun(Level::Info, QStringLiteral("where"), "/src/core/thing.cpp", 12);
    ASSERT_EQ(runLines().size(), 1);
    EXPECT_TRUE(runLines().first().endsWith("[ms] [INFO] [thing.cpp:12] : where"))
        << runLines().first().toStdString();
}

TEST(LogApiTest, OperationAndPerfUseTheSharedInstance)
{
    QTemporaryDir temp;
    LogSettings settings;
    settings.runLogFile = temp.filePath(QStringLiteral("run.log"));
    settings.operationLogFile = temp.filePath(QStringLiteral("op.log"));
    QString error;
    ASSERT_TRUE(Logger::instance().start(settings, &error)) << error.toStdString();
    operation(QStringLiteral("[Add] Add instance P IP %1").arg(QStringLiteral("1.2.3.4:1025")));
    perf(QStringLiteral("throughput 12"));
    COORD_LOG_CRITICAL(QStringLiteral("memory exhausted"));
    Logger::instance().stop();

    const QList<QByteArray> op = readLines(settings.operationLogFile);
    ASSERT_EQ(op.size(), 1);
    EXPECT_TRUE(op.first().endsWith("[ms] : [Add] Add instance P IP 1.2.3.4:1025"));
    const QList<QByteArray> run = readLines(settings.runLogFile);
    ASSERT_EQ(run.size(), 2);
    EXPECT_TRUE(run.at(0).contains("[PERF] : throughput 12"));
    EXPECT_TRUE(run.at(1).contains("[CRITICAL] [logger_test.cpp:")) << run.at(1).toStdString();
}
