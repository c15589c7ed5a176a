// Per-key checks derived from the schema: wrong JSON types, missing required keys, string rules.
#include <gtest/gtest.h>

#include "configtestsupport.h"

namespace coord::config {
namespace {

using namespace test;

// A value of the wrong JSON type for each kind of key.
QList<QJsonValue> wrongTypedValues(ValueType type)
{
    switch (type) {
    case ValueType::Object:
        return {QJsonValue("text"), QJsonValue(QJsonArray())};
    case ValueType::Bool:
        return {QJsonValue("true"), QJsonValue(1)};
    case ValueType::Integer:
        return {QJsonValue("10"), QJsonValue(1.5), QJsonValue(true)};
    case ValueType::Number:
        return {QJsonValue("4.02"), QJsonValue::Null};
    default:
        return {QJsonValue(1025), QJsonValue(false), QJsonValue(QJsonObject())};
    }
}

struct KeyCase
{
    QString path;
    QJsonValue value;
};

void PrintTo(const KeyCase& c, std::ostream* os)
{
    *os << c.path.toStdString() << " = " << describeJsonValue(c.value).toStdString();
}

std::string caseName(const QString& path, qsizetype index)
{
    QString name = QStringLiteral("%1_%2").arg(path).arg(index);
    name.replace('.', '_');
    return name.toStdString();
}

QList<KeyCase> wrongTypeCases()
{
    QList<KeyCase> cases;
    for (const ConfigKey& key : configSchema()) {
        if (key.advisory)
            continue;
        for (const QJsonValue& value : wrongTypedValues(key.type))
            cases.append({key.path, value});
    }
    return cases;
}

class ConfigWrongTypeTest : public ::testing::TestWithParam<KeyCase>
{
};

TEST_P(ConfigWrongTypeTest, IsAnErrorNamingTheKey)
{
    const KeyCase& c = GetParam();
    const ConfigKey* key = findConfigKey(c.path);
    const ValidationReport report = validate(with(rootActivating(*key), c.path, c.value));
    ASSERT_TRUE(hasErrorAt(report, c.path)) << describe(report);
    const ConfigProblem& problem = report.errors[errorPaths(report).indexOf(c.path)];
    EXPECT_TRUE(problem.message.startsWith("expected ")) << problem.toString().toStdString();
    EXPECT_TRUE(problem.message.contains(describeJsonValue(c.value))) << problem.toString().toStdString();
}

INSTANTIATE_TEST_SUITE_P(AllKeys, ConfigWrongTypeTest, ::testing::ValuesIn(wrongTypeCases()),
                         [](const ::testing::TestParamInfo<KeyCase>& row) {
                             return caseName(row.param.path, row.index);
                         });

QList<KeyCase> requiredKeyCases()
{
    QList<KeyCase> cases;
    for (const ConfigKey& key : configSchema()) {
        if (key.requirement != Requirement::Optional && !key.advisory)
            cases.append({key.path, QJsonValue()});
    }
    return cases;
}

class ConfigMissingKeyTest : public ::testing::TestWithParam<KeyCase>
{
};

TEST_P(ConfigMissingKeyTest, IsAnErrorWhenTheRequirementApplies)
{
    const ConfigKey* key = findConfigKey(GetParam().path);
    const ValidationReport report = validate(without(rootActivating(*key), key->path));
    ASSERT_TRUE(hasErrorAt(report, key->path)) << describe(report);
    EXPECT_TRUE(report.errors[errorPaths(report).indexOf(key->path)].message.startsWith("missing"));
}

INSTANTIATE_TEST_SUITE_P(RequiredKeys, ConfigMissingKeyTest, ::testing::ValuesIn(requiredKeyCases()),
                         [](const ::testing::TestParamInfo<KeyCase>& row) {
                             return caseName(row.param.path, row.index);
                         });

TEST(ConfigMissingKeyTest, ConditionalKeysMayBeAbsentWhenTheyDoNotApply)
{
    // load_balance (the default) does not need the cache_affinity keys, and vice versa.
    QJsonObject loadBalance = defaultRoot();
    for (const char* key : {"cache_size", "slots_thresh", "block_thresh"})
        loadBalance = without(loadBalance, QStringLiteral("digs_scheduler_config.") + key);
    EXPECT_TRUE(validate(loadBalance).ok()) << describe(validate(loadBalance));

    QJsonObject cacheAffinity = singleNodeRoot();
    for (const char* key : {"max_schedule_count", "reordering_type", "max_res_num", "res_limit_rate",
                            "select_type", "load_cost_values", "load_cost_coefficient"})
        cacheAffinity = without(cacheAffinity, QStringLiteral("digs_scheduler_config.") + key);
    EXPECT_TRUE(validate(cacheAffinity).ok()) << describe(validate(cacheAffinity));

    const QJsonObject noBackup = without(without(defaultRoot(), "backup_config.database_server_dns"),
                                         "backup_config.database_server_port");
    EXPECT_TRUE(validate(noBackup).ok()) << describe(validate(noBackup));
    EXPECT_TRUE(validate(without(defaultRoot(), "backup_config")).ok());
    EXPECT_TRUE(validate(without(defaultRoot(), "log_info")).ok());
}

TEST(ConfigMissingKeyTest, MissingSectionIsReportedOnceNotPerKey)
{
    const ValidationReport report = validate(without(defaultRoot(), "http_config"));
    EXPECT_EQ(errorPaths(report), QStringList{"http_config"}) << describe(report);
    EXPECT_EQ(report.errors.first().toString(),
              "http_config: missing required section (allowed: a JSON object)");
}

TEST(ConfigMissingKeyTest, InactiveKeysAreStillTypeChecked)
{
    const ValidationReport report = validate(with(defaultRoot(), "digs_scheduler_config.cache_size", 100));
    EXPECT_TRUE(hasErrorAt(report, "digs_scheduler_config.cache_size")) << describe(report);
    // ... but not range-checked: the value is not used with load_balance.
    EXPECT_TRUE(validate(with(defaultRoot(), "digs_scheduler_config.cache_size", "0")).ok());
}

struct StringCase
{
    const char* path;
    QJsonValue value;
    bool valid;
};

class ConfigStringTest : public ::testing::TestWithParam<StringCase>
{
};

TEST_P(ConfigStringTest, Rule)
{
    const StringCase& c = GetParam();
    const ValidationReport report = validate(with(defaultRoot(), c.path, c.value));
    EXPECT_EQ(hasErrorAt(report, c.path), !c.valid) << describe(report);
}

INSTANTIATE_TEST_SUITE_P(
    NonEmptyAndAtMost4096, ConfigStringTest,
    ::testing::Values(StringCase{"http_config.server_name", "", false},
                      StringCase{"http_config.server_name", QString(4096, 'x'), true},
                      StringCase{"http_config.server_name", QString(4097, 'x'), false},
                      StringCase{"http_config.user_agent", "", false},
                      StringCase{"tls_config.status_tls_items.tls_crl", "", true},
                      StringCase{"tls_config.status_tls_items.tls_key", "", false},
                      StringCase{"tls_config.status_tls_items.ca_cert", QString(4097, 'a'), false},
                      StringCase{"backup_config.database_server_dns", "", true}, // backup off: unused
                      StringCase{"log_info.log_level", "info", false},
                      StringCase{"log_info.log_level", "WARN", true},
                      StringCase{"http_config.predict_ip", "::1", true},
                      StringCase{"http_config.predict_ip", "fe80::1", true},
                      StringCase{"http_config.predict_ip", "192.168.1.256", false},
                      StringCase{"http_config.predict_ip", "localhost", false},
                      StringCase{"http_config.manage_ip", "10.0.0.1 ", false},
                      StringCase{"http_config.manage_ip", "", false}));

} // namespace
} // namespace coord::config
