// The coordinator's own answers: every status code and error text of spec §1.1-§1.2, as the
// user sees them on the predict port.
#include <gtest/gtest.h>

#include "dataplaneharness.h"

namespace dptest {
namespace {

void expectPlainText(const HttpTestResponse& reply, int status, const QByteArray& text)
{
    EXPECT_EQ(reply.status, status) << reply.body.toStdString();
    EXPECT_EQ(reply.body.toStdString(), text.toStdString());
    EXPECT_TRUE(reply.header("Content-Type").startsWith("text/plain"))
        << reply.header("Content-Type").toStdString();
}

TEST(ErrorReplies, NotReadyBeforeAnyInstanceRegisters)
{
    DataPlaneHarness harness;
    ASSERT_TRUE(harness.startCoordinator());
    expectPlainText(
        harness.predict("/v1/chat/completions", R"({"messages":[{"role":"user","content":"hi"}]})"), 503,
        "MindIE-MS Coordinator is not ready\r\n");
    expectPlainText(harness.predict("/v1/tokenizer", R"({"inputs":"hi"})"), 503,
                    "MindIE-MS Coordinator is not ready\r\n");
}

TEST(ErrorReplies, MalformedBodiesAreRequestFormatInvalid)
{
    DataPlaneHarness harness;
    ASSERT_TRUE(harness.startWithSim(1));
    const QList<QPair<const char*, QByteArray>> malformed = {
        {"/v1/chat/completions", "{not json"},
        {"/generate", R"({"neither":"inputs nor prompt"})"},
        {"/v2/models//generate", R"({"text_input":"empty model segment"})"},
        {"/infer", R"({"inputs":"both","input_id":[1,2]})"},
        {"/", "[1,2,3]"},
    };
    for (const auto& [target, body] : malformed) {
        SCOPED_TRACE(target);
        expectPlainText(harness.predict(target, body), 400, "Request format is invalid\r\n");
    }
}

TEST(ErrorReplies, OpenAiWithoutPromptOrMessages)
{
    DataPlaneHarness harness;
    ASSERT_TRUE(harness.startWithSim(1));
    for (const char* target : {"/v1/chat/completions", "/v1/completions"}) {
        SCOPED_TRACE(target);
        expectPlainText(harness.predict(target, R"({"model":"llama_65b","max_tokens":3})"), 400,
                        "Invalid request format: Missing both 'prompt' or 'messages'\r\n");
    }
}

TEST(ErrorReplies, UnknownTargetsAreInvalidRequestAndCloseTheConnection)
{
    DataPlaneHarness harness;
    ASSERT_TRUE(harness.startWithSim(1));
    const QList<QPair<QByteArray, QByteArray>> unknown = {
        {"POST", "/generate?x=1"}, // the query string is part of the matched target
        {"POST", "/v1/unknown"},
        {"GET", "/v1/chat/completions"},
        {"POST", "/v2/models/llama_65b/unknown"},
    };
    for (const auto& [method, target] : unknown) {
        SCOPED_TRACE(target.toStdString());
        HttpTestClient client(QStringLiteral("127.0.0.1"), harness.predictPort());
        const HttpTestResponse reply = client.request(method, target, method == "POST" ? "{}" : "");
        expectPlainText(reply, 400, "Invalid request\r\n");
        EXPECT_TRUE(reply.connectionClosed || client.waitForClose(3000));
    }
}

TEST(ErrorReplies, BodyOverBodyLimitIs413)
{
    DataPlaneHarness harness({edit("request_limit", "body_limit", 1)});
    ASSERT_TRUE(harness.startWithSim(1));
    const QByteArray body = R"({"prompt":")" + QByteArray(1024 * 1024, 'a') + R"("})";
    HttpTestClient client(QStringLiteral("127.0.0.1"), harness.predictPort());
    const HttpTestResponse reply = client.request("POST", "/v1/completions", body, {}, 10000);
    EXPECT_EQ(reply.status, 413);
    EXPECT_TRUE(reply.connectionClosed || client.waitForClose(3000));
    // A body just under the limit still goes through.
    const QByteArray fits = R"({"prompt":")" + QByteArray(1000 * 1000, 'a') + R"(","max_tokens":2})";
    EXPECT_EQ(harness.predict("/v1/completions", fits).status, 200);
}

// Spec §1.2 step 4: a full request table answers 429 `Too many requests`. Every live request
// holds one of the max_requests connections the data port serves, so the extra request arrives
// on a connection beyond the cap, which is answered the same 429 before it is closed.
TEST(ErrorReplies, FullRequestTableAnswersTooManyRequests)
{
    DataPlaneHarness harness({edit("request_limit", "max_requests", 2)});
    ASSERT_TRUE(harness.startWithSim(1, {QStringLiteral("--stall")}));
    HttpTestClient first(QStringLiteral("127.0.0.1"), harness.predictPort());
    HttpTestClient second(QStringLiteral("127.0.0.1"), harness.predictPort());
    first.send("POST", "/v1/completions", R"({"prompt":"a"})");
    second.send("POST", "/v1/completions", R"({"prompt":"b"})");
    HttpTestClient::waitUntil([] { return false; }, 500);
    expectPlainText(harness.predict("/v1/completions", R"({"prompt":"c"})", {}, 5000), 429,
                    "Too many requests\r\n");
}

} // namespace
} // namespace dptest
