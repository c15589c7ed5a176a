// Spec §10.3 precedence: MINDIE_LOG_* > MINDIEMS_LOG_LEVEL > JSON log_info, with invalid values
// reported and skipped in favour of the next-lower source.

#include <gtest/gtest.h>

#include "log/logsettings.h"
#include "logtesthelpers.h"

using namespace coord::log;
using coord::log::test::makeEnv;

namespace {

struct LevelCase
{
    const char* name;
    const char* json;
    const char* oldVar; // MINDIEMS_LOG_LEVEL, nullptr = unset
    const char* newVar; // MINDIE_LOG_LEVEL, nullptr = unset
    bool enabled;
    Level level;
    const char* warningNames; // substring of the single expected warning, nullptr = none
};

// Names the row in test output instead of dumping its bytes.
void PrintTo(const LevelCase& row, std::ostream* out)
{
    *out << row.name;
}

QProcessEnvironment levelEnv(const LevelCase& row)
{
    QProcessEnvironment env = makeEnv();
    if (row.oldVar) {
        env.insert(QStringLiteral("MINDIEMS_LOG_LEVEL"), QString::fromUtf8(row.oldVar));
    }
    if (row.newVar) {
        env.insert(QStringLiteral("MINDIE_LOG_LEVEL"), QString::fromUtf8(row.newVar));
    }
    return env;
}

} // namespace

class LogSettingsLevelTest : public ::testing::TestWithParam<LevelCase>
{
};

TEST_P(LogSettingsLevelTest, Resolves)
{
    const LevelCase& row = GetParam();
    LogInfoConfig json;
    json.logLevel = QString::fromUtf8(row.json);
    QStringList warnings;
    const LogSettings settings = resolveLogSettings(json, levelEnv(row), &warnings);

    EXPECT_EQ(settings.enabled, row.enabled);
    if (row.enabled) {
        EXPECT_EQ(settings.level, row.level);
    }
    if (row.warningNames) {
        ASSERT_EQ(warnings.size(), 1) << warnings.join(u'|').toStdString();
        EXPECT_TRUE(warnings.first().contains(QString::fromUtf8(row.warningNames)))
            << warnings.first().toStdString();
    } else {
        EXPECT_TRUE(warnings.isEmpty()) << warnings.join(u'|').toStdString();
    }
}

INSTANTIATE_TEST_SUITE_P(
    Matrix, LogSettingsLevelTest,
    ::testing::Values(
        LevelCase{"JsonOnly", "DEBUG", nullptr, nullptr, true, Level::Debug, nullptr},
        LevelCase{"JsonLowerCase", "warn", nullptr, nullptr, true, Level::Warn, nullptr},
        LevelCase{"OldOverridesJson", "INFO", "ERROR", nullptr, true, Level::Error, nullptr},
        LevelCase{"NewOverridesOld", "INFO", "ERROR", "debug", true, Level::Debug, nullptr},
        LevelCase{"NewScopedToMs", "INFO", nullptr, "ms:warn", true, Level::Warn, nullptr},
        LevelCase{"NewScopedElsewhere", "INFO", "ERROR", "llm:debug", true, Level::Error, nullptr},
        LevelCase{"LaterEntryWins", "INFO", nullptr, "llm:debug; ms:warn", true, Level::Warn, nullptr},
        LevelCase{"LaterMsEntryWins", "INFO", nullptr, "ms:debug; ms:critical", true, Level::Critical,
                  nullptr},
        LevelCase{"DocExample", "ERROR", nullptr, "debug; ms:INfo", true, Level::Info, nullptr},
        LevelCase{"LaterUnscopedWins", "INFO", nullptr, "ms:info; error", true, Level::Error, nullptr},
        LevelCase{"NullDisables", "INFO", "DEBUG", "null", false, Level::Info, nullptr},
        LevelCase{"ScopedNullDisables", "INFO", nullptr, "ms:NULL", false, Level::Info, nullptr},
        LevelCase{"NullForOthersOnly", "WARN", nullptr, "llm:null", true, Level::Warn, nullptr},
        LevelCase{"EmptyNewIgnored", "WARN", nullptr, "", true, Level::Warn, nullptr},
        LevelCase{"EmptyScopedIgnored", "WARN", nullptr, "ms:", true, Level::Warn, nullptr},
        LevelCase{"InvalidNewFallsToOld", "INFO", "WARN", "loud", true, Level::Warn,
                  "MINDIE_LOG_LEVEL has invalid value 'loud'"},
        LevelCase{"InvalidNewNamesOldAsFallback", "INFO", "WARN", "loud", true, Level::Warn,
                  "using MINDIEMS_LOG_LEVEL instead"},
        LevelCase{"InvalidNewFallsToJson", "DEBUG", nullptr, "ms:perf", true, Level::Debug,
                  "using log_info.log_level instead"},
        LevelCase{"InvalidOldFallsToJson", "DEBUG", "verbose", nullptr, true, Level::Debug,
                  "MINDIEMS_LOG_LEVEL has invalid value 'verbose'"},
        LevelCase{"OldDoesNotTakeNull", "ERROR", "null", nullptr, true, Level::Error, "MINDIEMS_LOG_LEVEL"},
        LevelCase{"InvalidJsonUsesInfo", "TRACE", nullptr, nullptr, true, Level::Info,
                  "log_info.log_level has invalid value 'TRACE'"}),
    [](const ::testing::TestParamInfo<LevelCase>& testCase) { return std::string(testCase.param.name); });

