// Loading from disk: locating the file, the spec 7.2 file checks, parsing, TLS file checks.
#include <unistd.h>

#include <QDir>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include "config/configfilechecks.h"
#include "config/configloader.h"
#include "configtestsupport.h"

namespace coord::config {
namespace {

using namespace test;

class ConfigLoaderTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_dir.isValid());
        QDir(m_dir.path()).mkpath("conf");
        QDir(m_dir.path()).mkpath("bin");
    }

    LoadOptions options(const QHash<QString, QString>& variables = {}) const
    {
        LoadOptions result;
        result.env = QProcessEnvironment();
        for (auto it = variables.begin(); it != variables.end(); ++it)
            result.env.insert(it.key(), it.value());
        result.workingDir = m_dir.filePath("bin");
        return result;
    }

    QString writeConfig(const QString& name, const QByteArray& json, uint mode = 0640) const
    {
        return writeFile(m_dir.filePath(name), json, mode);
    }

    static QByteArray tlsOffJson() { return QJsonDocument(tlsOffRoot()).toJson(); }

    QTemporaryDir m_dir;
};

TEST_F(ConfigLoaderTest, DefaultLocationIsConfNextToTheWorkingDirectory)
{
    const QString path = writeConfig("conf/ms_coordinator.json", tlsOffJson());
    const LoadResult result = loadCoordinatorConfig(options());
    EXPECT_EQ(result.status, LoadStatus::Ok) << toStringList(result.errors).join('\n').toStdString();
    EXPECT_EQ(result.sourcePath, path);
    EXPECT_EQ(result.config.exception.effectiveScheduleTimeout, 580);
}

TEST_F(ConfigLoaderTest, EnvironmentPathThenExplicitPath)
{
    const QString fromEnv = writeConfig("env.json", tlsOffJson());
    const QString explicitPath = writeConfig("explicit.json", tlsOffJson());
    writeConfig("conf/ms_coordinator.json", "{ broken");
    LoadOptions opts = options({{"MINDIE_MS_COORDINATOR_CONFIG_FILE_PATH", fromEnv}});
    EXPECT_EQ(loadCoordinatorConfig(opts).sourcePath, fromEnv);
    opts.explicitPath = explicitPath;
    EXPECT_EQ(loadCoordinatorConfig(opts).sourcePath, explicitPath);
    EXPECT_EQ(loadCoordinatorConfig(opts).status, LoadStatus::Ok);
}

TEST_F(ConfigLoaderTest, MissingFileIsUnreadable)
{
    const LoadResult result = loadCoordinatorConfig(options());
    EXPECT_EQ(result.status, LoadStatus::Unreadable);
    ASSERT_EQ(result.errors.size(), 1);
    EXPECT_TRUE(result.errors.first().message.contains("does not exist"))
        << result.errors.first().toString().toStdString();
}

struct PermissionCase
{
    uint mode;
    bool relaxEnv;   // MINDIE_CHECK_INPUTFILES_PERMISSION=0
    bool viaEnvPath; // path from MINDIE_MS_COORDINATOR_CONFIG_FILE_PATH, else the default location
    LoadStatus status;
};

class ConfigPermissionTest : public ConfigLoaderTest, public ::testing::WithParamInterface<PermissionCase>
{
};

TEST_P(ConfigPermissionTest, ModeAgainstTheAllowedMask)
{
    const PermissionCase& c = GetParam();
    const QString path = writeConfig("conf/ms_coordinator.json", tlsOffJson(), c.mode);
    QHash<QString, QString> variables;
    if (c.relaxEnv)
        variables.insert("MINDIE_CHECK_INPUTFILES_PERMISSION", "0");
    if (c.viaEnvPath)
        variables.insert("MINDIE_MS_COORDINATOR_CONFIG_FILE_PATH", path);
    const LoadResult result = loadCoordinatorConfig(options(variables));
    EXPECT_EQ(result.status, c.status) << toStringList(result.errors).join('\n').toStdString();
}

INSTANTIATE_TEST_SUITE_P(Modes, ConfigPermissionTest,
                         ::testing::Values(PermissionCase{0640, false, false, LoadStatus::Ok},
                                           PermissionCase{0600, false, true, LoadStatus::Ok},
                                           PermissionCase{0400, false, true, LoadStatus::Ok},
                                           PermissionCase{0644, false, true, LoadStatus::Unreadable},
                                           PermissionCase{0660, false, false, LoadStatus::Unreadable},
                                           PermissionCase{0644, true, true, LoadStatus::Ok},
                                           PermissionCase{0666, true, true, LoadStatus::Ok},
                                           // the default location is always checked strictly
                                           PermissionCase{0644, true, false, LoadStatus::Unreadable}));

