// The informational manage routes (spec §1.3, §6.3): coordinator_info, recvs_info,
// backup_info and query_tasks, with their exact shapes.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <gtest/gtest.h>

#include "dataplaneharness.h"

namespace dptest {
namespace {

QJsonObject jsonOf(const HttpTestResponse& reply)
{
    return QJsonDocument::fromJson(reply.body).object();
}

TEST(ManageInfo, CoordinatorInfoShape)
{
    DataPlaneHarness harness;
    ASSERT_TRUE(harness.startCoordinator());
    const HttpTestResponse early = harness.manage("GET", "/v1/coordinator_info");
    EXPECT_EQ(early.status, 503);
    EXPECT_TRUE(early.body.isEmpty());

    ASSERT_TRUE(harness.startSim({QStringLiteral("--single"), QStringLiteral("1"), QStringLiteral("--timing"),
                                  QStringLiteral("fast")}));
    ASSERT_TRUE(harness.waitForInstances(1));
    ASSERT_EQ(
        harness.predict("/v1/completions", R"({"prompt":")" + QByteArray(400, 'p') + R"(","max_tokens":8})")
            .status,
        200);
    const HttpTestResponse info = harness.manage("GET", "/v1/coordinator_info");
    ASSERT_EQ(info.status, 200);
    const QJsonObject object = jsonOf(info);
    EXPECT_TRUE(object.value(QLatin1String("schedule_info")).isArray());
    EXPECT_TRUE(object.value(QLatin1String("schedule_info")).toArray().isEmpty()) << "default scheduler";
    EXPECT_FALSE(object.contains(QLatin1String("request_num"))) << "absent with an empty schedule_info";
    const QJsonObject lengths = object.value(QLatin1String("request_length_info")).toObject();
    EXPECT_GT(lengths.value(QLatin1String("input_len")).toInt(), 0);
    EXPECT_GT(lengths.value(QLatin1String("output_len")).toInt(), 0);
    // An empty window repeats the previous answer.
    EXPECT_EQ(
        jsonOf(harness.manage("GET", "/v1/coordinator_info")).value(QLatin1String("request_length_info")),
        QJsonValue(lengths));
}

TEST(ManageInfo, RecvsInfoCountsArrivalsAndResetsOnRead)
{
    DataPlaneHarness harness;
    ASSERT_TRUE(harness.startWithSim(1));
    harness.manage("GET", "/recvs_info"); // start from zero
    for (int i = 0; i < 3; ++i)
        ASSERT_EQ(harness.predict("/v1/completions", R"({"prompt":"count me","max_tokens":1})").status, 200);
    harness.predict("/v1/completions", "{broken"); // refused arrivals count too
    const HttpTestResponse first = harness.manage("GET", "/recvs_info");
    ASSERT_EQ(first.status, 200);
    const QJsonObject counted = jsonOf(first);
    EXPECT_TRUE(counted.value(QLatin1String("is_master")).isBool());
    EXPECT_EQ(counted.value(QLatin1String("recv_flow")).toInt(), 4);
    EXPECT_EQ(jsonOf(harness.manage("GET", "/recvs_info")).value(QLatin1String("recv_flow")).toInt(), 0);
}

TEST(ManageInfo, BackupInfo)
{
    DataPlaneHarness harness;
    ASSERT_TRUE(harness.startCoordinator());
    const QByteArray body = R"({"is_master":true,"is_abnormal":false,"is_random_pick":false})";
    EXPECT_EQ(harness.manage("POST", "/backup_info", body).status, 503) << "not initialised";
    ASSERT_TRUE(harness.startSim({QStringLiteral("--single"), QStringLiteral("1"), QStringLiteral("--timing"),
                                  QStringLiteral("fast")}));
    ASSERT_TRUE(harness.waitForInstances(1));
    const HttpTestResponse ok = harness.manage("POST", "/backup_info", body);
    EXPECT_EQ(ok.status, 200);
    EXPECT_EQ(jsonOf(ok).value(QLatin1String("update_successfully")).toBool(false), true);
    const HttpTestResponse bad = harness.manage("POST", "/backup_info", "{oops");
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(jsonOf(bad).value(QLatin1String("update_successfully")).toBool(true), false);
    EXPECT_EQ(harness.predict("/v1/completions", R"({"prompt":"still served","max_tokens":1})").status, 200);
}

TEST(ManageInfo, QueryTasks)
{
    DataPlaneHarness harness;
    ASSERT_TRUE(harness.startWithSim(2));
    const HttpTestResponse idle =
        harness.manage("POST", "/v1/instances/query_tasks", R"({"p_id":0,"d_id":1,"role_change_type":0})");
    EXPECT_EQ(idle.status, 200);
    EXPECT_EQ(jsonOf(idle).value(QLatin1String("is_end")).toBool(false), true);
    const HttpTestResponse bad =
        harness.manage("POST", "/v1/instances/query_tasks", R"({"p_id":0,"d_id":1,"role_change_type":7})");
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(jsonOf(bad).value(QLatin1String("is_end")).toBool(false), true);
}

} // namespace
} // namespace dptest