struct BoolCase
{
    const char* var;
    const char* value;
    bool jsonValue;
    bool expected;
    bool expectWarning;
};

void PrintTo(const BoolCase& row, std::ostream* out)
{
    *out << row.var << '=' << row.value;
}

class LogSettingsBoolTest : public ::testing::TestWithParam<BoolCase>
{
};

TEST_P(LogSettingsBoolTest, EnvOverridesJson)
{
    const BoolCase& row = GetParam();
    LogInfoConfig json;
    json.toFile = row.jsonValue;
    json.toStdout = row.jsonValue;
    QStringList warnings;
    const LogSettings settings = resolveLogSettings(json, makeEnv({{row.var, row.value}}), &warnings);

    const QString var = QString::fromUtf8(row.var);
    const bool actual = var == u"MINDIE_LOG_TO_FILE"     ? settings.toFile
                        : var == u"MINDIE_LOG_TO_STDOUT" ? settings.toStdout
                                                         : settings.verbose;
    EXPECT_EQ(actual, row.expected) << row.var << "=" << row.value;
    ASSERT_EQ(warnings.size(), row.expectWarning ? 1 : 0) << warnings.join(u'|').toStdString();
    if (row.expectWarning) {
        EXPECT_TRUE(warnings.first().startsWith(var)) << warnings.first().toStdString();
        EXPECT_TRUE(warnings.first().contains(QStringLiteral("'%1'").arg(QString::fromUtf8(row.value))));
        EXPECT_TRUE(warnings.first().contains(u"instead"));
    }
}

INSTANTIATE_TEST_SUITE_P(Matrix, LogSettingsBoolTest,
                         ::testing::Values(BoolCase{"MINDIE_LOG_TO_FILE", "false", true, false, false},
                                           BoolCase{"MINDIE_LOG_TO_FILE", "1", false, true, false},
                                           BoolCase{"MINDIE_LOG_TO_FILE", "ms:0", true, false, false},
                                           BoolCase{"MINDIE_LOG_TO_FILE", "llm:0", true, true, false},
                                           BoolCase{"MINDIE_LOG_TO_FILE", "maybe", true, true, true},
                                           BoolCase{"MINDIE_LOG_TO_STDOUT", "TRUE", false, true, false},
                                           BoolCase{"MINDIE_LOG_TO_STDOUT", "on", false, false, true},
                                           BoolCase{"MINDIE_LOG_VERBOSE", "0", true, false, false},
                                           BoolCase{"MINDIE_LOG_VERBOSE", "ms: false", true, false, false},
                                           BoolCase{"MINDIE_LOG_VERBOSE", "nope", false, true, true}));

TEST(LogSettingsDefaultsTest, MatchTable1)
{
    QStringList warnings;
    const LogSettings settings = resolveLogSettings(LogInfoConfig{}, makeEnv(), &warnings);
    EXPECT_TRUE(warnings.isEmpty());
    EXPECT_TRUE(settings.enabled);
    EXPECT_EQ(settings.level, Level::Info);
    EXPECT_TRUE(settings.toFile);
    EXPECT_FALSE(settings.toStdout);
    EXPECT_TRUE(settings.verbose);
    EXPECT_EQ(settings.maxLogStrSize, 4096);
    EXPECT_EQ(settings.maxFileBytes, 20 * kBytesPerMb);
    EXPECT_EQ(settings.maxFileNum, 10);
}

