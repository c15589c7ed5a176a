// Single ('U') instances: every user API flavour, streamed and not, tokenizer, stopInfer and
// deterministic output, driven over loopback with a raw HTTP client.
#include <QFile>
#include <QJsonArray>

#include <gtest/gtest.h>

#include "simtestsupport.h"

using namespace simtest;

namespace {
const QString kHost = QStringLiteral("127.0.0.1");

QByteArray vector(const char* name)
{
    QFile file(QStringLiteral(COORD_SHARED_DIR "/vectors/mindie/") + QLatin1String(name));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

class simApiTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        m_cluster = startCluster({QStringLiteral("--single"), QStringLiteral("1"), QStringLiteral("--timing"),
                                  QStringLiteral("fast"), QStringLiteral("--quiet")});
        ASSERT_TRUE(m_cluster);
        m_client = std::make_unique<HttpTestClient>(kHost, portOf(*m_cluster, 0));
    }
    HttpTestResponse post(const QByteArray& target, const QByteArray& body)
    {
        return m_client->post(target, body, {{"Content-Type", "application/json"}});
    }

    std::unique_ptr<mindiesim::SimCluster> m_cluster;
    std::unique_ptr<HttpTestClient> m_client;
};
} // namespace

TEST_F(simApiTest, OpenAiChatNonStreamHasUsageAndRequestedLength)
{
    const HttpTestResponse response =
        post("/v1/chat/completions",
             R"({"model":"m","messages":[{"role":"user","content":"hello"}],"max_tokens":5})");
    ASSERT_EQ(response.status, 200);
    EXPECT_EQ(response.header("Content-Type"), "application/json");
    const QJsonObject body = parseObject(response.body);
    EXPECT_EQ(body.value("object").toString(), "chat.completion");
    EXPECT_EQ(body.value("usage").toObject().value("completion_tokens").toInt(), 5);
    EXPECT_GT(body.value("usage").toObject().value("prompt_tokens").toInt(), 0);
    const QString content = body.value("choices")
                                .toArray()
                                .at(0)
                                .toObject()
                                .value("message")
                                .toObject()
                                .value("content")
                                .toString();
    EXPECT_EQ(content.count(QLatin1Char(' ')), 5);
}

TEST_F(simApiTest, OpenAiChatStreamEndsWithDoneAndMatchesNonStreamText)
{
    const QByteArray request = R"({"messages":[{"role":"user","content":"same prompt"}],"max_tokens":4)";
    const HttpTestResponse whole = post("/v1/chat/completions", request + "}");
    const HttpTestResponse stream = post("/v1/chat/completions", request + R"(,"stream":true})");
    ASSERT_EQ(stream.status, 200);
    EXPECT_TRUE(stream.chunked);
    EXPECT_EQ(stream.header("Content-Type"), "text/event-stream");
    EXPECT_TRUE(stream.body.endsWith("data: [DONE]\n\n"));
    const QList<QByteArray> events = sseData(stream.body);
    ASSERT_EQ(events.size(), 5);
    EXPECT_EQ(parseObject(events[3]).value("usage").toObject().value("completion_tokens").toInt(), 4);
    const QString expected = parseObject(whole.body)
                                 .value("choices")
                                 .toArray()
                                 .at(0)
                                 .toObject()
                                 .value("message")
                                 .toObject()
                                 .value("content")
                                 .toString();
    EXPECT_EQ(streamedText(stream.body), expected);
}

TEST_F(simApiTest, OpenAiCompletionsStreamAndNot)
{
    const HttpTestResponse whole = post("/v1/completions", R"({"prompt":"abc","max_tokens":3})");
    EXPECT_EQ(parseObject(whole.body).value("object").toString(), "text_completion");
    const HttpTestResponse stream =
        post("/v1/completions", R"({"prompt":"abc","max_tokens":3,"stream":true})");
    EXPECT_TRUE(stream.body.endsWith("data: [DONE]\n\n"));
    EXPECT_EQ(streamedText(stream.body),
              parseObject(whole.body).value("choices").toArray().at(0).toObject().value("text").toString());
}