TEST_F(ConfigLoaderTest, ExplicitPathIsRelaxedLikeTheEnvironmentPath)
{
    LoadOptions opts = options({{"MINDIE_CHECK_INPUTFILES_PERMISSION", "0"}});
    opts.explicitPath = writeConfig("explicit.json", tlsOffJson(), 0644);
    EXPECT_EQ(loadCoordinatorConfig(opts).status, LoadStatus::Ok);
}

TEST_F(ConfigLoaderTest, SymlinkIsRefused)
{
    const QString target = writeConfig("real.json", tlsOffJson());
    const QString link = m_dir.filePath("link.json");
    ASSERT_TRUE(QFile::link(target, link));
    LoadOptions opts = options();
    opts.explicitPath = link;
    const LoadResult result = loadCoordinatorConfig(opts);
    EXPECT_EQ(result.status, LoadStatus::Unreadable);
    EXPECT_TRUE(result.errors.first().message.contains("symbolic link"));
}

TEST_F(ConfigLoaderTest, DotDotAndOddCharactersAreRefused)
{
    writeConfig("conf/ms_coordinator.json", tlsOffJson());
    for (const QString& path :
         {m_dir.filePath("bin/../conf/ms_coordinator.json"), QString("../conf/ms_coordinator.json"),
          m_dir.filePath("conf/ms coordinator.json")}) {
        LoadOptions opts = options();
        opts.explicitPath = path;
        const LoadResult result = loadCoordinatorConfig(opts);
        EXPECT_EQ(result.status, LoadStatus::Unreadable) << path.toStdString();
        EXPECT_TRUE(result.errors.first().message.contains("[a-zA-Z0-9_./~-]"));
    }
}

TEST_F(ConfigLoaderTest, DirectoryAndOverlongPathAreRefused)
{
    LoadOptions opts = options();
    opts.explicitPath = m_dir.filePath("conf");
    EXPECT_EQ(loadCoordinatorConfig(opts).status, LoadStatus::Unreadable);
    opts.explicitPath = "/" + QString(256, 'a');
    EXPECT_TRUE(loadCoordinatorConfig(opts).errors.first().message.contains("more than 256"));
}

TEST_F(ConfigLoaderTest, SyntaxErrorNamesLineAndColumn)
{
    LoadOptions opts = options();
    opts.explicitPath = writeConfig("broken.json", "{\n  \"http_config\": {\n    \"predict_ip\" \"x\"\n}\n");
    const LoadResult result = loadCoordinatorConfig(opts);
    EXPECT_EQ(result.status, LoadStatus::Invalid);
    ASSERT_EQ(result.errors.size(), 1);
    EXPECT_EQ(result.errors.first().path, opts.explicitPath);
    EXPECT_TRUE(result.errors.first().message.contains("line 3, column"))
        << result.errors.first().toString().toStdString();
}

TEST_F(ConfigLoaderTest, NestingDeeperThanTenLevelsIsRefused)
{
    QJsonObject deep{{"leaf", 1}};
    for (int level = 0; level < 9; ++level)
        deep = QJsonObject{{QStringLiteral("n%1").arg(level), deep}};
    // root + "extra" + 9 wrappers + the leaf object = 11 levels
    const LoadResult tooDeep =
        validateConfigJson(QJsonDocument(with(tlsOffRoot(), "extra", deep)).toJson(), options());
    ASSERT_EQ(tooDeep.status, LoadStatus::Invalid);
    EXPECT_EQ(tooDeep.errors.first().toString(), "extra.n8.n7.n6.n5.n4.n3.n2.n1.n0: JSON nesting depth 11 "
                                                 "exceeds the limit (allowed: at most 10 levels)");
    const LoadResult tenLevels =
        validateConfigJson(QJsonDocument(with(tlsOffRoot(), "extra", deep["n8"])).toJson(), options());
    EXPECT_EQ(tenLevels.status, LoadStatus::Ok) << toStringList(tenLevels.errors).join('\n').toStdString();
}

