// Qt message handler: qCDebug/qCInfo/qCWarning/qCCritical land in the run log at the mapped
// level, with the category name, and disabled levels are filtered by QLoggingCategory rules.

#include <QLoggingCategory>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include "log/logger.h"
#include "log/qtmessagerouting.h"
#include "logtesthelpers.h"

using namespace coord::log;
using coord::log::test::readLines;

namespace {

Q_LOGGING_CATEGORY(lcRoutingTest, "coord.routingtest", QtInfoMsg)

class LogQtRoutingTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_temp.isValid());
        m_settings.verbose = false;
        m_settings.runLogFile = m_temp.filePath(QStringLiteral("run.log"));
        m_settings.operationLogFile = m_temp.filePath(QStringLiteral("op.log"));
    }

    void TearDown() override { m_logger.uninstallQtMessageHandler(); }

    void startAndRoute()
    {
        QString error;
        ASSERT_TRUE(m_logger.start(m_settings, &error)) << error.toStdString();
        m_logger.installQtMessageHandler();
    }

    QList<QByteArray> lines() const { return readLines(m_settings.runLogFile); }

    QTemporaryDir m_temp;
    LogSettings m_settings;
    Logger m_logger;
};

} // namespace

TEST(LogQtLevelTest, MapsEveryQtMessageType)
{
    EXPECT_EQ(levelForQtMessage(QtDebugMsg), Level::Debug);
    EXPECT_EQ(levelForQtMessage(QtInfoMsg), Level::Info);
    EXPECT_EQ(levelForQtMessage(QtWarningMsg), Level::Warn);
    EXPECT_EQ(levelForQtMessage(QtCriticalMsg), Level::Error);
    EXPECT_EQ(levelForQtMessage(QtFatalMsg), Level::Critical);
}

TEST(LogQtFilterRulesTest, FollowTheThreshold)
{
    const QString info = qtFilterRules(true, Level::Info);
    EXPECT_TRUE(info.contains(u"coord.*.debug=false"));
    EXPECT_TRUE(info.contains(u"coord.*.info=true"));
    EXPECT_TRUE(info.contains(u"qt.*.debug=false"));
    EXPECT_TRUE(info.contains(u"qt.*.info=false"));
    EXPECT_FALSE(info.contains(u"qt.*.warning"));

    EXPECT_TRUE(qtFilterRules(true, Level::Debug).contains(u"coord.*.debug=true"));
    const QString error = qtFilterRules(true, Level::Error);
    EXPECT_TRUE(error.contains(u"coord.*.warning=false"));
    EXPECT_TRUE(error.contains(u"coord.*.critical=true"));
    EXPECT_TRUE(qtFilterRules(true, Level::Critical).contains(u"coord.*.critical=false"));
    EXPECT_EQ(qtFilterRules(false, Level::Info), QStringLiteral("*=false"));
}

TEST(LogQtCategoryTagTest, GoesAfterAnErrorCode)
{
    EXPECT_EQ(withCategory("coord.config", QStringLiteral("bad value")),
              QStringLiteral("[coord.config] bad value"));
    EXPECT_EQ(withCategory("coord.net", QStringLiteral("[MIE03E020101] Get connection failed")),
              QStringLiteral("[MIE03E020101] [coord.net] Get connection failed"));
    EXPECT_EQ(withCategory("default", QStringLiteral("plain")), QStringLiteral("plain"));
    EXPECT_EQ(withCategory(nullptr, QStringLiteral("plain")), QStringLiteral("plain"));
}

TEST_F(LogQtRoutingTest, InfoReachesTheFileAndDebugIsSuppressed)
{
    startAndRoute();
    EXPECT_FALSE(lcRoutingTest().isDebugEnabled());
    EXPECT_TRUE(lcRoutingTest().isInfoEnabled());

    qCDebug(lcRoutingTest) << "hidden";
    qCInfo(lcRoutingTest).noquote() << "visible info";
    qCWarning(lcRoutingTest).noquote() << "a warning";
    qCCritical(lcRoutingTest).noquote() << "an error";

    const QList<QByteArray> written = lines();
    ASSERT_EQ(written.size(), 3);
    EXPECT_TRUE(written.at(0).endsWith("[INFO] : visible info")) << written.at(0).toStdString();
    EXPECT_TRUE(written.at(1).endsWith("[WARN] : a warning")) << written.at(1).toStdString();
    EXPECT_TRUE(written.at(2).endsWith("[ERROR] : an error")) << written.at(2).toStdString();
}

TEST_F(LogQtRoutingTest, DebugThresholdEnablesDebugCategories)
{
    m_settings.level = Level::Debug;
    startAndRoute();
    EXPECT_TRUE(lcRoutingTest().isDebugEnabled());
    qCDebug(lcRoutingTest).noquote() << "now visible";
    ASSERT_EQ(lines().size(), 1);
    EXPECT_TRUE(lines().first().contains("[ms] [DEBUG] : now visible")) << lines().first().toStdString();
}

TEST_F(LogQtRoutingTest, SetLevelUpdatesTheFilterRules)
{
    startAndRoute();
    m_logger.setLevel(Level::Error);
    EXPECT_FALSE(lcRoutingTest().isWarningEnabled());
    EXPECT_TRUE(lcRoutingTest().isCriticalEnabled());
    m_logger.setLevel(Level::Debug);
    EXPECT_TRUE(lcRoutingTest().isDebugEnabled());
}

TEST_F(LogQtRoutingTest, VerboseLinesCarryTheCategory)
{
    m_settings.verbose = true;
    startAndRoute();
    qCWarning(lcRoutingTest).noquote() << "[MIE03W020101] tagged";
    ASSERT_EQ(lines().size(), 1);
    EXPECT_TRUE(lines().first().endsWith(": [MIE03W020101] [coord.routingtest] tagged"))
        << lines().first().toStdString();
}

TEST_F(LogQtRoutingTest, UninstallRestoresDefaultRouting)
{
    startAndRoute();
    m_logger.uninstallQtMessageHandler();
    ::testing::internal::CaptureStderr();
    qCWarning(lcRoutingTest).noquote() << "to the previous handler";
    const std::string err = ::testing::internal::GetCapturedStderr();
    EXPECT_TRUE(lines().isEmpty());
    EXPECT_NE(err.find("to the previous handler"), std::string::npos) << err;
}

TEST_F(LogQtRoutingTest, DisabledLoggingSwitchesCategoriesOff)
{
    m_settings.enabled = false;
    startAndRoute();
    EXPECT_FALSE(lcRoutingTest().isWarningEnabled());
    EXPECT_FALSE(lcRoutingTest().isCriticalEnabled());
}

TEST_F(LogQtRoutingTest, FatalIsWrittenAsCriticalBeforeTheAbort)
{
    // The forked child shares this fixture's temporary directory, so its file can be read here.
    GTEST_FLAG_SET(death_test_style, "fast");
    EXPECT_DEATH(
        {
            startAndRoute();
            qFatal("fatal stop %d", 42);
        },
        "fatal stop 42");
    const QList<QByteArray> written = lines();
    ASSERT_EQ(written.size(), 1);
    EXPECT_TRUE(written.first().endsWith("[CRITICAL] : fatal stop 42")) << written.first().toStdString();
}