TEST_F(simApiTest, MissingPromptAndMessagesIsBadRequest)
{
    EXPECT_EQ(post("/v1/chat/completions", R"({"model":"m"})").status, 400);
    EXPECT_EQ(post("/generate", R"({"neither":1})").status, 400);
    EXPECT_EQ(post("/infer", "not json").status, 400);
}

TEST_F(simApiTest, TgiRoutes)
{
    const HttpTestResponse generate = post("/generate", vector("ms_TGI.bin"));
    ASSERT_EQ(generate.status, 200);
    const QJsonObject body = parseObject(generate.body);
    EXPECT_EQ(body.value("details").toObject().value("generated_tokens").toInt(), 200); // max_new_tokens
    const HttpTestResponse root = post("/", R"({"inputs":"aaa","parameters":{"max_new_tokens":3}})");
    EXPECT_TRUE(root.body.startsWith("[{\"generated_text\":"));
    const HttpTestResponse stream =
        post("/generate_stream", R"({"inputs":"aaa","parameters":{"max_new_tokens":3}})");
    const QList<QByteArray> events = sseData(stream.body);
    ASSERT_EQ(events.size(), 3);
    EXPECT_TRUE(parseObject(events[0]).value("generated_text").isNull());
    EXPECT_EQ(parseObject(events[2]).value("generated_text").toString(), streamedText(stream.body));
    EXPECT_EQ(parseObject(root.body.mid(1, root.body.size() - 2)).value("generated_text").toString(),
              streamedText(stream.body));
    // TGI /generate is never streamed, whatever the body says.
    EXPECT_FALSE(post("/generate", R"({"inputs":"aaa","stream":true})").chunked);
}

TEST_F(simApiTest, VllmPromptRoute)
{
    const HttpTestResponse whole = post("/generate", R"({"prompt":"My name is","max_tokens":4})");
    const QString text = parseObject(whole.body).value("text").toArray().at(0).toString();
    EXPECT_TRUE(text.startsWith("My name is "));
    const HttpTestResponse stream =
        post("/generate", R"({"prompt":"My name is","max_tokens":4,"stream":true})");
    EXPECT_TRUE(stream.chunked);
    EXPECT_EQ(QStringLiteral("My name is") + streamedText(stream.body), text);
}

TEST_F(simApiTest, TritonGenerateStreamAndInfer)
{
    const HttpTestResponse whole = post("/v2/models/llama_65b/generate", vector("ms_Triton.bin"));
    ASSERT_EQ(whole.status, 200);
    const QJsonObject body = parseObject(whole.body);
    EXPECT_EQ(body.value("id").toString(), "abc");
    EXPECT_EQ(body.value("details").toObject().value("generated_tokens").toInt(), 250);
    const HttpTestResponse stream = post("/v2/models/llama_65b/generate_stream",
                                         R"({"id":"s","text_input":"t","parameters":{"max_new_tokens":2}})");
    EXPECT_EQ(sseData(stream.body).size(), 2);
    const HttpTestResponse infer = post(
        "/v2/models//infer",
        R"({"id":"i","inputs":[{"name":"input0","shape":[1,3],"datatype":"UINT32","data":[5,6,7]}],"parameters":{"max_new_tokens":3}})");
    const QJsonObject output = parseObject(infer.body).value("outputs").toArray().at(0).toObject();
    EXPECT_EQ(output.value("datatype").toString(), "UINT32");
    EXPECT_EQ(output.value("data").toArray().size(), 3);
}

