// Environment and command-line overrides, applied through validateConfigJson().
#include <gtest/gtest.h>

#include "config/configloader.h"
#include "configtestsupport.h"

namespace coord::config {
namespace {

using namespace test;

LoadOptions optionsWith(const QHash<QString, QString>& variables, const QStringList& positional = {})
{
    LoadOptions options;
    options.env = QProcessEnvironment();
    for (auto it = variables.begin(); it != variables.end(); ++it)
        options.env.insert(it.key(), it.value());
    options.positionalArgs = positional;
    return options;
}

std::string describe(const LoadResult& result)
{
    QStringList lines = toStringList(result.errors);
    for (const QString& warning : result.warnings)
        lines.append("warning: " + warning);
    return lines.join('\n').toStdString();
}

const QString kMaxReq = "MINDIE_MS_COORDINATOR_CONFIG_MAX_REQ";
const QString kSingleNode = "MINDIE_MS_COORDINATOR_CONFIG_SINGLE_NODE_MAX_REQ";

struct EnvCase
{
    QString variable;
    QString value;
    LoadStatus status;
    int expectedMaxRequests;
    int expectedSingleNode;
    QString expectedProblem; // substring of an error (Invalid) or warning (Ok); empty: none
};

void PrintTo(const EnvCase& c, std::ostream* os)
{
    *os << c.variable.toStdString() << '=' << c.value.toStdString();
}

class EnvOverrideTest : public ::testing::TestWithParam<EnvCase>
{
};

TEST_P(EnvOverrideTest, Precedence)
{
    const EnvCase& c = GetParam();
    const LoadResult result = validateConfigJson(defaultConfigJson(), optionsWith({{c.variable, c.value}}));
    ASSERT_EQ(result.status, c.status) << describe(result);
    if (c.status == LoadStatus::Ok) {
        EXPECT_EQ(result.config.requestLimit.maxRequests, c.expectedMaxRequests);
        EXPECT_EQ(result.config.requestLimit.singleNodeMaxRequests, c.expectedSingleNode);
    }
    if (!c.expectedProblem.isEmpty()) {
        EXPECT_TRUE(QString::fromStdString(describe(result)).contains(c.expectedProblem)) << describe(result);
    }
}

INSTANTIATE_TEST_SUITE_P(
    MaxRequests, EnvOverrideTest,
    ::testing::Values(
        EnvCase{kMaxReq, "", LoadStatus::Ok, 10000, 1000, ""},
        EnvCase{kMaxReq, "500", LoadStatus::Ok, 500, 1000, ""},
        EnvCase{kMaxReq, "90000", LoadStatus::Ok, 90000, 1000, ""},
        EnvCase{kMaxReq, "90001", LoadStatus::Ok, 90000, 1000,
                "warning: MINDIE_MS_COORDINATOR_CONFIG_MAX_REQ: 90001 is out of range; "
                "request_limit.max_requests is clamped to 90000 (allowed: 1..90000)"},
        EnvCase{kMaxReq, "0", LoadStatus::Ok, 90000, 1000, "clamped to 90000"},
        EnvCase{kMaxReq, "99999999999999999999999", LoadStatus::Ok, 90000, 1000, "clamped to 90000"},
        EnvCase{kMaxReq, "abc", LoadStatus::Invalid, 0, 0,
                "MINDIE_MS_COORDINATOR_CONFIG_MAX_REQ: \"abc\" is not an integer (allowed: 1..90000)"},
        EnvCase{kMaxReq, "12.5", LoadStatus::Invalid, 0, 0, "is not an integer"},
        EnvCase{kSingleNode, "15000", LoadStatus::Ok, 10000, 15000, ""},
        EnvCase{kSingleNode, "1", LoadStatus::Ok, 10000, 1, ""},
        EnvCase{kSingleNode, "15001", LoadStatus::Invalid, 0, 0,
                "request_limit.single_node_max_requests: 15001 is out of range; value from "
                "MINDIE_MS_COORDINATOR_CONFIG_SINGLE_NODE_MAX_REQ (allowed: 1..15000)"},
        EnvCase{kSingleNode, "x1", LoadStatus::Invalid, 0, 0,
                "MINDIE_MS_COORDINATOR_CONFIG_SINGLE_NODE_MAX_REQ: \"x1\" is not an integer"}));

TEST(EnvOverrideTest, EnvironmentWinsOverAnInvalidFileValue)
{
    QJsonObject root = with(defaultRoot(), "request_limit.max_requests", 0);
    const QByteArray json = QJsonDocument(root).toJson();
    EXPECT_EQ(validateConfigJson(json, optionsWith({})).status, LoadStatus::Invalid);
    const LoadResult result = validateConfigJson(json, optionsWith({{kMaxReq, "42"}}));
    ASSERT_EQ(result.status, LoadStatus::Ok) << describe(result);
    EXPECT_EQ(result.config.requestLimit.maxRequests, 42);
    EXPECT_EQ(result.effectiveJson["request_limit"]["max_requests"].toInt(), 42);
}

struct PositionalCase
{
    QStringList arguments;
    LoadStatus status;
    QString predictIp;
    quint16 predictPort;
    QString manageIp;
    quint16 managePort;
    QString expectedError; // substring, for Invalid
};

void PrintTo(const PositionalCase& c, std::ostream* os)
{
    *os << '[' << c.arguments.join(' ').toStdString() << ']';
}

class PositionalOverrideTest : public ::testing::TestWithParam<PositionalCase>
{
};

TEST_P(PositionalOverrideTest, OverridesAddressesAndPorts)
{
    const PositionalCase& c = GetParam();
    const LoadResult result = validateConfigJson(defaultConfigJson(), optionsWith({}, c.arguments));
    ASSERT_EQ(result.status, c.status) << describe(result);
    if (c.status == LoadStatus::Ok) {
        EXPECT_EQ(result.config.http.predictIp, c.predictIp);
        EXPECT_EQ(result.config.http.predictPort, c.predictPort);
        EXPECT_EQ(result.config.http.manageIp, c.manageIp);
        EXPECT_EQ(result.config.http.managePort, c.managePort);
    } else {
        EXPECT_TRUE(QString::fromStdString(describe(result)).contains(c.expectedError)) << describe(result);
    }
}

INSTANTIATE_TEST_SUITE_P(
    Forms, PositionalOverrideTest,
    ::testing::Values(
        PositionalCase{{}, LoadStatus::Ok, "127.0.0.1", 1025, "127.0.0.1", 1026, ""},
        PositionalCase{{"10.0.0.5"}, LoadStatus::Ok, "10.0.0.5", 1025, "127.0.0.1", 1026, ""},
        PositionalCase{{"10.0.0.5", "10.0.0.6"}, LoadStatus::Ok, "10.0.0.5", 1025, "10.0.0.6", 1026, ""},
        PositionalCase{
            {"10.0.0.5", "2025", "::1", "2026"}, LoadStatus::Ok, "10.0.0.5", 2025, "::1", 2026, ""},
        PositionalCase{
            {"10.0.0.300"},
            LoadStatus::Invalid,
            {},
            0,
            {},
            0,
            "http_config.predict_ip: \"10.0.0.300\" is not a valid IPv4 or IPv6 address; value from "
            "command-line argument 1 (allowed: an IPv4 or IPv6 address)"},
        PositionalCase{{"10.0.0.5", "host"},
                       LoadStatus::Invalid,
                       {},
                       0,
                       {},
                       0,
                       "http_config.manage_ip: \"host\" is not a valid"},
        PositionalCase{
            {"10.0.0.5", "80", "10.0.0.6", "2026"},
            LoadStatus::Invalid,
            {},
            0,
            {},
            0,
            "http_config.predict_port: \"80\" is out of range; value from command-line argument 2"},
        PositionalCase{
            {"10.0.0.5", "2025", "10.0.0.6", "port"},
            LoadStatus::Invalid,
            {},
            0,
            {},
            0,
            "http_config.manage_port: \"port\" is not a port number; value from command-line argument 4"},
        PositionalCase{{"10.0.0.5", "1027", "10.0.0.6", "2026"},
                       LoadStatus::Invalid,
                       {},
                       0,
                       {},
                       0,
                       "http_config.alarm_port: port 1027 is also used by http_config.predict_port"},
        PositionalCase{{"0.0.0.0"}, LoadStatus::Invalid, {}, 0, {}, 0, "listens on all interfaces"},
        PositionalCase{
            {"10.0.0.5", "2025", "10.0.0.6"},
            LoadStatus::Invalid,
            {},
            0,
            {},
            0,
            "command line: Incorrect usage: 3 positional arguments given. The expected format is: "
            "ms_coordinator [<predict_ip> [<manage_ip>]] | ms_coordinator <predict_ip> <predict_port> "
            "<manage_ip> <manage_port>"},
        PositionalCase{{"a", "b", "c", "d", "e"},
                       LoadStatus::Invalid,
                       {},
                       0,
                       {},
                       0,
                       "Incorrect usage: 5 positional arguments given"}));

} // namespace
} // namespace coord::config
