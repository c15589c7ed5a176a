// Prefill and decode roles: the P reply shape, the P->D handoff through GET /dresult, heartbeats,
// and the decode-side faults (error:, retry:, dropped stream).
#include <QJsonArray>

#include <gtest/gtest.h>

#include "simtestsupport.h"

using namespace simtest;

namespace {
const QString kHost = QStringLiteral("127.0.0.1");

struct DMessage
{
    QByteArray reqId;
    QByteArray keyword;
    QByteArray payload;
};

// Splits /dresult chunks into messages; a chunk's reqId applies to the rest of that chunk.
QList<DMessage> parseDResult(const QList<HttpTestResponse::Chunk>& chunks)
{
    QList<DMessage> messages;
    for (const auto& chunk : chunks) {
        QByteArray current;
        for (const QByteArray& part : chunk.data.split('\0')) {
            const qsizetype colon = part.indexOf(':');
            if (colon < 0)
                continue;
            const QByteArray keyword = part.left(colon);
            if (keyword == "reqId")
                current = part.mid(colon + 1);
            else
                messages.append({current, keyword, part.mid(colon + 1)});
        }
    }
    return messages;
}

class simPdTest : public ::testing::Test
{
protected:
    void start(const QStringList& extra = {})
    {
        m_cluster = startCluster(QStringList{"--prefill", "1", "--decode", "1", "--timing", "fast", "--quiet",
                                             "--ka-interval", "0.2"} +
                                 extra);
        ASSERT_TRUE(m_cluster);
        m_link = std::make_unique<HttpTestClient>(kHost, portOf(*m_cluster, 1));
        ASSERT_TRUE(m_link->send("GET", "/dresult", {}, {{"Connection", "keep-alive"}}));
        ASSERT_TRUE(m_link->waitForHeaders(5000));
        ASSERT_EQ(m_link->response().status, 200);
    }
    HttpTestResponse prefill(const QByteArray& reqId, const QByteArray& target, const QByteArray& body)
    {
        return HttpTestClient::oneShot(kHost, portOf(*m_cluster, 0), "POST", target, body,
                                       {{"req-type", "prefill"},
                                        {"req-id", reqId},
                                        {"d-target", "127.0.0.1"},
                                        {"d-port", QByteArray::number(portOf(*m_cluster, 1))}});
    }
    QList<DMessage> messagesFor(const QByteArray& reqId, const QByteArray& finalKeyword)
    {
        QList<DMessage> mine;
        HttpTestClient::waitUntil(
            [&] {
                mine.clear();
                for (const DMessage& message : parseDResult(m_link->response().chunks)) {
                    if (message.reqId == reqId)
                        mine.append(message);
                }
                return !mine.isEmpty() && mine.last().keyword == finalKeyword;
            },
            10000);
        return mine;
    }

    std::unique_ptr<mindiesim::SimCluster> m_cluster;
    std::unique_ptr<HttpTestClient> m_link;
};
} // namespace

TEST_F(simPdTest, StreamHandoffSpellsTheSameTextAsASingleInstance)
{
    start();
    const QByteArray body = R"({"messages":[{"role":"user","content":"pd"}],"max_tokens":5,"stream":true})";
    const HttpTestResponse reply = prefill("101", "/v1/chat/completions", body);
    ASSERT_EQ(reply.status, 200);
    EXPECT_FALSE(reply.chunked);
    const QJsonObject p = parseObject(reply.body);
    EXPECT_EQ(p.value("reqId").toString(), "101");
    EXPECT_TRUE(p.value("isStream").toBool());
    EXPECT_FALSE(p.value("isLastResp").toBool());
    EXPECT_TRUE(p.value("output").toString().startsWith("data: {"));
    const QList<DMessage> messages = messagesFor("101", "lastData");
    ASSERT_EQ(messages.size(), 4);
    EXPECT_EQ(messages[0].keyword, "data");
    EXPECT_TRUE(messages.last().payload.endsWith("data: [DONE]\n\n"));
    QByteArray userBytes = p.value("output").toString().toUtf8();
    for (const DMessage& message : messages)
        userBytes += message.payload;

    auto single = startCluster({"--single", "1", "--timing", "fast", "--quiet"});
    const HttpTestResponse direct =
        HttpTestClient::oneShot(kHost, portOf(*single, 0), "POST", "/v1/chat/completions", body);
    EXPECT_EQ(streamedText(userBytes), streamedText(direct.body));
    EXPECT_EQ(sseData(userBytes).size(), 6); // 5 tokens + [DONE]
}

