// Argument parsing and `--check-config` exit codes and output.
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include "config/commandline.h"
#include "configtestsupport.h"

namespace coord::config {
namespace {

using namespace test;
using Action = CommandLine::Action;

struct ParseCase
{
    QStringList arguments; // without the program name
    Action action;
    QString configPath;
    QStringList positional;
    bool hasErrors;
};

void PrintTo(const ParseCase& c, std::ostream* os)
{
    *os << '[' << c.arguments.join(' ').toStdString() << ']';
}

class CommandLineParseTest : public ::testing::TestWithParam<ParseCase>
{
};

TEST_P(CommandLineParseTest, Parses)
{
    const ParseCase& c = GetParam();
    const CommandLine parsed = parseCommandLine(QStringList{"ms_coordinator"} + c.arguments);
    EXPECT_EQ(parsed.action, c.action);
    EXPECT_EQ(parsed.configPath, c.configPath);
    EXPECT_EQ(parsed.positional, c.positional);
    EXPECT_EQ(!parsed.errors.isEmpty(), c.hasErrors) << parsed.errors.join('\n').toStdString();
}

INSTANTIATE_TEST_SUITE_P(
    Forms, CommandLineParseTest,
    ::testing::Values(
        ParseCase{{}, Action::Run, {}, {}, false},
        ParseCase{{"10.0.0.1", "10.0.0.2"}, Action::Run, {}, {"10.0.0.1", "10.0.0.2"}, false},
        ParseCase{{"--config", "/etc/c.json", "::1"}, Action::Run, "/etc/c.json", {"::1"}, false},
        ParseCase{{"--config=/etc/c.json"}, Action::Run, "/etc/c.json", {}, false},
        ParseCase{{"--config"}, Action::Run, {}, {}, true},
        ParseCase{{"--check-config"}, Action::CheckConfig, {}, {}, false},
        ParseCase{{"--check-config", "/etc/c.json"}, Action::CheckConfig, "/etc/c.json", {}, false},
        ParseCase{{"--check-config", "10.0.0.1"}, Action::CheckConfig, {}, {"10.0.0.1"}, false},
        ParseCase{{"--check-config=c.json", "1.2.3.4"}, Action::CheckConfig, "c.json", {"1.2.3.4"}, false},
        ParseCase{
            {"--check-config", "a.json", "--config", "b.json"}, Action::CheckConfig, "a.json", {}, true},
        ParseCase{{"--print-default-config"}, Action::PrintDefaultConfig, {}, {}, false},
        ParseCase{{"--print-config-reference"}, Action::PrintConfigReference, {}, {}, false},
        ParseCase{{"--version"}, Action::Version, {}, {}, false},
        ParseCase{{"-h"}, Action::Help, {}, {}, false},
        ParseCase{{"--help", "--version"}, Action::Help, {}, {}, true},
        ParseCase{{"--version", "10.0.0.1"}, Action::Version, {}, {"10.0.0.1"}, true},
        ParseCase{{"--bogus"}, Action::Run, {}, {}, true},
        ParseCase{{"--", "-1"}, Action::Run, {}, {"-1"}, false}));

TEST(HelpTextTest, MentionsEveryOptionAndEnvironmentOverride)
{
    const QString help = helpText();
    for (const char* word :
         {"--config", "--check-config", "--print-default-config", "--print-config-reference", "--version",
          "--help", "MINDIE_MS_COORDINATOR_CONFIG_FILE_PATH", "MINDIE_MS_COORDINATOR_CONFIG_MAX_REQ",
          "MINDIE_MS_COORDINATOR_CONFIG_SINGLE_NODE_MAX_REQ", "MINDIE_CHECK_INPUTFILES_PERMISSION",
          "<predict_port>"})
        EXPECT_TRUE(help.contains(word)) << word;
}

class CheckConfigTest : public ::testing::Test
{
protected:
    int run(const QStringList& arguments, const QByteArray& json, uint mode = 0640)
    {
        const QString path = writeFile(m_dir.filePath("ms_coordinator.json"), json, mode);
        CommandLine commandLine =
            parseCommandLine(QStringList{"ms_coordinator", "--check-config", path} + arguments);
        m_out.clear();
        m_err.clear();
        QTextStream out(&m_out);
        QTextStream err(&m_err);
        return runCheckConfig(commandLine, out, err, QProcessEnvironment(), m_dir.path());
    }

    QStringList errLines() const { return m_err.split('\n', Qt::SkipEmptyParts); }

    QTemporaryDir m_dir;
    QString m_out;
    QString m_err;
};

TEST_F(CheckConfigTest, ValidConfigExitsZero)
{
    EXPECT_EQ(run({}, QJsonDocument(tlsOffRoot()).toJson()), 0) << m_err.toStdString();
    EXPECT_EQ(errLines(),
              QStringList{"warning: exception_config.schedule_timeout: adjusted from 600 to 580 so that "
                          "it ends 20 s before first_token_timeout/infer_timeout"});
    EXPECT_EQ(m_out, m_dir.filePath("ms_coordinator.json") + ": OK, 1 warning\n");
}

TEST_F(CheckConfigTest, InvalidConfigPrintsEveryProblemAndExitsOne)
{
    QJsonObject root = with(tlsOffRoot(), "exception_config.schedule_timeout", 100);
    root = with(root, "request_limit.body_limit", 21);
    root = with(root, "http_config.status_port", "1025");
    root = with(root, "digs_scheduler_config.algorithm_type", "cache_affinity");
    EXPECT_EQ(run({}, QJsonDocument(root).toJson()), 1);
    EXPECT_EQ(errLines(),
              QStringList(
                  {"request_limit.body_limit: 21 is out of range (allowed: 1..20 MiB)",
                   "digs_scheduler_config.algorithm_type: \"cache_affinity\" cannot be used with deploy_mode "
                   "\"pd_separate\" and scheduler_type \"digs_scheduler\" (allowed: \"load_balance\")",
                   "http_config.status_port: port 1025 is also used by http_config.predict_port (allowed: "
                   "a port different from the other four http_config ports)"}));
    EXPECT_EQ(m_out, m_dir.filePath("ms_coordinator.json") + ": 3 errors, 0 warnings\n");
}

TEST_F(CheckConfigTest, PositionalOverridesAreChecked)
{
    EXPECT_EQ(run({"10.0.0.1", "2000", "10.0.0.2"}, QJsonDocument(tlsOffRoot()).toJson()), 1);
    EXPECT_TRUE(m_err.startsWith("command line: Incorrect usage")) << m_err.toStdString();
}

TEST_F(CheckConfigTest, UnreadableConfigExitsTwo)
{
    EXPECT_EQ(run({}, QJsonDocument(tlsOffRoot()).toJson(), 0666), 2);
    ASSERT_EQ(errLines().size(), 1);
    EXPECT_TRUE(errLines().first().contains("has mode 0666, which exceeds 0640")) << m_err.toStdString();
    EXPECT_TRUE(m_out.endsWith(": 1 error, 0 warnings\n")) << m_out.toStdString();
}

TEST_F(CheckConfigTest, UsageErrorsExitOne)
{
    CommandLine commandLine = parseCommandLine({"ms_coordinator", "--check-config", "--nope"});
    QTextStream out(&m_out);
    QTextStream err(&m_err);
    EXPECT_EQ(runCheckConfig(commandLine, out, err, QProcessEnvironment(), m_dir.path()), 1);
    EXPECT_EQ(m_err, "command line: unknown option \"--nope\"\n");
}

} // namespace
} // namespace coord::config
