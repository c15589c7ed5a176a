// Spec §10.2 line shapes: run lines (verbose / plain / DEBUG) and operation lines.

#include <QDateTime>
#include <QRegularExpression>
#include <QTimeZone>

#include <gtest/gtest.h>

#include "log/logformat.h"
#include "logtesthelpers.h"

using namespace coord::log;
using coord::log::test::timestampPattern;

namespace {

const ProcessIdentity kIdentity{4242, QByteArrayLiteral("node-7"), QByteArrayLiteral("mindie")};
constexpr qint64 kThread = 777;

QString lineOf(const QByteArray& lines)
{
    EXPECT_TRUE(lines.endsWith('\n'));
    EXPECT_EQ(lines.count('\n'), 1);
    return QString::fromUtf8(lines.chopped(1));
}

void expectShape(const QString& line, const QString& patternAfterTimestamp)
{
    const QRegularExpression shape(QStringLiteral("^") + QLatin1StringView(timestampPattern()) +
                                   patternAfterTimestamp + QStringLiteral("$"));
    EXPECT_TRUE(shape.match(line).hasMatch())
        << line.toStdString() << "\n  vs " << shape.pattern().toStdString();
}

struct RunShapeCase
{
    const char* name;
    bool verbose;
    Level level;
    const char* file;
    const char* pattern; // after the timestamp
};

// Names the row in test output instead of dumping its bytes.
void PrintTo(const RunShapeCase& row, std::ostream* out)
{
    *out << row.name;
}

} // namespace

class LogRunLineTest : public ::testing::TestWithParam<RunShapeCase>
{
};

TEST_P(LogRunLineTest, HasSpecShape)
{
    const RunShapeCase& row = GetParam();
    const LineFormatter formatter(kIdentity, row.verbose, 4096);
    const RunRecord record{row.level, u"hello world", row.file, 42};
    expectShape(lineOf(formatter.runLines(record, LogClock::now(), kThread)), QString::fromUtf8(row.pattern));
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, LogRunLineTest,
    ::testing::Values(RunShapeCase{"PlainInfo", false, Level::Info, "src/a.cpp",
                                   R"( \[INFO\] : hello world)"},
                      RunShapeCase{"PlainError", false, Level::Error, nullptr, R"( \[ERROR\] : hello world)"},
                      RunShapeCase{"PlainPerf", false, Level::Perf, nullptr, R"( \[PERF\] : hello world)"},
                      RunShapeCase{"PlainDebugShowsIds", false, Level::Debug, "src/a.cpp",
                                   R"( \[4242\] \[777\] \[ms\] \[DEBUG\] : hello world)"},
                      RunShapeCase{"VerboseInfo", true, Level::Info, "/abs/dir/manager.cpp",
                                   R"( \[4242\] \[777\] \[ms\] \[INFO\] \[manager\.cpp:42\] : hello world)"},
                      RunShapeCase{"VerboseWithoutFile", true, Level::Warn, nullptr,
                                   R"( \[4242\] \[777\] \[ms\] \[WARN\] : hello world)"},
                      RunShapeCase{"VerboseCritical", true, Level::Critical, "x.cpp",
                                   R"( \[4242\] \[777\] \[ms\] \[CRITICAL\] \[x\.cpp:42\] : hello world)"}),
    [](const ::testing::TestParamInfo<RunShapeCase>& testCase) { return std::string(testCase.param.name); });

TEST(LogOperationLineTest, HasPidHostUserAndMsTag)
{
    const LineFormatter formatter(kIdentity, false, 4096);
    const QString line =
        lineOf(formatter.operationLines(u"[Start] MindIE-MS coordinator start successful.", LogClock::now()));
    expectShape(line, QStringLiteral(R"( \[4242\] \[node-7\] \[mindie\] \[ms\] : \[Start\] MindIE-MS )"
                                     R"(coordinator start successful\.)"));
}

TEST(LogOperationLineTest, VerboseDoesNotChangeShape)
{
    const LineFormatter formatter(kIdentity, true, 4096);
    expectShape(
        lineOf(formatter.operationLines(u"[Add] Add instance P IP 1.2.3.4", LogClock::now())),
        QStringLiteral(R"( \[4242\] \[node-7\] \[mindie\] \[ms\] : \[Add\] Add instance P IP 1\.2\.3\.4)"));
}

TEST(LogTimestampTest, IsLocalTimeWithMicrosecondsAndOffset)
{
    using namespace std::chrono;
    const qint64 epochMs =
        QDateTime(QDate(2024, 5, 1), QTime(12, 34, 56, 123), QTimeZone::utc()).toMSecsSinceEpoch();
    const LogClock::time_point when{microseconds(epochMs * 1000 + 456)};

    const QDateTime local = QDateTime::fromMSecsSinceEpoch(epochMs).toLocalTime();
    const int offset = local.offsetFromUtc() / 60;
    const QString expected = local.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")) +
                             QStringLiteral("456") + (offset < 0 ? u'-' : u'+') +
                             QStringLiteral("%1:%2")
                                 .arg(qAbs(offset) / 60, 2, 10, QLatin1Char('0'))
                                 .arg(qAbs(offset) % 60, 2, 10, QLatin1Char('0'));
    EXPECT_EQ(QString::fromLatin1(formatTimestamp(when)), expected);
}

TEST(LogRunLineTimeTest, TimestampComesFromTheGivenTime)
{
    using namespace std::chrono;
    const LineFormatter formatter(kIdentity, false, 4096);
    const LogClock::time_point when{seconds(1'700'000'000) + microseconds(1)};
    const QByteArray lines = formatter.runLines(RunRecord{Level::Info, u"x"}, when, kThread);
    EXPECT_TRUE(lines.startsWith('[' + formatTimestamp(when) + "] [INFO] : x"));
}
