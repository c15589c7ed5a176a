// The data port's connection guards (spec §1.1): requests per connection, concurrent
// connections and the keep-alive idle timeout, all derived from the config.
#include <QTcpSocket>

#include <gtest/gtest.h>

#include "dataplaneharness.h"

namespace dptest {
namespace {

const QByteArray kSmallRequest = R"({"prompt":"limits","max_tokens":2})";

TEST(ConnectionLimits, RequestCapPerConnection)
{
    DataPlaneHarness harness({edit("request_limit", "max_requests", 3)});
    ASSERT_TRUE(harness.startWithSim(1));
    HttpTestClient client(QStringLiteral("127.0.0.1"), harness.predictPort());
    for (int i = 0; i < 3; ++i)
        ASSERT_EQ(client.post("/v1/completions", kSmallRequest).status, 200) << i;
    const HttpTestResponse refused = client.post("/v1/completions", kSmallRequest);
    EXPECT_EQ(refused.status, 429);
    EXPECT_EQ(refused.body, "Connection request out of limit, max is 3\r\n");
    EXPECT_TRUE(refused.connectionClosed || client.waitForClose(3000));
    // A new connection starts a new count.
    EXPECT_EQ(harness.predict("/v1/completions", kSmallRequest).status, 200);
}

TEST(ConnectionLimits, ConnectionCapAnswersExtraConnections429)
{
    DataPlaneHarness harness({edit("request_limit", "max_requests", 2)});
    ASSERT_TRUE(harness.startWithSim(1));
    HttpTestClient first(QStringLiteral("127.0.0.1"), harness.predictPort());
    HttpTestClient second(QStringLiteral("127.0.0.1"), harness.predictPort());
    ASSERT_TRUE(first.connectToServer());
    ASSERT_TRUE(second.connectToServer());
    // Both held connections are known to the server once they have been answered once.
    ASSERT_EQ(first.post("/v1/completions", kSmallRequest).status, 200);
    ASSERT_EQ(second.post("/v1/completions", kSmallRequest).status, 200);

    // MindIE closes such a connection unanswered; it gets a 429 before the close here.
    HttpTestClient extra(QStringLiteral("127.0.0.1"), harness.predictPort());
    const HttpTestResponse refused = extra.request("POST", "/v1/completions", kSmallRequest, {}, 5000);
    EXPECT_EQ(refused.status, 429);
    EXPECT_EQ(refused.body, "Too many requests\r\n");
    EXPECT_TRUE(refused.connectionClosed || extra.waitForClose(3000));

    // Freeing a connection makes room again.
    first.close();
    EXPECT_TRUE(HttpTestClient::waitUntil(
        [&] { return harness.predict("/v1/completions", kSmallRequest, {}, 2000).status == 200; }, 5000));
}

TEST(ConnectionLimits, IdleConnectionIsClosedAfterKeepAliveSeconds)
{
    DataPlaneHarness harness({edit("http_config", "keep_alive_seconds", 1)});
    ASSERT_TRUE(harness.startWithSim(1));
    HttpTestClient used(QStringLiteral("127.0.0.1"), harness.predictPort());
    ASSERT_EQ(used.post("/v1/completions", kSmallRequest).status, 200);
    HttpTestClient silent(QStringLiteral("127.0.0.1"), harness.predictPort());
    ASSERT_TRUE(silent.connectToServer());
    EXPECT_TRUE(used.waitForClose(5000)) << "idle after a request";
    EXPECT_TRUE(silent.waitForClose(5000)) << "idle without any request";
}

TEST(ConnectionLimits, StreamLongerThanKeepAliveIsNotCutOff)
{
    // The idle limit is for connections waiting for a request, not for answers in progress.
    DataPlaneHarness harness({edit("http_config", "keep_alive_seconds", 1)});
    ASSERT_TRUE(harness.startCoordinator());
    ASSERT_TRUE(
        harness.startSim({QStringLiteral("--single"), QStringLiteral("1"), QStringLiteral("--decode-base-ms"),
                          QStringLiteral("100"), QStringLiteral("--decode-slope-ms"), QStringLiteral("0")}));
    ASSERT_TRUE(harness.waitForInstances(1));
    const HttpTestResponse reply =
        harness.predict("/v1/completions", R"({"prompt":"slow","max_tokens":20,"stream":true})", {}, 15000);
    EXPECT_EQ(reply.status, 200);
    EXPECT_TRUE(reply.complete);
    EXPECT_TRUE(reply.body.endsWith("data: [DONE]\n\n"));
}

TEST(ConnectionLimits, ConnectionCloseHeaderIsHonoured)
{
    DataPlaneHarness harness;
    ASSERT_TRUE(harness.startWithSim(1));
    HttpTestClient client(QStringLiteral("127.0.0.1"), harness.predictPort());
    const HttpTestResponse reply = client.post("/v1/completions", kSmallRequest, {{"Connection", "close"}});
    EXPECT_EQ(reply.status, 200);
    EXPECT_TRUE(reply.connectionClosed || client.waitForClose(3000));
}

} // namespace
} // namespace dptest
