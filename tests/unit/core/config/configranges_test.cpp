// Boundary values of every numeric key: just inside passes, just outside fails. The rows come
// both from the schema table and from the hand-written list below, which restates the ranges of
// spec 5 and 7 and the MindIE guide so that a wrong range in the table is caught.
#include <limits>

#include <gtest/gtest.h>

#include "configtestsupport.h"

namespace coord::config {
namespace {

using namespace test;

struct Boundary
{
    const char* path;
    double minimum;
    double maximum;
};

const Boundary kDocumentedRanges[] = {
    {"http_config.predict_port", 1024, 65535},
    {"http_config.manage_port", 1024, 65535},
    {"http_config.alarm_port", 1024, 65535},
    {"http_config.external_port", 1024, 65535},
    {"http_config.status_port", 1024, 65535},
    {"http_config.server_thread_num", 1, 10000},
    {"http_config.client_thread_num", 1, 10000},
    {"http_config.http_timeout_seconds", 0, 3600},
    {"http_config.keep_alive_seconds", 0, 3600},
    {"request_limit.single_node_max_requests", 1, 15000},
    {"request_limit.max_requests", 1, 90000},
    {"request_limit.body_limit", 1, 20},
    {"metrics_config.trigger_size", 1, 10000},
    {"prometheus_metrics_config.reuse_time", 1, 100},
    {"exception_config.max_retry", 0, 10},
    {"exception_config.schedule_timeout", 0, 3600},
    {"exception_config.first_token_timeout", 0, 3600},
    {"exception_config.infer_timeout", 0, 65535},
    {"exception_config.tokenizer_timeout", 0, 3600},
    {"log_info.max_log_str_size", 128, 65535},
    {"log_info.max_log_file_size", 1, 500},
    {"log_info.max_log_file_num", 1, 64},
    {"digs_scheduler_config.cache_size", 1, 10000},
    {"digs_scheduler_config.slots_thresh", 0.0, 1.0},
    {"digs_scheduler_config.block_thresh", 0.0, 1.0},
    {"digs_scheduler_config.max_schedule_count", 1, 90000},
    {"digs_scheduler_config.reordering_type", 1, 3},
    {"digs_scheduler_config.max_res_num", 1, 10000},
    {"digs_scheduler_config.res_limit_rate", 0.0, 2000.0},
    {"digs_scheduler_config.select_type", 1, 2},
    {"string_token_rate", 1.0, 100.0},
    {"backup_config.database_server_port", 1024, 65535},
};

bool isFractional(ValueType type)
{
    return type == ValueType::Number || type == ValueType::DecimalString;
}

// The JSON value a user would write for `number` in a key of this type.
QJsonValue encode(ValueType type, double number)
{
    switch (type) {
    case ValueType::Integer:
        return QJsonValue(static_cast<qint64>(number));
    case ValueType::Number:
        return QJsonValue(number);
    case ValueType::DecimalString:
        return QJsonValue(QString::number(number, 'g', 10));
    default:
        return QJsonValue(QString::number(static_cast<qint64>(number)));
    }
}

struct BoundaryCase
{
    QString path;
    double value;
    bool valid;
    QString source; // "schema" or "documented"
};

void PrintTo(const BoundaryCase& c, std::ostream* os)
{
    *os << c.source.toStdString() << ' ' << c.path.toStdString() << '=' << c.value;
}

void addCases(QList<BoundaryCase>& cases, const QString& path, ValueType type, double minimum, double maximum,
              const QString& source)
{
    const double step = isFractional(type) ? 0.01 : 1;
    cases.append({path, minimum, true, source});
    cases.append({path, minimum + step, true, source});
    cases.append({path, maximum - step, true, source});
    cases.append({path, maximum, true, source});
    cases.append({path, minimum - step, false, source});
    cases.append({path, maximum + step, false, source});
}

QList<BoundaryCase> boundaryCases()
{
    QList<BoundaryCase> cases;
    for (const ConfigKey& key : configSchema()) {
        if (key.bounded && !key.advisory && key.maximum < std::numeric_limits<int>::max())
            addCases(cases, key.path, key.type, key.minimum, key.maximum, "schema");
    }
    for (const Boundary& row : kDocumentedRanges) {
        const ConfigKey* key = findConfigKey(row.path);
        addCases(cases, row.path, key ? key->type : ValueType::Integer, row.minimum, row.maximum,
                 "documented");
    }
    return cases;
}

class ConfigRangeTest : public ::testing::TestWithParam<BoundaryCase>
{
};

TEST_P(ConfigRangeTest, BoundaryValue)
{
    const BoundaryCase& c = GetParam();
    const ConfigKey* key = findConfigKey(c.path);
    ASSERT_NE(key, nullptr) << c.path.toStdString();
    QJsonObject root = rootActivating(*key);
    // Move the other ports out of the way so that only the range decides.
    for (qsizetype i = 0; i < httpPortPaths().size(); ++i)
        root = with(root, httpPortPaths()[i], QString::number(30001 + i));
    root = with(root, c.path, encode(key->type, c.value));
    const ValidationReport report = validate(root);
    EXPECT_EQ(hasErrorAt(report, c.path), !c.valid) << describe(report);
    if (c.valid) {
        EXPECT_TRUE(report.ok()) << describe(report);
    } else if (!report.errors.isEmpty()) {
        EXPECT_TRUE(report.errors.first().message.contains("out of range")) << describe(report);
        EXPECT_EQ(report.errors.first().allowed, key->allowedText());
    }
}

INSTANTIATE_TEST_SUITE_P(AllNumericKeys, ConfigRangeTest, ::testing::ValuesIn(boundaryCases()),
                         [](const ::testing::TestParamInfo<BoundaryCase>& row) {
                             QString name =
                                 QStringLiteral("%1_%2_%3_%4")
                                     .arg(row.param.source, row.param.path, row.param.valid ? "ok" : "bad")
                                     .arg(row.index);
                             name.replace('.', '_');
                             return name.toStdString();
                         });

TEST(ConfigRangeCoverageTest, EveryBoundedKeyHasADocumentedRange)
{
    for (const ConfigKey& key : configSchema()) {
        if (!key.bounded || key.advisory || key.maximum >= std::numeric_limits<int>::max())
            continue;
        const auto it =
            std::find_if(std::begin(kDocumentedRanges), std::end(kDocumentedRanges),
                         [&](const Boundary& row) { return key.path == QLatin1String(row.path); });
        ASSERT_NE(it, std::end(kDocumentedRanges)) << "add a documented range for " << key.path.toStdString();
        EXPECT_EQ(key.minimum, it->minimum) << key.path.toStdString();
        EXPECT_EQ(key.maximum, it->maximum) << key.path.toStdString();
    }
}

TEST(ConfigRangeCoverageTest, LeadingZerosAndBlanksInNumericStrings)
{
    EXPECT_TRUE(validate(with(defaultRoot(), "http_config.predict_port", "01025")).ok());
    EXPECT_TRUE(hasErrorAt(validate(with(defaultRoot(), "http_config.predict_port", "10 25")),
                           "http_config.predict_port"));
    EXPECT_TRUE(hasErrorAt(validate(with(defaultRoot(), "http_config.predict_port", "1025.0")),
                           "http_config.predict_port"));
    EXPECT_TRUE(hasErrorAt(validate(with(defaultRoot(), "digs_scheduler_config.res_limit_rate", "1.1x")),
                           "digs_scheduler_config.res_limit_rate"));
    EXPECT_TRUE(hasErrorAt(validate(with(defaultRoot(), "digs_scheduler_config.max_res_num", "1e3")),
                           "digs_scheduler_config.max_res_num"));
}

} // namespace
} // namespace coord::config
