// The Controller's view of a PD cluster while requests travel through it (spec §2.3-§2.5):
// offline/online of a prefill instance, query_tasks during a role change, and the DIGS
// allocations in coordinator_info.
#include <memory>

#include <QJsonArray>
#include <QJsonDocument>

#include <gtest/gtest.h>

#include "pdharness.h"

namespace pdtest {
namespace {

const QByteArray kShortRequest = R"({"prompt":"where do I go","max_tokens":3})";

void sendShortRequests(DataPlaneHarness& harness, int count)
{
    for (int i = 0; i < count; ++i)
        ASSERT_EQ(harness.predict(kCompletions, kShortRequest).status, 200) << i;
}

int decodeTasks(DataPlaneHarness& harness)
{
    return simCounter(harness, kDecode0, "decode_tasks") + simCounter(harness, kDecode1, "decode_tasks");
}

class PdManage : public ::testing::TestWithParam<Placement>
{
protected:
    DataPlaneHarness m_harness{pdConfig(GetParam())};
};

TEST_P(PdManage, OfflinePrefillGetsNoNewWorkUntilOnline)
{
    ASSERT_TRUE(startPdCluster(m_harness, {QStringLiteral("--timing"), QStringLiteral("fast")}));
    ASSERT_EQ(m_harness.manage("POST", "/v1/instances/offline", R"({"ids":[0]})").status, 200);
    sendShortRequests(m_harness, 6);
    EXPECT_EQ(simCounter(m_harness, kPrefill0, "requests_received"), 0);
    EXPECT_EQ(simCounter(m_harness, kPrefill1, "requests_received"), 6);

    ASSERT_EQ(m_harness.manage("POST", "/v1/instances/online", R"({"ids":[0]})").status, 200);
    // DIGS learns of the change on its next round; give it a moment before counting.
    EXPECT_TRUE(HttpTestClient::waitUntil(
        [&] {
            sendShortRequests(m_harness, 1);
            return simCounter(m_harness, kPrefill0, "requests_received") > 0;
        },
        10000))
        << "prefill 0 gets work again once online";
}

TEST_P(PdManage, QueryTasksWaitsForARequestTravellingThroughThePair)
{
    ASSERT_TRUE(startPdCluster(m_harness, {}));
    ASSERT_TRUE(m_harness.simFault(kDecode0, R"({"slow_factor":50})"));
    ASSERT_TRUE(m_harness.simFault(kDecode1, R"({"slow_factor":50})"));
    HttpTestClient client(QStringLiteral("127.0.0.1"), m_harness.predictPort());
    ASSERT_TRUE(client.send("POST", kCompletions, kLongStreamRequest));
    ASSERT_TRUE(HttpTestClient::waitUntil([&] { return decodeTasks(m_harness) == 1; }, 15000));
    const int decode = simCounter(m_harness, kDecode0, "decode_tasks") == 1 ? kDecode0 : kDecode1;
    const int prefill = simCounter(m_harness, kPrefill0, "requests_received") == 1 ? kPrefill0 : kPrefill1;
    const auto queryTasks = [&](int changeType) {
        const QByteArray body = R"({"p_id":)" + QByteArray::number(prefill) + R"(,"d_id":)" +
                                QByteArray::number(decode) + R"(,"role_change_type":)" +
                                QByteArray::number(changeType) + "}";
        return m_harness.manage("POST", "/v1/instances/query_tasks", body);
    };
    for (const int changeType : {0, 1}) {
        const HttpTestResponse reply = queryTasks(changeType);
        EXPECT_EQ(reply.status, 200);
        EXPECT_EQ(reply.body, R"({"is_end":false})") << "role_change_type " << changeType;
    }

    ASSERT_TRUE(m_harness.simFault(decode, R"({"slow_factor":1})"));
    ASSERT_TRUE(client.waitForComplete(20000));
    EXPECT_EQ(client.response().status, 200);
    EXPECT_TRUE(HttpTestClient::waitUntil([&] { return queryTasks(0).body == R"({"is_end":true})"; }, 5000));
    EXPECT_EQ(queryTasks(1).body, R"({"is_end":true})");

    const HttpTestResponse bad = m_harness.manage("POST", "/v1/instances/query_tasks", R"({"p_id":"0"})");
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(bad.body, R"({"is_end":true})");
}

INSTANTIATE_TEST_SUITE_P(Placements, PdManage, ::testing::Values(Placement::RoundRobin, Placement::Digs),
                         placementTestName);

struct Allocated
{
    QList<qint64> ids;
    qint64 slotCount = 0;
    qint64 blockCount = 0;
    bool hasRequestNum = false;
};

Allocated coordinatorInfo(DataPlaneHarness& harness)
{
    const QJsonObject info =
        QJsonDocument::fromJson(harness.manage("GET", "/v1/coordinator_info").body).object();
    Allocated allocated;
    for (const QJsonValue& entry : info.value(QLatin1String("schedule_info")).toArray()) {
        const QJsonObject object = entry.toObject();
        allocated.ids.append(object.value(QLatin1String("id")).toInteger());
        allocated.slotCount += object.value(QLatin1String("allocated_slots")).toInteger();
        allocated.blockCount += object.value(QLatin1String("allocated_blocks")).toInteger();
    }
    std::sort(allocated.ids.begin(), allocated.ids.end());
    allocated.hasRequestNum = info.contains(QLatin1String("request_num"));
    return allocated;
}

TEST(PdDigsInfo, ScheduleInfoShowsAllocationsWhileRequestsAreInFlight)
{
    DataPlaneHarness harness(pdConfig(Placement::Digs));
    ASSERT_TRUE(startPdCluster(harness, {}));
    for (const int decode : {kDecode0, kDecode1})
        ASSERT_TRUE(harness.simFault(decode, R"({"slow_factor":50})"));
    std::vector<std::unique_ptr<HttpTestClient>> clients;
    for (int i = 0; i < 4; ++i) {
        clients.push_back(
            std::make_unique<HttpTestClient>(QStringLiteral("127.0.0.1"), harness.predictPort()));
        ASSERT_TRUE(clients.back()->send("POST", kCompletions, kLongStreamRequest));
    }
    ASSERT_TRUE(HttpTestClient::waitUntil([&] { return decodeTasks(harness) == 4; }, 15000));
    const Allocated busy = coordinatorInfo(harness);
    EXPECT_EQ(busy.ids, (QList<qint64>{0, 1, 2, 3}));
    EXPECT_GT(busy.slotCount, 0);
    EXPECT_GT(busy.blockCount, 0);
    EXPECT_TRUE(busy.hasRequestNum);

    for (const int decode : {kDecode0, kDecode1})
        ASSERT_TRUE(harness.simFault(decode, R"({"slow_factor":1})"));
    for (auto& client : clients) {
        ASSERT_TRUE(client->waitForComplete(20000));
        EXPECT_EQ(client->response().status, 200);
    }
    EXPECT_TRUE(HttpTestClient::waitUntil(
        [&] {
            const Allocated idle = coordinatorInfo(harness);
            return idle.slotCount == 0 && idle.blockCount == 0;
        },
        5000))
        << "allocations are given back when the requests end";
    const Allocated idle = coordinatorInfo(harness);
    EXPECT_EQ(idle.ids, (QList<qint64>{0, 1, 2, 3}));
    EXPECT_TRUE(idle.hasRequestNum);
}

} // namespace
} // namespace pdtest