class TlsFileCheckTest : public ConfigLoaderTest
{
protected:
    // Writes the five files of request_server's block and returns a config enabling only that block.
    QByteArray configWithTlsFiles(uint certMode, uint keyMode)
    {
        QDir(m_dir.path()).mkpath("bin/security");
        QJsonObject root = tlsOffRoot();
        root = with(root, "tls_config.request_server_tls_enable", true);
        const QString items = "tls_config.request_server_tls_items.";
        for (const char* key : {"ca_cert", "tls_cert", "tls_crl"}) {
            writeFile(m_dir.filePath(QStringLiteral("bin/security/%1.pem").arg(key)), "pem", certMode);
            root = with(root, items + key, QStringLiteral("./security/%1.pem").arg(key));
        }
        for (const char* key : {"tls_key", "tls_passwd"}) {
            writeFile(m_dir.filePath(QStringLiteral("bin/security/%1.pem").arg(key)), "secret", keyMode);
            root = with(root, items + key, QStringLiteral("./security/%1.pem").arg(key));
        }
        return QJsonDocument(root).toJson();
    }

    LoadResult load(const QByteArray& json, const QHash<QString, QString>& variables = {})
    {
        LoadOptions opts = options(variables);
        opts.explicitPath = writeConfig("tls.json", json);
        return loadCoordinatorConfig(opts);
    }
};

TEST_F(TlsFileCheckTest, StrictModesPass)
{
    const LoadResult result = load(configWithTlsFiles(0400, 0400));
    EXPECT_EQ(result.status, LoadStatus::Ok) << toStringList(result.errors).join('\n').toStdString();
    EXPECT_TRUE(result.config.tls.requestServer.enabled);
    EXPECT_EQ(result.config.tls.requestServer.tlsKey, "./security/tls_key.pem");
}

TEST_F(TlsFileCheckTest, OpenModesFailUnderTheItemPath)
{
    const LoadResult result = load(configWithTlsFiles(0644, 0640));
    EXPECT_EQ(result.status, LoadStatus::Invalid);
    QStringList paths;
    for (const ConfigProblem& problem : result.errors)
        paths.append(problem.path.section('.', -1));
    EXPECT_EQ(paths, QStringList({"ca_cert", "tls_cert", "tls_key", "tls_passwd", "tls_crl"}));
    // Relaxed: certificates up to 0777, secrets up to 0640.
    EXPECT_EQ(load(configWithTlsFiles(0644, 0640), {{"MINDIE_CHECK_INPUTFILES_PERMISSION", "0"}}).status,
              LoadStatus::Ok);
    EXPECT_EQ(load(configWithTlsFiles(0644, 0644), {{"MINDIE_CHECK_INPUTFILES_PERMISSION", "0"}}).status,
              LoadStatus::Invalid);
}

TEST_F(TlsFileCheckTest, MissingFilesAndTheSkipOption)
{
    LoadOptions opts = options();
    opts.explicitPath = writeConfig("default.json", defaultConfigJson());
    const LoadResult checked = loadCoordinatorConfig(opts);
    EXPECT_EQ(checked.status, LoadStatus::Invalid);
    EXPECT_EQ(checked.errors.size(), 8 * 4)
        << "ca_cert, tls_cert, tls_key, tls_passwd of 8 blocks; tls_crl is empty";
    opts.checkTlsFiles = false;
    EXPECT_EQ(loadCoordinatorConfig(opts).status, LoadStatus::Ok);
}

TEST(FileCheckPolicyTest, MasksPerKind)
{
    EXPECT_EQ(fileCheckPolicy(InputFileKind::ConfigFile, false).permissionMask, 0640u);
    EXPECT_EQ(fileCheckPolicy(InputFileKind::ConfigFile, true).permissionMask, 0777u);
    EXPECT_EQ(fileCheckPolicy(InputFileKind::TlsCertificate, false).permissionMask, 0400u);
    EXPECT_EQ(fileCheckPolicy(InputFileKind::TlsCertificate, true).permissionMask, 0777u);
    EXPECT_EQ(fileCheckPolicy(InputFileKind::TlsSecret, false).permissionMask, 0400u);
    EXPECT_EQ(fileCheckPolicy(InputFileKind::TlsSecret, true).permissionMask, 0640u);
    EXPECT_TRUE(fileCheckPolicy(InputFileKind::TlsSecret, false).checkOwner);
    EXPECT_FALSE(fileCheckPolicy(InputFileKind::TlsSecret, true).checkOwner);
}

} // namespace
} // namespace coord::config
