// Cross-key rules, warnings and the problem format.
#include <gtest/gtest.h>

#include "configtestsupport.h"

namespace coord::config {
namespace {

using namespace test;

struct Combination
{
    const char* deployMode;
    const char* schedulerType;
    const char* algorithmType;
    bool valid;
};

class SchedulerCombinationTest : public ::testing::TestWithParam<Combination>
{
};

TEST_P(SchedulerCombinationTest, FollowsSpecSection41)
{
    const Combination& c = GetParam();
    QJsonObject root = with(defaultRoot(), "digs_scheduler_config.deploy_mode", c.deployMode);
    root = with(root, "digs_scheduler_config.scheduler_type", c.schedulerType);
    root = with(root, "digs_scheduler_config.algorithm_type", c.algorithmType);
    const ValidationReport report = validate(root);
    EXPECT_EQ(report.ok(), c.valid) << describe(report);
    if (!c.valid) {
        ASSERT_EQ(report.errors.size(), 1) << describe(report);
        EXPECT_TRUE(report.errors.first().path.startsWith("digs_scheduler_config."));
    }
}

std::vector<Combination> allCombinations()
{
    std::vector<Combination> rows;
    for (const char* mode :
         {"single_node", "pd_separate", "pd_disaggregation", "pd_disaggregation_single_container"}) {
        for (const char* scheduler : {"default_scheduler", "digs_scheduler"}) {
            for (const char* algorithm : {"cache_affinity", "round_robin", "load_balance"}) {
                const bool single = QLatin1String(mode) == QLatin1String("single_node");
                const bool digs = QLatin1String(scheduler) == QLatin1String("digs_scheduler");
                const QLatin1String alg(algorithm);
                const bool valid = single ? (!digs && alg != QLatin1String("load_balance"))
                                          : (digs ? alg == QLatin1String("load_balance")
                                                  : alg == QLatin1String("round_robin"));
                rows.push_back({mode, scheduler, algorithm, valid});
            }
        }
    }
    return rows;
}

INSTANTIATE_TEST_SUITE_P(AllTriples, SchedulerCombinationTest, ::testing::ValuesIn(allCombinations()),
                         [](const ::testing::TestParamInfo<Combination>& row) {
                             return std::string(row.param.deployMode) + "_" + row.param.schedulerType + "_" +
                                    row.param.algorithmType;
                         });

TEST(SchedulerCombinationTest, UnknownValuesAreErrorsAndSkipTheCombinationRule)
{
    QJsonObject root = with(defaultRoot(), "digs_scheduler_config.deploy_mode", "pd_mixed");
    root = with(root, "digs_scheduler_config.scheduler_type", "fancy");
    root = with(root, "digs_scheduler_config.algorithm_type", "random");
    const ValidationReport report = validate(root);
    EXPECT_EQ(errorPaths(report),
              QStringList({"digs_scheduler_config.deploy_mode", "digs_scheduler_config.scheduler_type",
                           "digs_scheduler_config.algorithm_type"}))
        << describe(report);
    EXPECT_EQ(report.errors.first().toString(),
              "digs_scheduler_config.deploy_mode: unknown value \"pd_mixed\" (allowed: \"single_node\", "
              "\"pd_separate\", \"pd_disaggregation\", \"pd_disaggregation_single_container\")");
}

struct ZeroIpCase
{
    const char* path;
    const char* address;
    bool allowed;
    bool valid;
};

class AllZeroIpTest : public ::testing::TestWithParam<ZeroIpCase>
{
};

TEST_P(AllZeroIpTest, NeedsAllowAllZeroIpListening)
{
    const ZeroIpCase& c = GetParam();
    QJsonObject root = with(defaultRoot(), c.path, c.address);
    root = with(root, "http_config.allow_all_zero_ip_listening", c.allowed);
    const ValidationReport report = validate(root);
    EXPECT_EQ(hasErrorAt(report, c.path), !c.valid) << describe(report);
}

INSTANTIATE_TEST_SUITE_P(Addresses, AllZeroIpTest,
                         ::testing::Values(ZeroIpCase{"http_config.predict_ip", "0.0.0.0", false, false},
                                           ZeroIpCase{"http_config.predict_ip", "0.0.0.0", true, true},
                                           ZeroIpCase{"http_config.manage_ip", "::", false, false},
                                           ZeroIpCase{"http_config.manage_ip", "0:0::0", false, false},
                                           ZeroIpCase{"http_config.manage_ip", "::", true, true},
                                           ZeroIpCase{"http_config.manage_ip", "0.0.0.1", false, true}));

TEST(DuplicatePortTest, EveryPairIsReportedNamingBothKeys)
{
    const QStringList& ports = httpPortPaths();
    for (qsizetype a = 0; a < ports.size(); ++a) {
        for (qsizetype b = a + 1; b < ports.size(); ++b) {
            const QString value = valueAt(defaultRoot(), ports[a]).toString();
            const ValidationReport report = validate(with(defaultRoot(), ports[b], value));
            ASSERT_EQ(report.errors.size(), 1) << describe(report);
            EXPECT_EQ(report.errors.first().path, ports[b]);
            EXPECT_TRUE(report.errors.first().message.contains(ports[a])) << describe(report);
        }
    }
}

TEST(TlsItemsTest, RequiredItemsOfAnEnabledBlock)
{
    const QString items = "tls_config.alarm_client_tls_items.";
    for (const char* key : {"ca_cert", "tls_cert", "tls_key", "tls_passwd", "tls_crl"}) {
        const ValidationReport report = validate(without(defaultRoot(), items + key));
        EXPECT_EQ(errorPaths(report), QStringList{items + key}) << describe(report);
    }
    // The KMC files are documented but not read, so they may be left out.
    EXPECT_TRUE(validate(without(defaultRoot(), items + "kmcKsfMaster")).ok());
}

TEST(TlsItemsTest, DisabledBlockNeedsNoItems)
{
    QJsonObject root = with(defaultRoot(), "tls_config.alarm_client_tls_enable", false);
    root = without(root, "tls_config.alarm_client_tls_items");
    EXPECT_TRUE(validate(root).ok()) << describe(validate(root));
    root = with(root, "tls_config.alarm_client_tls_items", QJsonObject{{"ca_cert", ""}, {"tls_key", ""}});
    EXPECT_TRUE(validate(root).ok()) << describe(validate(root));
}

struct CostCase
{
    const char* path;
    const char* value;
    bool valid;
    bool warns;
};

class LoadCostTest : public ::testing::TestWithParam<CostCase>
{
};

TEST_P(LoadCostTest, Parsing)
{
    const CostCase& c = GetParam();
    const ValidationReport report = validate(with(defaultRoot(), c.path, c.value));
    EXPECT_EQ(hasErrorAt(report, c.path), !c.valid) << describe(report);
    bool warned = false;
    for (const ConfigProblem& warning : report.warnings)
        warned = warned || warning.path == QLatin1String(c.path);
    EXPECT_EQ(warned, c.warns) << describe(report);
}

const char* const kValues = "digs_scheduler_config.load_cost_values";
const char* const kCoefficients = "digs_scheduler_config.load_cost_coefficient";

INSTANTIATE_TEST_SUITE_P(
    ValuesAndCoefficients, LoadCostTest,
    ::testing::Values(CostCase{kValues, "1, 0", true, false}, CostCase{kValues, "1, 1", true, false},
                      CostCase{kValues, "1,0", true, false}, CostCase{kValues, "1, 2", false, false},
                      CostCase{kValues, "0, 1", false, false}, CostCase{kValues, "1", false, false},
                      CostCase{kValues, "1, 0, 0", false, false}, CostCase{kValues, "a, b", false, false},
                      CostCase{kCoefficients, "0, 0.22, 1024, 24, 6, 0, 1, 0, 1", true, false},
                      CostCase{kCoefficients, "0, 1, 1024, 24, 6, 0, 1, 0, 1", true, false},
                      CostCase{kCoefficients, "0, 0.22, 1024", true, true},
                      CostCase{kCoefficients, "0, 0.22, 1024, 24, 6, 0, 1, 0, 1, 5", false, false},
                      CostCase{kCoefficients, "0, x, 1024, 24, 6, 0, 1, 0, 1", false, false},
                      CostCase{kCoefficients, "0, 0.22, 1024, 0, 6, 0, 1, 0, 1", false, false},
                      CostCase{kCoefficients, "-1, 0.22, 1024, 24, 6, 0, 1, 0, 1", false, false},
                      CostCase{kCoefficients, "", false, false}));

TEST(ScheduleTimeoutTest, AdjustmentIsAWarningWithTheExactText)
{
    const ValidationReport report = validate(defaultRoot());
    ASSERT_TRUE(report.ok()) << describe(report);
    ASSERT_EQ(report.warnings.size(), 1) << describe(report);
    EXPECT_EQ(report.warnings.first().toString(),
              "exception_config.schedule_timeout: adjusted from 600 to 580 so that it ends 20 s before "
              "first_token_timeout/infer_timeout");
}

TEST(ScheduleTimeoutTest, NoWarningWhenItAlreadyEndsEarlyEnough)
{
    const ValidationReport report = validate(with(defaultRoot(), "exception_config.schedule_timeout", 580));
    EXPECT_TRUE(report.warnings.isEmpty()) << describe(report);
    const QJsonObject small = with(defaultRoot(), "exception_config.infer_timeout", 15);
    EXPECT_TRUE(validate(small).warnings.first().message.startsWith("adjusted from 600 to 0 (disabled)"));
}

TEST(UnknownKeyTest, IsAWarningWithASuggestion)
{
    QJsonObject root = with(defaultRoot(), "http_config.predict_prot", "1025");
    root = with(root, "totally_new_section", QJsonObject{{"x", 1}});
    const ValidationReport report = validate(root);
    EXPECT_TRUE(report.ok()) << describe(report);
    EXPECT_TRUE(describe(report).find("warning: http_config.predict_prot: unknown key, ignored; did you mean "
                                      "\"predict_port\"?") != std::string::npos)
        << describe(report);
    EXPECT_TRUE(describe(report).find("warning: totally_new_section: unknown key, ignored") !=
                std::string::npos);
}

TEST(ConfigProblemTest, ToStringFormat)
{
    EXPECT_EQ((ConfigProblem{"request_limit.max_requests", "90001 is out of range", "1..90000"}).toString(),
              "request_limit.max_requests: 90001 is out of range (allowed: 1..90000)");
    EXPECT_EQ((ConfigProblem{"http_config", "missing required section", ""}).toString(),
              "http_config: missing required section");
}

TEST(ManyMistakesTest, EveryKeyPathIsReportedAtOnce)
{
    QJsonObject root = defaultRoot();
    root = with(root, "http_config.predict_port", "80");
    root = with(root, "http_config.manage_ip", "not-an-ip");
    root = with(root, "http_config.server_thread_num", 0);
    root = with(root, "request_limit.max_requests", "10000");
    root = with(root, "metrics_config.enable", "yes");
    root = with(root, "exception_config.infer_timeout", 70000);
    root = with(root, "digs_scheduler_config.select_type", "3");
    root = with(root, "string_token_rate", 0.5);
    root = without(root, "http_config.user_agent");
    root = without(root, "tls_config.status_tls_items.tls_cert");
    const ValidationReport report = validate(root);
    const QStringList expected = {"http_config.predict_port",
                                  "http_config.manage_ip",
                                  "http_config.server_thread_num",
                                  "http_config.user_agent",
                                  "request_limit.max_requests",
                                  "metrics_config.enable",
                                  "exception_config.infer_timeout",
                                  "digs_scheduler_config.select_type",
                                  "string_token_rate",
                                  "tls_config.status_tls_items.tls_cert"};
    EXPECT_EQ(errorPaths(report), expected) << describe(report);
    EXPECT_EQ(report.errors[3].toString(),
              "http_config.user_agent: missing required key (allowed: a non-empty "
              "string of at most 4096 characters)");
    EXPECT_EQ(report.errors[4].toString(),
              "request_limit.max_requests: expected an integer, got string \"10000\" "
              "(allowed: 1..90000)");
}

} // namespace
} // namespace coord::config