namespace pdtest {
namespace {

// Spec §6.3's worked example: input_len = floor(average DIGS input length / string_token_rate),
// with DIGS's input length ceil(bytes x i). An 85-byte messages dump gives 21 with i = 1 and
// floor(ceil(85 x 0.22) / 4.02) = 4 with the default i = 0.22.
int inputLenAfterOneRequest(const char* coefficients)
{
    DataPlaneHarness harness(
        pdConfig(Placement::Digs, {edit("digs_scheduler_config", "load_cost_coefficient", coefficients)}));
    if (!startPdCluster(harness, {}))
        return -1;
    // [{"content":"<55 characters>","role":"user"}] is 85 bytes in compact JSON.
    const QByteArray body =
        R"({"messages":[{"role":"user","content":")" + QByteArray(55, 'a') + R"("}],"max_tokens":2})";
    if (harness.predict("/v1/chat/completions", body).status != 200)
        return -2;
    const HttpTestResponse info = harness.manage("GET", "/v1/coordinator_info");
    return QJsonDocument::fromJson(info.body)
        .object()
        .value(QStringLiteral("request_length_info"))
        .toObject()
        .value(QStringLiteral("input_len"))
        .toInt(-3);
}

TEST(PdDigsInfo, InputLenFollowsTheSpecsWorkedExample)
{
    EXPECT_EQ(inputLenAfterOneRequest("0, 1, 1024, 24, 6, 0, 1, 0, 1"), 21);
    EXPECT_EQ(inputLenAfterOneRequest("0, 0.22, 1024, 24, 6, 0, 1, 0, 1"), 4);
}

} // namespace
} // namespace pdtest
