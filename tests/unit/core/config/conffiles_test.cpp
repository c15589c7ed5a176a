// Every file shipped in conf/ and the MindIE reference vector must be valid in content. TLS file
// existence is not checked here (validateConfigJson never checks files): the samples point at
// ./security/... paths that only exist on a deployed host.
#include <QDirIterator>

#include <gtest/gtest.h>

#include "config/configloader.h"
#include "configtestsupport.h"

namespace coord::config {
namespace {

using namespace test;

LoadResult validateFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    LoadOptions options;
    options.env = QProcessEnvironment();
    return validateConfigJson(file.readAll(), options);
}

std::string problems(const LoadResult& result)
{
    QStringList lines = toStringList(result.errors);
    for (const QString& warning : result.warnings)
        lines.append("warning: " + warning);
    return lines.join('\n').toStdString();
}

QStringList confFiles()
{
    QStringList files;
    QDirIterator it(QStringLiteral(COORD_SOURCE_DIR "/conf"), {"*.json"}, QDir::Files,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        files.append(it.next());
    files.sort();
    return files;
}

TEST(ConfFilesTest, EveryShippedConfigIsValid)
{
    const QStringList files = confFiles();
    ASSERT_GE(files.size(), 4);
    for (const QString& path : files) {
        const LoadResult result = validateFile(path);
        EXPECT_EQ(result.status, LoadStatus::Ok) << path.toStdString() << '\n' << problems(result);
        for (const QString& warning : result.warnings)
            EXPECT_TRUE(warning.startsWith("exception_config.schedule_timeout: adjusted"))
                << warning.toStdString();
    }
}

TEST(ConfFilesTest, ExamplesAreWhatTheirNamesSay)
{
    const QString dir = QStringLiteral(COORD_SOURCE_DIR "/conf/examples/");
    const CoordinatorConfig single = validateFile(dir + "single_node_local.json").config;
    EXPECT_EQ(single.digs.deployMode, DeployMode::SingleNode);
    EXPECT_EQ(single.digs.algorithmType, AlgorithmType::CacheAffinity);
    EXPECT_FALSE(single.tls.requestServer.enabled || single.tls.mindieClient.enabled ||
                 single.tls.status.enabled);
    EXPECT_EQ(single.http.predictIp, "127.0.0.1");
    EXPECT_EQ(single.http.predictPort, 1025);
    EXPECT_EQ(single.http.statusPort, 1029);
    EXPECT_TRUE(single.logInfo.toStdout && single.logInfo.toFile);
    EXPECT_TRUE(single.logInfo.runLogPath.startsWith("./logs/"));

    const CoordinatorConfig pdLocal = validateFile(dir + "pd_separate_local.json").config;
    EXPECT_EQ(pdLocal.digs.deployMode, DeployMode::PdSeparate);
    EXPECT_EQ(pdLocal.digs.algorithmType, AlgorithmType::LoadBalance);
    EXPECT_FALSE(pdLocal.tls.controllerServer.enabled);

    const CoordinatorConfig pdTls = validateFile(dir + "pd_separate_tls.json").config;
    EXPECT_TRUE(pdTls.tls.requestServer.enabled && pdTls.tls.mindieClient.enabled);
    EXPECT_TRUE(pdTls.tls.requestServer.caCert.startsWith("./security/"));
}

TEST(ConfFilesTest, DocumentedDefaultBuildsTheDocumentedValues)
{
    const LoadResult result =
        validateConfigJson(defaultConfigJson(), LoadOptions{{}, {}, QProcessEnvironment(), {}});
    ASSERT_EQ(result.status, LoadStatus::Ok) << problems(result);
    const CoordinatorConfig& c = result.config;
    EXPECT_EQ(c.http.managePort, 1026);
    EXPECT_EQ(c.http.alarmPort, 1027);
    EXPECT_EQ(c.http.keepAliveSeconds, 180);
    EXPECT_EQ(c.requestLimit.bodyLimitMb, 10);
    EXPECT_EQ(c.exception.scheduleTimeout, 600);
    EXPECT_EQ(c.exception.effectiveScheduleTimeout, 580);
    EXPECT_EQ(c.digs.deployMode, DeployMode::PdSeparate);
    EXPECT_EQ(c.digs.schedulerType, SchedulerType::DigsScheduler);
    EXPECT_EQ(c.digs.maxScheduleCount, 10000);
    EXPECT_DOUBLE_EQ(c.digs.resLimitRate, 1.1);
    EXPECT_EQ(c.digs.loadCostValues, (std::array<int, 2>{1, 0}));
    EXPECT_EQ(c.digs.loadCostCoefficient, (std::array<double, 9>{0, 0.22, 1024, 24, 6, 0, 1, 0, 1}));
    EXPECT_FALSE(c.digs.loadCostCoefficientDefaulted);
    EXPECT_DOUBLE_EQ(c.stringTokenRate, 4.02);
    EXPECT_TRUE(c.tls.mindieManagement.enabled);
    EXPECT_EQ(c.tls.alarmClient.kmcKsfStandby, "./security/alarm/tools/pmt/standby/ksfb");
    EXPECT_FALSE(c.backup.functionEnable);
    EXPECT_EQ(c.backup.databaseServerPort, 2379);
    EXPECT_EQ(c.logInfo.logLevel, "INFO");
}

TEST(ConfFilesTest, ShortCoefficientListKeepsTheDefaults)
{
    const QJsonObject root = with(defaultRoot(), "digs_scheduler_config.load_cost_coefficient", "0, 1");
    const LoadResult result =
        validateConfigJson(QJsonDocument(root).toJson(), LoadOptions{{}, {}, QProcessEnvironment(), {}});
    ASSERT_EQ(result.status, LoadStatus::Ok) << problems(result);
    EXPECT_TRUE(result.config.digs.loadCostCoefficientDefaulted);
    EXPECT_DOUBLE_EQ(result.config.digs.loadCostCoefficient[1], 0.22);
}

TEST(ConfFilesTest, MindieReferenceVectorIsValidInContent)
{
    const LoadResult result =
        validateFile(QStringLiteral(COORD_SHARED_DIR "/vectors/mindie/ms_coordinator.reference.json"));
    EXPECT_EQ(result.status, LoadStatus::Ok) << problems(result);
    EXPECT_EQ(result.config.requestLimit.bodyLimitMb, 1);
}

} // namespace
} // namespace coord::config