TEST_F(simApiTest, MindIeInferAndInferToken)
{
    const HttpTestResponse whole = post("/infer", vector("ms_develop.bin"));
    ASSERT_EQ(whole.status, 200);
    EXPECT_EQ(parseObject(whole.body).value("details").toObject().value("generated_tokens").toInt(), 16);
    const HttpTestResponse stream =
        post("/infer", R"({"inputs":"aaa","stream":true,"parameters":{"max_new_tokens":3}})");
    const QList<QByteArray> events = sseData(stream.body);
    ASSERT_EQ(events.size(), 3);
    EXPECT_TRUE(parseObject(events[0]).contains("prefill_time"));
    EXPECT_EQ(parseObject(events[2]).value("generated_text").toString(), streamedText(stream.body));
    const HttpTestResponse tokens =
        post("/infer_token", R"({"input_id":[1,2,3],"parameters":{"max_new_tokens":2}})");
    EXPECT_EQ(parseObject(tokens.body).value("details").toObject().value("generated_tokens").toInt(), 2);
    EXPECT_EQ(post("/infer", R"({"inputs":"a","input_id":[1]})").status, 400);
}

TEST_F(simApiTest, TokenizerCountsAboutFourCharactersPerToken)
{
    const HttpTestResponse response = post("/v1/tokenizer", R"({"inputs":"abcdefghij"})");
    ASSERT_EQ(response.status, 200);
    const QJsonObject body = parseObject(response.body);
    EXPECT_EQ(body.value("token_number").toInt(), 3);
    EXPECT_EQ(body.value("token").toArray().size(), 3);
}

TEST_F(simApiTest, OutputIsDeterministicPerRequestAndSeed)
{
    const QByteArray a = R"({"inputs":"x","parameters":{"max_new_tokens":8,"seed":1}})";
    const QByteArray b = R"({"inputs":"x","parameters":{"max_new_tokens":8,"seed":2}})";
    const QString first = parseObject(post("/infer", a).body).value("generated_text").toString();
    EXPECT_EQ(parseObject(post("/infer", a).body).value("generated_text").toString(), first);
    EXPECT_NE(parseObject(post("/infer", b).body).value("generated_text").toString(), first);
}

TEST_F(simApiTest, MaxOutputCapAndUnknownRoute)
{
    const HttpTestResponse response =
        post("/infer", R"({"inputs":"x","parameters":{"max_new_tokens":100000}})");
    EXPECT_EQ(parseObject(response.body).value("details").toObject().value("generated_tokens").toInt(), 512);
    EXPECT_EQ(post("/nope", "{}").status, 404);
}

TEST(simStopInferTest, StopInferEndsARunningStream)
{
    // Slow decode steps keep the stream running long enough to stop it after the first token.
    auto cluster = startCluster({"--single", "1", "--decode-base-ms", "40", "--quiet"});
    ASSERT_TRUE(cluster);
    HttpTestClient user(kHost, portOf(*cluster, 0));
    ASSERT_TRUE(user.send("POST", "/v1/chat/completions",
                          R"({"messages":[{"role":"user","content":"go"}],"max_tokens":400,"stream":true})",
                          {{"req-id", "4242"}}));
    ASSERT_TRUE(user.waitForChunks(1, 10000));
    const HttpTestResponse unknown = HttpTestClient::oneShot(kHost, portOf(*cluster, 0), "POST",
                                                             "/v2/models//stopInfer", R"({"id":"999"})");
    EXPECT_EQ(unknown.status, 404);
    const HttpTestResponse stop = HttpTestClient::oneShot(kHost, portOf(*cluster, 0), "POST",
                                                          "/v2/models//stopInfer", R"({"id":"4242"})");
    EXPECT_EQ(stop.status, 200);
    ASSERT_TRUE(user.waitForComplete(10000));
    EXPECT_LT(user.response().chunks.size(), 400);
    EXPECT_EQ(simState(metricPortOf(*cluster, 0)).value("requests_failed").toInt(), 1);
}

TEST(simKeepAliveTest, ManyRequestsOnOneConnection)
{
    auto cluster = startCluster({"--single", "1", "--timing", "fast", "--quiet"});
    ASSERT_TRUE(cluster);
    HttpTestClient client(kHost, portOf(*cluster, 0));
    for (int i = 0; i < 20; ++i) {
        const HttpTestResponse response =
            client.post("/infer", R"({"inputs":"k","stream":true,"parameters":{"max_new_tokens":2}})");
        ASSERT_EQ(response.status, 200);
        ASSERT_TRUE(response.complete);
        EXPECT_FALSE(response.connectionClosed);
    }
}
