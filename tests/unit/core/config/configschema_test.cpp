// The schema table itself: coverage of the documented sample, defaults, and the generated reference.
#include <QFile>
#include <QJsonArray>
#include <QSet>

#include <gtest/gtest.h>

#include "configtestsupport.h"

namespace coord::config {
namespace {

using namespace test;

void collectPaths(const QJsonObject& object, const QString& prefix, QStringList& paths)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString path = prefix.isEmpty() ? it.key() : prefix + '.' + it.key();
        paths.append(path);
        if (it.value().isObject())
            collectPaths(it.value().toObject(), path, paths);
    }
}

QByteArray readSourceFile(const QString& relativePath)
{
    QFile file(QStringLiteral(COORD_SOURCE_DIR "/") + relativePath);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

TEST(ConfigSchemaTest, EveryKeyOfTheDocumentedSampleHasARow)
{
    QStringList paths;
    collectPaths(defaultRoot(), QString(), paths);
    ASSERT_GT(paths.size(), 100);
    for (const QString& path : paths)
        EXPECT_NE(findConfigKey(path), nullptr) << path.toStdString();
}

TEST(ConfigSchemaTest, PathsAreUniqueAndParentsComeFirst)
{
    QSet<QString> seen;
    for (const ConfigKey& key : configSchema()) {
        EXPECT_FALSE(seen.contains(key.path)) << "duplicate row " << key.path.toStdString();
        if (!key.parentPath().isEmpty()) {
            EXPECT_TRUE(seen.contains(key.parentPath())) << key.path.toStdString();
        }
        seen.insert(key.path);
        EXPECT_FALSE(key.help.isEmpty()) << key.path.toStdString();
        if (key.bounded) {
            EXPECT_LE(key.minimum, key.maximum) << key.path.toStdString();
        }
    }
}

TEST(ConfigSchemaTest, HasAllEightTlsBlocksWithSevenItems)
{
    const QStringList expected = {"controller_server", "request_server", "mindie_client", "mindie_mangment",
                                  "external",          "status",         "etcd_server",   "alarm_client"};
    ASSERT_EQ(tlsBlocks().size(), expected.size());
    for (qsizetype i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(tlsBlocks()[i].name, expected[i]);
        const ConfigKey* enable = findConfigKey(tlsBlocks()[i].enablePath());
        ASSERT_NE(enable, nullptr);
        EXPECT_EQ(enable->type, ValueType::Bool);
        EXPECT_EQ(enable->requirement, Requirement::Always);
        for (const char* item :
             {"ca_cert", "tls_cert", "tls_key", "tls_passwd", "kmcKsfMaster", "kmcKsfStandby", "tls_crl"})
            EXPECT_NE(findConfigKey(tlsBlocks()[i].itemsPath() + '.' + item), nullptr) << item;
    }
    EXPECT_TRUE(findConfigKey("tls_config.request_server_tls_items.tls_crl")->allowEmpty);
    EXPECT_FALSE(findConfigKey("tls_config.request_server_tls_items.tls_key")->allowEmpty);
}

TEST(ConfigSchemaTest, DefaultsMatchTheDocumentedSample)
{
    // The guide documents to_stdout's default as false while its sample file sets true, and the
    // log paths default to the MINDIE_LOG_PATH layout rather than the sample's ./logs files.
    const QSet<QString> documentedDifferences = {"log_info.to_stdout", "log_info.run_log_path",
                                                 "log_info.operation_log_path"};
    for (const ConfigKey& key : configSchema()) {
        const QJsonValue sample = valueAt(defaultRoot(), key.path);
        if (key.type == ValueType::Object || sample.isUndefined() || documentedDifferences.contains(key.path))
            continue;
        EXPECT_EQ(key.defaultValue, sample) << key.path.toStdString();
    }
}

TEST(ConfigSchemaTest, SpecialKeysHaveTheirDocumentedShape)
{
    EXPECT_EQ(findConfigKey("string_token_rate")->requirement, Requirement::Always);
    EXPECT_EQ(findConfigKey("string_token_rate")->type, ValueType::Number);
    EXPECT_EQ(findConfigKey("backup_config.database_server_port")->type, ValueType::Integer);
    EXPECT_EQ(findConfigKey("backup_config.database_server_dns")->requirement,
              Requirement::WhenBackupEnabled);
    EXPECT_EQ(findConfigKey("digs_scheduler_config.cache_size")->type, ValueType::IntegerString);
    EXPECT_EQ(findConfigKey("digs_scheduler_config.res_limit_rate")->type, ValueType::DecimalString);
    EXPECT_EQ(findConfigKey("http_config.predict_port")->type, ValueType::PortString);
    EXPECT_EQ(findConfigKey("request_limit.max_requests")->envVar, "MINDIE_MS_COORDINATOR_CONFIG_MAX_REQ");
    EXPECT_EQ(findConfigKey("request_limit.single_node_max_requests")->envVar,
              "MINDIE_MS_COORDINATOR_CONFIG_SINGLE_NODE_MAX_REQ");
    EXPECT_EQ(findConfigKey("digs_scheduler_config.load_cost_values")->allowedValues,
              QStringList({"1, 0", "1, 1"}));
    EXPECT_EQ(findConfigKey("http_config.predict_port")->allowedText(), "\"1024\"..\"65535\"");
    EXPECT_EQ(findConfigKey("exception_config.infer_timeout")->allowedText(), "0..65535 s");
    EXPECT_EQ(findConfigKey("string_token_rate")->allowedText(), "1.0..100.0");
}

TEST(ConfigSchemaTest, DefaultConfigFileIsTheEmbeddedDefault)
{
    EXPECT_EQ(readSourceFile("conf/ms_coordinator.json"), defaultConfigJson())
        << "conf/ms_coordinator.json and core/config/defaultconfig.cpp must hold the same text";
}

TEST(ConfigSchemaTest, MarkdownListsEveryKey)
{
    const QString markdown = renderSchemaMarkdown();
    for (const ConfigKey& key : configSchema()) {
        if (key.type != ValueType::Object || key.path.contains('.')) {
            EXPECT_TRUE(markdown.contains('`' + key.path + '`')) << key.path.toStdString();
        }
    }
}

TEST(ConfigSchemaTest, CheckedInReferenceIsUpToDate)
{
    const QByteArray generated = renderSchemaMarkdown().toUtf8();
    if (qEnvironmentVariableIntValue("COORD_UPDATE_CONFIG_REFERENCE") == 1) {
        QFile file(QStringLiteral(COORD_SOURCE_DIR "/docs/CONFIG_REFERENCE.md"));
        ASSERT_TRUE(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(generated);
    }
    EXPECT_TRUE(readSourceFile("docs/CONFIG_REFERENCE.md") == generated)
        << "docs/CONFIG_REFERENCE.md differs from the schema table. Regenerate it with\n"
           "  ms_coordinator --print-config-reference > docs/CONFIG_REFERENCE.md\n"
           "or run this test with COORD_UPDATE_CONFIG_REFERENCE=1.";
}

} // namespace
} // namespace coord::config
