// The Controller's instance controls on the manage port (spec §1.3, §2.3): offline/online and
// refresh reconcile, as the user sees them through where requests land.
#include <gtest/gtest.h>

#include "dataplaneharness.h"
#include "refreshbody.h"

namespace dptest {
namespace {

const QByteArray kRequest = R"({"prompt":"where do I go","max_tokens":2})";

int received(DataPlaneHarness& harness, int id)
{
    return harness.simState(id).value(QLatin1String("requests_received")).toInt();
}

void sendRequests(DataPlaneHarness& harness, int count)
{
    for (int i = 0; i < count; ++i)
        ASSERT_EQ(harness.predict("/v1/completions", kRequest).status, 200) << i;
}

TEST(InstanceControl, OfflineInstanceGetsNoNewWorkUntilOnline)
{
    DataPlaneHarness harness;
    ASSERT_TRUE(harness.startWithSim(2));
    EXPECT_EQ(harness.manage("POST", "/v1/instances/offline", R"({"ids":[1]})").status, 200);
    sendRequests(harness, 6);
    EXPECT_EQ(received(harness, 0), 6);
    EXPECT_EQ(received(harness, 1), 0);
    EXPECT_EQ(harness.tasks({0, 1}), (QList<qint64>{0, 0})) << "offline instances are still known";

    // The sim keeps refreshing every second: that must not reopen the instance.
    HttpTestClient::waitUntil([] { return false; }, 1500);
    sendRequests(harness, 2);
    EXPECT_EQ(received(harness, 1), 0);

    EXPECT_EQ(harness.manage("POST", "/v1/instances/online", R"({"ids":[1]})").status, 200);
    sendRequests(harness, 6);
    EXPECT_GT(received(harness, 1), 0);
}

TEST(InstanceControl, OfflineAndOnlineValidateTheirBody)
{
    DataPlaneHarness harness;
    ASSERT_TRUE(harness.startCoordinator());
    EXPECT_EQ(harness.manage("POST", "/v1/instances/offline", R"({"ids":[0]})").status, 503)
        << "not initialised";
    ASSERT_TRUE(harness.startSim({QStringLiteral("--single"), QStringLiteral("1"), QStringLiteral("--timing"),
                                  QStringLiteral("fast")}));
    ASSERT_TRUE(harness.waitForInstances(1));
    EXPECT_EQ(harness.manage("POST", "/v1/instances/offline", "{bad").status, 400);
    EXPECT_EQ(harness.manage("POST", "/v1/instances/online", R"({"ids":"0"})").status, 400);
}

TEST(InstanceControl, RefreshAddsUpdatesAndRemoves)
{
    DataPlaneHarness harness;
    ASSERT_TRUE(harness.startCoordinator());
    ASSERT_TRUE(harness.startSim(
        {QStringLiteral("--single"), QStringLiteral("3"), QStringLiteral("--timing"), QStringLiteral("fast")},
        false));
    simtest::SimProcess& sim = harness.sim();
    const auto entry = [&](int id) {
        return singleInstanceEntry(quint64(id), sim.port(id), sim.metricPort(id));
    };
    const auto refresh = [&](const QList<QJsonObject>& entries) {
        return harness.manage("POST", "/v1/instances/refresh", refreshBody(entries)).status;
    };

    ASSERT_EQ(refresh({entry(0), entry(1)}), 200);
    EXPECT_EQ(harness.tasks({0, 1, 2}), (QList<qint64>{0, 0, -1}));
    sendRequests(harness, 4);
    EXPECT_EQ(received(harness, 2), 0);

    ASSERT_EQ(refresh({entry(0), entry(1), entry(2)}), 200); // add
    EXPECT_EQ(harness.tasks({2}), QList<qint64>{0});
    sendRequests(harness, 6);
    EXPECT_GT(received(harness, 2), 0);

    // Update: instance 1 reports no free slot, so round robin passes it by.
    QJsonObject full = entry(1);
    QJsonObject dynamicInfo = full.value(QLatin1String("dynamic_info")).toObject();
    dynamicInfo.insert(QStringLiteral("avail_slots_num"), 0);
    full.insert(QStringLiteral("dynamic_info"), dynamicInfo);
    ASSERT_EQ(refresh({entry(0), full, entry(2)}), 200);
    const int beforeUpdate = received(harness, 1);
    sendRequests(harness, 6);
    EXPECT_EQ(received(harness, 1), beforeUpdate);

    ASSERT_EQ(refresh({entry(0)}), 200); // remove 1 and 2
    EXPECT_EQ(harness.tasks({0, 1, 2}), (QList<qint64>{0, -1, -1}));
    const int onZero = received(harness, 0);
    sendRequests(harness, 3);
    EXPECT_EQ(received(harness, 0), onZero + 3);

    ASSERT_EQ(refresh({}), 200); // nobody left: not ready again
    EXPECT_EQ(harness.predict("/v1/completions", kRequest).body, "MindIE-MS Coordinator is not ready\r\n");
}

TEST(InstanceControl, RefreshSkipsBadInstancesAndRejectsBadJson)
{
    DataPlaneHarness harness;
    ASSERT_TRUE(harness.startCoordinator());
    ASSERT_TRUE(harness.startSim(
        {QStringLiteral("--single"), QStringLiteral("1"), QStringLiteral("--timing"), QStringLiteral("fast")},
        false));
    simtest::SimProcess& sim = harness.sim();
    QJsonObject lowPort = singleInstanceEntry(7, 80, sim.metricPort(0));
    QJsonObject prefillRole = singleInstanceEntry(8, sim.port(0), sim.metricPort(0));
    QJsonObject staticInfo = prefillRole.value(QLatin1String("static_info")).toObject();
    staticInfo.insert(QStringLiteral("role"), 80);
    prefillRole.insert(QStringLiteral("static_info"), staticInfo);
    QJsonObject noIp = singleInstanceEntry(9, sim.port(0), sim.metricPort(0));
    noIp.insert(QStringLiteral("ip"), QStringLiteral("0.0.0.0"));
    const QByteArray body =
        refreshBody({singleInstanceEntry(0, sim.port(0), sim.metricPort(0)), lowPort, prefillRole, noIp});
    EXPECT_EQ(harness.manage("POST", "/v1/instances/refresh", body).status, 200);
    EXPECT_EQ(harness.tasks({0, 7, 8, 9}), (QList<qint64>{0, -1, -1, -1}));
    EXPECT_EQ(harness.predict("/v1/completions", kRequest).status, 200);

    for (const QByteArray& bad :
         {QByteArray("{not json"), QByteArray(R"({"instances":[]})"), QByteArray(R"({"ids":[]})")}) {
        SCOPED_TRACE(bad.toStdString());
        EXPECT_EQ(harness.manage("POST", "/v1/instances/refresh", bad).status, 400);
    }
    EXPECT_EQ(harness.tasks({0}), QList<qint64>{0}) << "a refused refresh changes nothing";
}

TEST(InstanceControl, TasksCountsInFlightRequests)
{
    DataPlaneHarness harness;
    ASSERT_TRUE(harness.startWithSim(1, {QStringLiteral("--stall")}));
    HttpTestClient first(QStringLiteral("127.0.0.1"), harness.predictPort());
    HttpTestClient second(QStringLiteral("127.0.0.1"), harness.predictPort());
    ASSERT_TRUE(first.send("POST", "/v1/completions", kRequest));
    ASSERT_TRUE(second.send("POST", "/v1/completions", kRequest));
    EXPECT_TRUE(HttpTestClient::waitUntil([&] { return harness.tasks({0}).value(0) == 2; }, 5000));
    const HttpTestResponse reply = harness.manage("GET", "/v1/instances/tasks?id=0&id=abc&other=1&id=42");
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.body, R"({"tasks":[2,-1,-1]})");
    first.abort();
    second.abort();
    EXPECT_TRUE(HttpTestClient::waitUntil([&] { return harness.tasks({0}).value(0) == 0; }, 5000));
}

// MindIE leaves such requests hanging (spec §2.3); we answer them at once: placed again when
// another instance can take them, else with an error, long before their 30 s timeouts.
TEST(InstanceControl, RemovingAnInstanceAnswersItsInFlightRequests)
{
    DataPlaneHarness harness(
        {edit("exception_config", "first_token_timeout", 30), edit("exception_config", "infer_timeout", 30)});
    ASSERT_TRUE(harness.startCoordinator());
    ASSERT_TRUE(harness.startSim({QStringLiteral("--single"), QStringLiteral("2"), QStringLiteral("--stall")},
                                 false));
    simtest::SimProcess& sim = harness.sim();
    const QJsonObject first = singleInstanceEntry(0, sim.port(0), sim.metricPort(0));
    const QJsonObject second = singleInstanceEntry(1, sim.port(1), sim.metricPort(1));
    ASSERT_EQ(harness.manage("POST", "/v1/instances/refresh", refreshBody({first, second})).status, 200);
    HttpTestClient client(QStringLiteral("127.0.0.1"), harness.predictPort());
    ASSERT_TRUE(client.send("POST", "/v1/completions", kRequest));
    ASSERT_TRUE(HttpTestClient::waitUntil(
        [&] {
            const QList<qint64> counts = harness.tasks({0, 1});
            return counts.value(0) + counts.value(1) == 1;
        },
        5000));
    ASSERT_EQ(harness.manage("POST", "/v1/instances/refresh", refreshBody({})).status, 200);
    EXPECT_TRUE(client.waitForComplete(10000)) << "the request was left hanging";
    EXPECT_GE(client.response().status, 400);
}

} // namespace
} // namespace dptest
