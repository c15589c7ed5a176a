// Each timeout of spec §5.2 as the user sees it. Timeouts are whole seconds in the config, so
// these tests use 1-2 s values and only bound the waits generously. Note the load-time rule:
// schedule_timeout + 20 > min(first_token, infer) makes schedule_timeout min - 20, or 0 (off)
// when that minimum is 20 s or less.
#include <QElapsedTimer>

#include <gtest/gtest.h>

#include "dataplaneharness.h"

namespace dptest {
namespace {

const QByteArray kChat = R"({"messages":[{"role":"user","content":"time me"}],"max_tokens":40})";
const QByteArray kChatStream =
    R"({"messages":[{"role":"user","content":"time me"}],"max_tokens":40,"stream":true})";

// A sim whose tokens come every 150 ms, so a 40-token answer takes about 6 s.
QStringList slowDecodeSim()
{
    return {QStringLiteral("--single"),          QStringLiteral("1"),
            QStringLiteral("--decode-base-ms"),  QStringLiteral("150"),
            QStringLiteral("--decode-slope-ms"), QStringLiteral("0")};
}

TEST(Timeouts, FirstTokenTimeoutOnAStalledInstance)
{
    DataPlaneHarness harness(
        {edit("exception_config", "first_token_timeout", 1), edit("exception_config", "infer_timeout", 30)});
    ASSERT_TRUE(harness.startWithSim(1, {QStringLiteral("--stall")}));
    QElapsedTimer clock;
    clock.start();
    for (const QByteArray& body : {kChat, kChatStream}) {
        const HttpTestResponse reply = harness.predict("/v1/chat/completions", body, {}, 10000);
        EXPECT_EQ(reply.status, 408);
        EXPECT_EQ(reply.body, "Request first token timeout\r\n");
    }
    EXPECT_LT(clock.elapsed(), 15000);
}

TEST(Timeouts, InferTimeoutEndsAStartedStreamWithAFinalChunk)
{
    DataPlaneHarness harness(
        {edit("exception_config", "first_token_timeout", 30), edit("exception_config", "infer_timeout", 2)});
    ASSERT_TRUE(harness.startCoordinator());
    ASSERT_TRUE(harness.startSim(slowDecodeSim()));
    ASSERT_TRUE(harness.waitForInstances(1));
    const HttpTestResponse reply = harness.predict("/v1/chat/completions", kChatStream, {}, 15000);
    EXPECT_EQ(reply.status, 200);
    EXPECT_TRUE(reply.chunked);
    EXPECT_TRUE(reply.complete) << "the stream must be terminated, not left open";
    ASSERT_GE(reply.chunks.size(), 2);
    EXPECT_EQ(reply.chunks.last().data, "Request inference timeout\r\n");
    EXPECT_TRUE(reply.body.startsWith("data: "));
    EXPECT_FALSE(reply.body.contains("[DONE]"));
    // The instance was told to stop: nothing is left running there.
    EXPECT_TRUE(HttpTestClient::waitUntil(
        [&] { return harness.simState(0).value(QLatin1String("active_requests")).toInt() == 0; }, 5000));
}

TEST(Timeouts, InferTimeoutBeforeAnyByteIs408)
{
    // Non-stream answers are not relayed until complete, so the whole answer is late.
    DataPlaneHarness harness(
        {edit("exception_config", "first_token_timeout", 30), edit("exception_config", "infer_timeout", 1)});
    ASSERT_TRUE(harness.startCoordinator());
    ASSERT_TRUE(harness.startSim(slowDecodeSim()));
    ASSERT_TRUE(harness.waitForInstances(1));
    const HttpTestResponse reply = harness.predict("/v1/chat/completions", kChat, {}, 15000);
    EXPECT_EQ(reply.status, 408);
    EXPECT_EQ(reply.body, "Request inference timeout\r\n");
}

TEST(Timeouts, ScheduleTimeoutWhenEveryInstanceIsOffline)
{
    // 1 + 20 <= min(21, 21): schedule_timeout stays 1 s.
    DataPlaneHarness harness({edit("exception_config", "schedule_timeout", 1),
                              edit("exception_config", "first_token_timeout", 21),
                              edit("exception_config", "infer_timeout", 21)});
    ASSERT_TRUE(harness.startWithSim(2));
    ASSERT_EQ(harness.manage("POST", "/v1/instances/offline", R"({"ids":[0,1]})").status, 200);
    const HttpTestResponse reply =
        harness.predict("/v1/completions", R"({"prompt":"x","max_tokens":2})", {}, 10000);
    EXPECT_EQ(reply.status, 408);
    EXPECT_EQ(reply.body, "Request schedule timeout\r\n");
}

TEST(Timeouts, ScheduleTimeoutWhenTheInstanceIsAtItsCap)
{
    DataPlaneHarness harness({edit("exception_config", "schedule_timeout", 1),
                              edit("exception_config", "first_token_timeout", 21),
                              edit("exception_config", "infer_timeout", 21),
                              edit("request_limit", "single_node_max_requests", 1)});
    ASSERT_TRUE(harness.startWithSim(1, {QStringLiteral("--stall")}));
    HttpTestClient holder(QStringLiteral("127.0.0.1"), harness.predictPort());
    ASSERT_TRUE(holder.send("POST", "/v1/completions", R"({"prompt":"holds the only slot"})"));
    ASSERT_TRUE(HttpTestClient::waitUntil([&] { return harness.tasks({0}).value(0) == 1; }, 5000));
    const HttpTestResponse reply = harness.predict("/v1/completions", R"({"prompt":"waits"})", {}, 10000);
    EXPECT_EQ(reply.status, 408);
    EXPECT_EQ(reply.body, "Request schedule timeout\r\n");
}

TEST(Timeouts, ScheduleTimeoutIsOffWhenTheOtherLimitsAreShort)
{
    // schedule 1 + 20 > min(3, 30): schedule_timeout becomes 0, so a request waiting for an
    // offline instance is ended by the first-token limit instead.
    DataPlaneHarness harness({edit("exception_config", "schedule_timeout", 1),
                              edit("exception_config", "first_token_timeout", 3),
                              edit("exception_config", "infer_timeout", 30)});
    ASSERT_TRUE(harness.startWithSim(1));
    ASSERT_EQ(harness.manage("POST", "/v1/instances/offline", R"({"ids":[0]})").status, 200);
    HttpTestClient client(QStringLiteral("127.0.0.1"), harness.predictPort());
    ASSERT_TRUE(client.send("POST", "/v1/completions", R"({"prompt":"x","max_tokens":2})"));
    EXPECT_FALSE(client.waitForHeaders(2000)) << "no schedule timeout after 1 s";
    ASSERT_EQ(harness.manage("POST", "/v1/instances/online", R"({"ids":[0]})").status, 200);
    ASSERT_TRUE(client.waitForComplete(8000));
    EXPECT_EQ(client.response().status, 200);
}

TEST(Timeouts, TokenizerTimeoutOnAStalledInstance)
{
    DataPlaneHarness harness({edit("exception_config", "tokenizer_timeout", 1)});
    ASSERT_TRUE(harness.startWithSim(1, {QStringLiteral("--stall")}));
    const HttpTestResponse reply = harness.predict("/v1/tokenizer", R"({"inputs":"tokenize me"})", {}, 10000);
    EXPECT_EQ(reply.status, 408);
    EXPECT_EQ(reply.body, "Request tokenizer timeout\r\n");
}

} // namespace
} // namespace dptest
