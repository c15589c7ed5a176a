// Every user route through the coordinator answers exactly what the instance answers directly:
// the sim's output depends only on the request, so a direct request to an instance is the
// reference for the coordinator's relay (status, content type, body or stream bytes).
#include <gtest/gtest.h>

#include "dataplaneharness.h"
#include "routecases.h"

namespace dptest {
namespace {

void expectSameAnswer(DataPlaneHarness& harness, const RouteCase& route)
{
    SCOPED_TRACE(std::string(route.target) + " " + route.body.toStdString());
    const HttpTestResponse relayed = harness.predict(route.target, route.body);
    const HttpTestResponse reference = harness.direct(0, route.target, route.body);
    ASSERT_EQ(reference.status, 200) << reference.body.toStdString();
    ASSERT_EQ(relayed.status, 200) << relayed.body.toStdString();
    EXPECT_TRUE(relayed.complete);
    EXPECT_FALSE(relayed.timedOut);
    EXPECT_EQ(relayed.header("Content-Type"), reference.header("Content-Type"));
    EXPECT_EQ(relayed.chunked, route.streamed);
    EXPECT_EQ(withoutRequestStamps(relayed.body).toStdString(),
              withoutRequestStamps(reference.body).toStdString());
    if (route.streamed) {
        EXPECT_TRUE(relayed.body.startsWith("data: "));
        EXPECT_TRUE(relayed.body.endsWith("\n\n"));
    }
}

TEST(RouteRelay, EveryRouteAnswersWhatTheInstanceAnswers)
{
    DataPlaneHarness harness;
    ASSERT_TRUE(harness.startWithSim(2)) << harness.coordinatorOutput().toStdString();
    for (const RouteCase& route : userRouteCases())
        expectSameAnswer(harness, route);
}

TEST(RouteRelay, OpenAiStreamEndsWithDone)
{
    DataPlaneHarness harness;
    ASSERT_TRUE(harness.startWithSim(1));
    const HttpTestResponse reply = harness.predict(
        "/v1/chat/completions",
        R"({"messages":[{"role":"user","content":"stream me"}],"max_tokens":4,"stream":true})");
    ASSERT_EQ(reply.status, 200);
    EXPECT_TRUE(reply.chunked);
    EXPECT_TRUE(reply.complete);
    EXPECT_TRUE(reply.header("Content-Type").startsWith("text/event-stream"));
    EXPECT_TRUE(reply.body.endsWith("data: [DONE]\n\n")) << reply.body.toStdString();
}

TEST(RouteRelay, TokenizerRelaysTheInstanceAnswer)
{
    DataPlaneHarness harness;
    ASSERT_TRUE(harness.startWithSim(2));
    const QByteArray body = R"({"inputs":"count these tokens please"})";
    const HttpTestResponse relayed = harness.predict("/v1/tokenizer", body);
    const HttpTestResponse reference = harness.direct(0, "/v1/tokenizer", body);
    ASSERT_EQ(relayed.status, 200) << relayed.body.toStdString();
    EXPECT_EQ(relayed.body, reference.body);
    EXPECT_TRUE(relayed.body.contains("\"token_number\""));
}

TEST(RouteRelay, InstanceErrorStatusAndBodyAreRelayed)
{
    // An instance that answers 500 has answered: its status and body reach the user as they are.
    DataPlaneHarness harness;
    ASSERT_TRUE(harness.startWithSim(1));
    ASSERT_TRUE(harness.simFault(0, R"({"error_rate":1})"));
    const QByteArray body = R"({"id":"x","text_input":"ok","parameters":{"max_new_tokens":3}})";
    const HttpTestResponse reference = harness.direct(0, "/v2/models/llama_65b/generate", body);
    const HttpTestResponse relayed = harness.predict("/v2/models/llama_65b/generate", body);
    ASSERT_EQ(reference.status, 500);
    EXPECT_EQ(relayed.status, 500);
    EXPECT_EQ(relayed.body, reference.body);
}

TEST(RouteRelay, KeepAliveConnectionCarriesSeveralRequests)
{
    DataPlaneHarness harness;
    ASSERT_TRUE(harness.startWithSim(2));
    HttpTestClient client(QStringLiteral("127.0.0.1"), harness.predictPort());
    for (int i = 0; i < 4; ++i) {
        const HttpTestResponse reply =
            client.post("/v1/completions", R"({"prompt":"again","max_tokens":3,"stream":)" +
                                               QByteArray(i % 2 ? "true" : "false") + "}");
        ASSERT_EQ(reply.status, 200) << i;
        EXPECT_TRUE(reply.complete);
        EXPECT_FALSE(reply.connectionClosed);
    }
}

} // namespace
} // namespace dptest
