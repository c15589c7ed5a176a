// Instance failures (architecture: retry on another instance before the first byte; every
// request gets exactly one answer). Faults come from mindie_sim's /sim/fault.
#include <QElapsedTimer>

#include <gtest/gtest.h>

#include "dataplaneharness.h"

namespace dptest {
namespace {

const QByteArray kRequest = R"({"prompt":"survive","max_tokens":3})";

int received(DataPlaneHarness& harness, int id)
{
    return harness.simState(id).value(QLatin1String("requests_received")).toInt();
}

TEST(Retry, RefusingInstanceIsSkippedForTheOther)
{
    DataPlaneHarness harness;
    ASSERT_TRUE(harness.startWithSim(2));
    ASSERT_TRUE(harness.simFault(1, R"({"refuse":true})"));
    for (int i = 0; i < 6; ++i) {
        const HttpTestResponse reply = harness.predict("/v1/completions", kRequest);
        EXPECT_EQ(reply.status, 200) << i << reply.body.toStdString();
    }
    EXPECT_EQ(received(harness, 0), 6);
}

TEST(Retry, CrashedInstanceIsSkippedForTheOther)
{
    DataPlaneHarness harness;
    ASSERT_TRUE(harness.startWithSim(2));
    ASSERT_TRUE(harness.simFault(1, R"({"crash_after":1})"));
    for (int i = 0; i < 6; ++i) {
        const QByteArray body =
            R"({"prompt":"survive","max_tokens":3,"stream":)" + QByteArray(i % 2 ? "true" : "false") + "}";
        const HttpTestResponse reply = harness.predict("/v1/completions", body);
        EXPECT_EQ(reply.status, 200) << i << reply.body.toStdString();
        EXPECT_TRUE(reply.complete);
    }
}

TEST(Retry, AllInstancesRefusingIsConnectFailed)
{
    DataPlaneHarness harness;
    ASSERT_TRUE(harness.startWithSim(2));
    ASSERT_TRUE(harness.simFault(0, R"({"refuse":true})"));
    ASSERT_TRUE(harness.simFault(1, R"({"refuse":true})"));
    QElapsedTimer clock;
    clock.start();
    for (const QByteArray& target : {QByteArray("/v1/completions"), QByteArray("/v1/tokenizer")}) {
        SCOPED_TRACE(target.toStdString());
        const HttpTestResponse reply = harness.predict(target, R"({"prompt":"x","inputs":"x"})", {}, 15000);
        EXPECT_EQ(reply.status, 500);
        EXPECT_EQ(reply.body, target == "/v1/tokenizer"
                                  ? "Read tokenizer response from mindie-server failed\r\n"
                                  : "Connect to MindIE-Server failed\r\n");
    }
    EXPECT_LT(clock.elapsed(), 20000) << "failure must be answered, not hang";
}

TEST(Retry, InstanceDyingMidStreamEndsTheStreamWithAnErrorChunk)
{
    DataPlaneHarness harness;
    ASSERT_TRUE(harness.startCoordinator());
    ASSERT_TRUE(
        harness.startSim({QStringLiteral("--single"), QStringLiteral("1"), QStringLiteral("--decode-base-ms"),
                          QStringLiteral("100"), QStringLiteral("--decode-slope-ms"), QStringLiteral("0")}));
    ASSERT_TRUE(harness.waitForInstances(1));
    HttpTestClient client(QStringLiteral("127.0.0.1"), harness.predictPort());
    ASSERT_TRUE(
        client.send("POST", "/v1/completions", R"({"prompt":"crash soon","max_tokens":200,"stream":true})"));
    ASSERT_TRUE(client.waitForChunks(1, 5000));
    harness.simFault(0, R"({"crash":true})"); // the crash may also drop the fault call's own reply
    ASSERT_TRUE(client.waitForComplete(10000)) << "the stream must end, not hang";
    const HttpTestResponse& reply = client.response();
    EXPECT_EQ(reply.status, 200);
    EXPECT_TRUE(reply.body.startsWith("data: "));
    EXPECT_EQ(reply.chunks.last().data, "Read messages from instance failed\r\n");
}

TEST(Retry, InstanceErrorsAreAnsweredNotRetried)
{
    // A 500 from the instance is an answer: relayed once, no second instance is tried.
    DataPlaneHarness harness;
    ASSERT_TRUE(harness.startWithSim(2));
    ASSERT_TRUE(harness.simFault(0, R"({"error_rate":1})"));
    ASSERT_TRUE(harness.simFault(1, R"({"error_rate":1})"));
    const HttpTestResponse reply = harness.predict("/v1/completions", kRequest);
    EXPECT_EQ(reply.status, 500);
    EXPECT_EQ(received(harness, 0) + received(harness, 1), 1);
}

} // namespace
} // namespace dptest