TEST_F(simPdTest, NonStreamBodyArrivesInLastData)
{
    start();
    const HttpTestResponse reply =
        prefill("202", "/infer", R"({"inputs":"hello","parameters":{"max_new_tokens":6}})");
    const QJsonObject p = parseObject(reply.body);
    EXPECT_FALSE(p.value("isStream").toBool());
    EXPECT_FALSE(p.value("isLastResp").toBool());
    EXPECT_TRUE(p.value("output").toString().isEmpty());
    const QList<DMessage> messages = messagesFor("202", "lastData");
    ASSERT_EQ(messages.size(), 1);
    EXPECT_EQ(parseObject(messages[0].payload).value("details").toObject().value("generated_tokens").toInt(),
              6);
}

TEST_F(simPdTest, OneTokenRequestEndsOnThePrefillInstance)
{
    start();
    const QJsonObject p = parseObject(prefill("303", "/generate", R"({"prompt":"p","max_tokens":1})").body);
    EXPECT_TRUE(p.value("isLastResp").toBool());
    EXPECT_TRUE(parseObject(p.value("output").toString().toUtf8()).contains("text"));
}

TEST_F(simPdTest, HeartbeatsKeepTheLinkAlive)
{
    start();
    ASSERT_TRUE(m_link->waitForChunks(2, 10000));
    EXPECT_EQ(m_link->response().chunks.first().data, QByteArray("ka:\0", 4));
}

TEST_F(simPdTest, RetryCarriesTheOriginalBody)
{
    start({"--dresult-retry-every", "1"});
    const QByteArray body = R"({"prompt":"again","max_tokens":4})";
    prefill("404", "/generate", body);
    const QList<DMessage> messages = messagesFor("404", "retry");
    ASSERT_EQ(messages.size(), 1);
    EXPECT_EQ(messages[0].payload, body);
}

TEST_F(simPdTest, ErrorArrivesMidStream)
{
    start();
    ASSERT_TRUE(postFault(metricPortOf(*m_cluster, 1), R"({"dresult_error_next":1})"));
    prefill("505", "/v1/completions", R"({"prompt":"e","max_tokens":8,"stream":true})");
    const QList<DMessage> messages = messagesFor("505", "error");
    ASSERT_EQ(messages.size(), 2);
    EXPECT_EQ(messages[0].keyword, "data");
    EXPECT_TRUE(messages[1].payload.contains("simulated decode failure"));
    // The fault was one-shot: the next request completes.
    prefill("506", "/v1/completions", R"({"prompt":"e","max_tokens":3,"stream":true})");
    EXPECT_EQ(messagesFor("506", "lastData").size(), 2);
}

TEST_F(simPdTest, DroppedStreamBacklogsUntilTheNextLink)
{
    start();
    ASSERT_TRUE(postFault(metricPortOf(*m_cluster, 1), R"({"drop_dresult":true})"));
    ASSERT_TRUE(m_link->waitForClose(5000));
    prefill("606", "/infer", R"({"inputs":"x","parameters":{"max_new_tokens":3}})");
    m_link = std::make_unique<HttpTestClient>(kHost, portOf(*m_cluster, 1));
    ASSERT_TRUE(m_link->send("GET", "/dresult"));
    EXPECT_EQ(messagesFor("606", "lastData").size(), 1);
}

TEST_F(simPdTest, StopInferOnDecodeAndUnknownDecodeTarget)
{
    start({"--decode-base-ms", "30"});
    // Realistic timing for this one so decoding is still running when stopInfer arrives.
    auto slow = startCluster({"--prefill", "1", "--decode", "1", "--decode-base-ms", "30", "--quiet"});
    ASSERT_TRUE(slow);
    HttpTestClient link(kHost, portOf(*slow, 1));
    ASSERT_TRUE(link.send("GET", "/dresult"));
    ASSERT_TRUE(link.waitForHeaders(5000));
    const HttpTestResponse reply = HttpTestClient::oneShot(
        kHost, portOf(*slow, 0), "POST", "/infer", R"({"inputs":"x","parameters":{"max_new_tokens":300}})",
        {{"req-type", "prefill"},
         {"req-id", "707"},
         {"d-target", "127.0.0.1"},
         {"d-port", QByteArray::number(portOf(*slow, 1))}});
    ASSERT_EQ(reply.status, 200);
    ASSERT_TRUE(HttpTestClient::waitUntil(
        [&] { return simState(metricPortOf(*slow, 1)).value("decode_tasks").toInt() == 1; }, 5000));
    const HttpTestResponse stop = HttpTestClient::oneShot(
        kHost, portOf(*slow, 1), "POST", "/v2/models/llama_65b/stopInfer", R"({"id":"707"})");
    EXPECT_EQ(stop.status, 200);
    EXPECT_EQ(simState(metricPortOf(*slow, 1)).value("decode_tasks").toInt(), 0);

    const HttpTestResponse lost = HttpTestClient::oneShot(
        kHost, portOf(*m_cluster, 0), "POST", "/infer", R"({"inputs":"x"})",
        {{"req-type", "prefill"}, {"req-id", "808"}, {"d-target", "127.0.0.1"}, {"d-port", "1"}});
    EXPECT_EQ(lost.status, 500);
}
