// Level names and the MINDIE_LOG_* value syntax: component scoping, booleans, MINDIE_LOG_ROTATE.

#include <optional>

#include <gtest/gtest.h>

#include "log/envvalue.h"
#include "log/loglevel.h"

using namespace coord::log;

TEST(LogLevelTest, ParsesNamesCaseInsensitively)
{
    EXPECT_EQ(parseLevel(u"critical"), Level::Critical);
    EXPECT_EQ(parseLevel(u"Error"), Level::Error);
    EXPECT_EQ(parseLevel(u"WARN"), Level::Warn);
    EXPECT_EQ(parseLevel(u" info "), Level::Info);
    EXPECT_EQ(parseLevel(u"dEbUg"), Level::Debug);
    EXPECT_EQ(parseLevel(u"perf"), Level::Perf);
    EXPECT_EQ(parseLevel(u"warning"), std::nullopt);
    EXPECT_EQ(parseLevel(u""), std::nullopt);
}

TEST(LogLevelTest, PerfIsNotAThreshold)
{
    EXPECT_EQ(parseThreshold(u"perf"), std::nullopt);
    EXPECT_EQ(parseThreshold(u"debug"), Level::Debug);
}

TEST(LogLevelTest, NamesAreUpperCase)
{
    EXPECT_EQ(levelName(Level::Critical), QLatin1StringView("CRITICAL"));
    EXPECT_EQ(levelName(Level::Warn), QLatin1StringView("WARN"));
    EXPECT_EQ(levelName(Level::Perf), QLatin1StringView("PERF"));
}

struct ScopeCase
{
    const char* raw;
    std::optional<const char*> expected;
};

// Names the row in test output instead of dumping its bytes.
void PrintTo(const ScopeCase& row, std::ostream* out)
{
    *out << '"' << row.raw << '"';
}

class LogEnvScopeTest : public ::testing::TestWithParam<ScopeCase>
{
};

TEST_P(LogEnvScopeTest, PicksTheValueForMs)
{
    const ScopeCase& row = GetParam();
    const std::optional<QString> value = componentValue(QString::fromUtf8(row.raw));
    if (row.expected) {
        ASSERT_TRUE(value.has_value()) << row.raw;
        EXPECT_EQ(*value, QString::fromUtf8(*row.expected)) << row.raw;
    } else {
        EXPECT_FALSE(value.has_value()) << row.raw << " gave " << value->toStdString();
    }
}

INSTANTIATE_TEST_SUITE_P(
    Values, LogEnvScopeTest,
    ::testing::Values(ScopeCase{"info", "info"}, ScopeCase{"ms:warn", "warn"},
                      ScopeCase{"MS: debug ", "debug"}, ScopeCase{"llm:debug", std::nullopt},
                      ScopeCase{"llm:debug; ms:warn", "warn"}, ScopeCase{"ms:warn; llm:debug", "warn"},
                      ScopeCase{"debug; ms:INfo", "INfo"}, ScopeCase{"ms:info; error", "error"},
                      ScopeCase{"ms:debug;ms:error", "error"}, ScopeCase{";;", std::nullopt},
                      ScopeCase{"/var/log/a:b", "/var/log/a:b"}, ScopeCase{"ms:/abs/path", "/abs/path"},
                      ScopeCase{"ms: -fs 40 -r 1", "-fs 40 -r 1"}));

TEST(LogEnvBoolTest, AcceptsTrueFalseOneZero)
{
    EXPECT_EQ(parseBoolValue(u"true"), true);
    EXPECT_EQ(parseBoolValue(u"TRUE"), true);
    EXPECT_EQ(parseBoolValue(u"1"), true);
    EXPECT_EQ(parseBoolValue(u"False"), false);
    EXPECT_EQ(parseBoolValue(u" 0 "), false);
    EXPECT_EQ(parseBoolValue(u"yes"), std::nullopt);
    EXPECT_EQ(parseBoolValue(u"2"), std::nullopt);
    EXPECT_EQ(parseBoolValue(u""), std::nullopt);
}

struct RotateCase
{
    const char* value;
    bool valid;
    std::optional<int> sizeMb;
    std::optional<int> count;
};

void PrintTo(const RotateCase& row, std::ostream* out)
{
    *out << '"' << row.value << '"';
}

class LogEnvRotateTest : public ::testing::TestWithParam<RotateCase>
{
};

TEST_P(LogEnvRotateTest, ParsesSizeAndCount)
{
    const RotateCase& row = GetParam();
    QString problem;
    const std::optional<RotateOption> option = parseRotateOption(QString::fromUtf8(row.value), &problem);
    ASSERT_EQ(option.has_value(), row.valid) << row.value << ": " << problem.toStdString();
    if (option) {
        EXPECT_EQ(option->fileSizeMb, row.sizeMb) << row.value;
        EXPECT_EQ(option->fileCount, row.count) << row.value;
    } else {
        EXPECT_FALSE(problem.isEmpty()) << row.value;
    }
}

INSTANTIATE_TEST_SUITE_P(
    Values, LogEnvRotateTest,
    ::testing::Values(RotateCase{"-fs 20 -r 10", true, 20, 10}, RotateCase{"-r 3 -fs 7", true, 7, 3},
                      RotateCase{"-fs 500", true, 500, std::nullopt},
                      RotateCase{"-r 1", true, std::nullopt, 1}, RotateCase{"-fs 1 -r 64", true, 1, 64},
                      RotateCase{"-s 30 -fs 20 -r 10", true, 20, 10}, RotateCase{"-fs 0", false, {}, {}},
                      RotateCase{"-fs 501", false, {}, {}}, RotateCase{"-r 0", false, {}, {}},
                      RotateCase{"-r 65", false, {}, {}}, RotateCase{"-fs abc", false, {}, {}},
                      RotateCase{"-fs", false, {}, {}}, RotateCase{"-x 3", false, {}, {}},
                      RotateCase{"", false, {}, {}}, RotateCase{"-fs 2.5", false, {}, {}}));
