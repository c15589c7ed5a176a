// Spec §10.3 path rules: MINDIE_LOG_PATH (absolute / relative / scoped) versus the verbatim JSON
// run_log_path / operation_log_path, and the ~/mindie/log default layout.

#include <QCoreApplication>
#include <QDir>
#include <QRegularExpression>

#include <gtest/gtest.h>

#include "log/logsettings.h"
#include "logtesthelpers.h"

using namespace coord::log;
using coord::log::test::makeEnv;

namespace {

const LogFileStamp kStamp{4321, QDateTime(QDate(2024, 5, 6), QTime(7, 8, 9, 10))};
constexpr char kFile[] = "mindie-ms_coordinator_4321_20240506070809010.log";

struct PathCase
{
    const char* name;
    const char* envPath; // MINDIE_LOG_PATH, nullptr = unset
    const char* jsonRun;
    const char* jsonOperation;
    const char* expectedRun; // "%F" stands for the generated file name
    const char* expectedOperation;
};

// Names the row in test output instead of dumping its bytes.
void PrintTo(const PathCase& row, std::ostream* out)
{
    *out << row.name;
}

QString expand(const char* pattern)
{
    return QString::fromUtf8(pattern).replace(QStringLiteral("%F"), QString::fromLatin1(kFile));
}

} // namespace

TEST(LogFileNameTest, HasPidAndMillisecondStamp)
{
    EXPECT_EQ(logFileName(kStamp), QString::fromLatin1(kFile));
}

TEST(LogFileNameTest, CurrentStampUsesThisProcess)
{
    const QString name = logFileName(LogFileStamp::current());
    const QRegularExpression shape(QStringLiteral("^mindie-ms_coordinator_(\\d+)_\\d{17}\\.log$"));
    const QRegularExpressionMatch match = shape.match(name);
    ASSERT_TRUE(match.hasMatch()) << name.toStdString();
    EXPECT_EQ(match.captured(1).toLongLong(), QCoreApplication::applicationPid());
}

class LogSettingsPathTest : public ::testing::TestWithParam<PathCase>
{
};

TEST_P(LogSettingsPathTest, Resolves)
{
    const PathCase& row = GetParam();
    LogInfoConfig json;
    json.runLogPath = QString::fromUtf8(row.jsonRun);
    json.operationLogPath = QString::fromUtf8(row.jsonOperation);
    QProcessEnvironment env = makeEnv();
    if (row.envPath) {
        env.insert(QStringLiteral("MINDIE_LOG_PATH"), QString::fromUtf8(row.envPath));
    }
    QStringList warnings;
    const LogSettings settings = resolveLogSettings(json, env, kStamp, &warnings);
    EXPECT_EQ(settings.runLogFile, expand(row.expectedRun));
    EXPECT_EQ(settings.operationLogFile, expand(row.expectedOperation));
    EXPECT_TRUE(warnings.isEmpty());
}

INSTANTIATE_TEST_SUITE_P(
    Cases, LogSettingsPathTest,
    ::testing::Values(
        PathCase{"DefaultLayout", nullptr, "", "", "/home/tester/mindie/log/debug/%F",
                 "/home/tester/mindie/log/security/%F"},
        PathCase{"JsonVerbatim", nullptr, "./logs/ms_coordinator_run_log.txt", "./logs/op.txt",
                 "./logs/ms_coordinator_run_log.txt", "./logs/op.txt"},
        PathCase{"JsonRunOnly", nullptr, "/data/run.log", "", "/data/run.log",
                 "/home/tester/mindie/log/security/%F"},
        PathCase{"EmptyEnvUsesJson", "", "/data/run.log", "/data/op.log", "/data/run.log", "/data/op.log"},
        PathCase{"AbsoluteEnv", "/var/tmp/ms", "/data/run.log", "/data/op.log", "/var/tmp/ms/log/debug/%F",
                 "/var/tmp/ms/log/security/%F"},
        PathCase{"AbsoluteEnvTrailingSlash", "/var/tmp/ms/", "", "", "/var/tmp/ms/log/debug/%F",
                 "/var/tmp/ms/log/security/%F"},
        PathCase{"RelativeEnv", "custom", "", "", "/home/tester/mindie/log/custom/log/debug/%F",
                 "/home/tester/mindie/log/custom/log/security/%F"},
        PathCase{"DotRelativeEnv", "./custom_log", "", "", "/home/tester/mindie/log/custom_log/log/debug/%F",
                 "/home/tester/mindie/log/custom_log/log/security/%F"},
        PathCase{"ScopedEnv", "llm:/x; ms:/srv/logs", "", "", "/srv/logs/log/debug/%F",
                 "/srv/logs/log/security/%F"},
        PathCase{"ScopedForOthersOnly", "llm:/x", "/data/run.log", "", "/data/run.log",
                 "/home/tester/mindie/log/security/%F"},
        PathCase{"ColonInUnscopedPath", "/srv/a:b", "", "", "/srv/a:b/log/debug/%F",
                 "/srv/a:b/log/security/%F"}),
    [](const ::testing::TestParamInfo<PathCase>& testCase) { return std::string(testCase.param.name); });

TEST(LogSettingsPathHomeTest, FallsBackToUserHomeWithoutHomeVariable)
{
    const LogSettings settings = resolveLogSettings(LogInfoConfig{}, QProcessEnvironment(), kStamp, nullptr);
    EXPECT_EQ(settings.runLogFile,
              QDir::homePath() + QStringLiteral("/mindie/log/debug/") + QString::fromLatin1(kFile));
}