struct RotateEnvCase
{
    const char* value;
    int expectedSizeMb;
    int expectedCount;
    bool expectWarning;
};

void PrintTo(const RotateEnvCase& row, std::ostream* out)
{
    *out << "MINDIE_LOG_ROTATE=" << row.value;
}

class LogSettingsRotateTest : public ::testing::TestWithParam<RotateEnvCase>
{
};

TEST_P(LogSettingsRotateTest, EnvOverridesJsonSizes)
{
    const RotateEnvCase& row = GetParam();
    LogInfoConfig json;
    json.maxLogFileSizeMb = 30;
    json.maxLogFileNum = 5;
    QStringList warnings;
    const LogSettings settings =
        resolveLogSettings(json, makeEnv({{"MINDIE_LOG_ROTATE", row.value}}), &warnings);
    EXPECT_EQ(settings.maxFileBytes, row.expectedSizeMb * kBytesPerMb) << row.value;
    EXPECT_EQ(settings.maxFileNum, row.expectedCount) << row.value;
    ASSERT_EQ(warnings.size(), row.expectWarning ? 1 : 0) << warnings.join(u'|').toStdString();
    if (row.expectWarning) {
        EXPECT_TRUE(warnings.first().contains(u"MINDIE_LOG_ROTATE")) << warnings.first().toStdString();
        EXPECT_TRUE(warnings.first().contains(u"max_log_file_size 30 MB")) << warnings.first().toStdString();
    }
}

INSTANTIATE_TEST_SUITE_P(
    Matrix, LogSettingsRotateTest,
    ::testing::Values(RotateEnvCase{"-fs 50 -r 7", 50, 7, false},
                      RotateEnvCase{"ms: -fs 1 -r 64", 1, 64, false}, RotateEnvCase{"-fs 100", 100, 5, false},
                      RotateEnvCase{"-r 2", 30, 2, false}, RotateEnvCase{"torch: -fs 40 -r 1", 30, 5, false},
                      RotateEnvCase{"-fs 0 -r 3", 30, 5, true}, RotateEnvCase{"-fs 501", 30, 5, true},
                      RotateEnvCase{"-r 65", 30, 5, true}, RotateEnvCase{"-fs twenty", 30, 5, true}));

struct JsonRangeCase
{
    int strSize;
    int fileSizeMb;
    int fileNum;
    int expectedStrSize;
    int expectedSizeMb;
    int expectedNum;
    int expectedWarnings;
};

void PrintTo(const JsonRangeCase& row, std::ostream* out)
{
    *out << row.strSize << '/' << row.fileSizeMb << '/' << row.fileNum;
}

class LogSettingsJsonRangeTest : public ::testing::TestWithParam<JsonRangeCase>
{
};

TEST_P(LogSettingsJsonRangeTest, OutOfRangeFallsBackToDefault)
{
    const JsonRangeCase& row = GetParam();
    LogInfoConfig json;
    json.maxLogStrSize = row.strSize;
    json.maxLogFileSizeMb = row.fileSizeMb;
    json.maxLogFileNum = row.fileNum;
    QStringList warnings;
    const LogSettings settings = resolveLogSettings(json, makeEnv(), &warnings);
    EXPECT_EQ(settings.maxLogStrSize, row.expectedStrSize);
    EXPECT_EQ(settings.maxFileBytes, row.expectedSizeMb * kBytesPerMb);
    EXPECT_EQ(settings.maxFileNum, row.expectedNum);
    EXPECT_EQ(warnings.size(), row.expectedWarnings) << warnings.join(u'|').toStdString();
}

INSTANTIATE_TEST_SUITE_P(Matrix, LogSettingsJsonRangeTest,
                         ::testing::Values(JsonRangeCase{128, 1, 1, 128, 1, 1, 0},
                                           JsonRangeCase{65535, 500, 64, 65535, 500, 64, 0},
                                           JsonRangeCase{127, 0, 0, 4096, 20, 10, 3},
                                           JsonRangeCase{65536, 501, 65, 4096, 20, 10, 3}));

TEST(LogSettingsWarningTest, NullPointerForWarningsIsAllowed)
{
    const LogSettings settings =
        resolveLogSettings(LogInfoConfig{}, makeEnv({{"MINDIE_LOG_TO_FILE", "bogus"}}), nullptr);
    EXPECT_TRUE(settings.toFile);
}
