// What the user sees when the decode side fails (spec §3.3, §5.3, §5.4): an `error:` message
// ends the answer with its payload, `retry:` recomputes the request, and a decode instance whose
// /dresult link is lost answers its requests at once and is then given up.
#include <memory>

#include <gtest/gtest.h>

#include "pdharness.h"

namespace pdtest {
namespace {

const QByteArray kShortStream = R"({"prompt":"short and streamed","max_tokens":6,"stream":true})";
const QByteArray kShortPlain = R"({"prompt":"short and not streamed","max_tokens":6})";

class PdDecodeFaults : public ::testing::TestWithParam<Placement>
{
protected:
    // Realistic timing unless `fast`: requests on a slowed D then stay in flight long enough to
    // be watched. Timeouts far above the hang bounds show that answers do not wait for them.
    bool start(bool fast, const QList<ConfigEdit>& extra = {})
    {
        m_harness = std::make_unique<DataPlaneHarness>(pdConfig(GetParam(), extra));
        QStringList arguments{QStringLiteral("--ka-interval"), QStringLiteral("1")};
        if (fast)
            arguments << QStringLiteral("--timing") << QStringLiteral("fast");
        return startPdCluster(*m_harness, arguments);
    }
    bool onBothDecodes(const QByteArray& fault)
    {
        return m_harness->simFault(kDecode0, fault) && m_harness->simFault(kDecode1, fault);
    }

    std::unique_ptr<DataPlaneHarness> m_harness;
};

TEST_P(PdDecodeFaults, DecodeErrorEndsTheStreamWithItsPayload)
{
    ASSERT_TRUE(start(true));
    ASSERT_TRUE(onBothDecodes(R"({"dresult_error_next":1})"));
    const HttpTestResponse reply = m_harness->predict(kCompletions, kShortStream);
    EXPECT_EQ(reply.status, 200);
    EXPECT_TRUE(reply.chunked);
    EXPECT_TRUE(reply.complete) << "the stream is terminated";
    ASSERT_FALSE(reply.chunks.isEmpty());
    EXPECT_TRUE(reply.chunks.last().data.contains("simulated decode failure")) << reply.body.toStdString();
}

TEST_P(PdDecodeFaults, DecodeErrorIsTheWholeNonStreamAnswer)
{
    ASSERT_TRUE(start(true));
    ASSERT_TRUE(onBothDecodes(R"({"dresult_error_next":1})"));
    const HttpTestResponse reply = m_harness->predict(kCompletions, kShortPlain);
    EXPECT_EQ(reply.status, 200) << "spec §3.3: the error payload goes out with 200";
    EXPECT_TRUE(reply.complete);
    EXPECT_TRUE(reply.body.contains("simulated decode failure")) << reply.body.toStdString();
}

TEST_P(PdDecodeFaults, DecodeRetryRecomputesAndCompletes)
{
    ASSERT_TRUE(start(true));
    ASSERT_TRUE(onBothDecodes(R"({"dresult_retry_next":1})"));
    for (const QByteArray& body : {kShortStream, kShortPlain}) {
        SCOPED_TRACE(body.toStdString());
        const HttpTestResponse reply = m_harness->predict(kCompletions, body);
        EXPECT_EQ(reply.status, 200) << reply.body.toStdString();
        EXPECT_TRUE(reply.complete);
        EXPECT_TRUE(reply.body.contains("\"finish_reason\"")) << reply.body.toStdString();
    }
    // Each retried request went through a prefill instance twice.
    const int prefills = simCounter(*m_harness, kPrefill0, "requests_received") +
                         simCounter(*m_harness, kPrefill1, "requests_received");
    EXPECT_GE(prefills, 3);
}

TEST_P(PdDecodeFaults, DroppedLinkIsRelinkedAndRequestsComplete)
{
    ASSERT_TRUE(start(true));
    ASSERT_TRUE(onBothDecodes(R"({"drop_dresult_after":2})"));
    for (int i = 0; i < 6; ++i) {
        const HttpTestResponse reply = m_harness->predict(kCompletions, kShortStream, {}, 20000);
        EXPECT_EQ(reply.status, 200) << i;
        EXPECT_TRUE(reply.complete) << i;
    }
    EXPECT_EQ(m_harness->tasks({kDecode0, kDecode1}), (QList<qint64>{0, 0}))
        << "one drop is not a lost instance";
}

TEST_P(PdDecodeFaults, LostDecodeAnswersItsRequestsAndIsGivenUp)
{
    ASSERT_TRUE(start(false, {edit("exception_config", "max_retry", 1),
                              edit("exception_config", "first_token_timeout", 60),
                              edit("exception_config", "infer_timeout", 60)}));
    // A slow decode keeps every request in flight: 400 tokens at ~0.3 s each.
    ASSERT_TRUE(onBothDecodes(R"({"slow_factor":50})"));
    std::vector<std::unique_ptr<HttpTestClient>> clients;
    for (int i = 0; i < 4; ++i) {
        clients.push_back(
            std::make_unique<HttpTestClient>(QStringLiteral("127.0.0.1"), m_harness->predictPort()));
        ASSERT_TRUE(clients.back()->send("POST", kCompletions, kLongStreamRequest));
    }
    ASSERT_TRUE(HttpTestClient::waitUntil(
        [&] {
            return simCounter(*m_harness, kDecode0, "decode_tasks") +
                       simCounter(*m_harness, kDecode1, "decode_tasks") ==
                   4;
        },
        15000));
    const int onLost = simCounter(*m_harness, kDecode1, "decode_tasks");
    ASSERT_GT(onLost, 0) << "both pairings spread four requests over both decode instances";

    // The decode instance stops listening and its stream breaks: every relink fails.
    ASSERT_TRUE(m_harness->simFault(kDecode1, R"({"refuse":true,"drop_dresult":true})"));
    const auto answered = [&] {
        return int(std::count_if(clients.begin(), clients.end(),
                                 [](const auto& client) { return client->response().complete; }));
    };
    EXPECT_TRUE(HttpTestClient::waitUntil([&] { return answered() >= onLost; }, 20000))
        << "requests on the lost decode instance wait for their timeout";
    for (const auto& client : clients) {
        if (client->response().complete) {
            EXPECT_TRUE(client->response().body.contains("Decode instance connection lost"))
                << client->response().body.toStdString();
        }
    }
    EXPECT_TRUE(HttpTestClient::waitUntil([&] { return m_harness->tasks({kDecode1}).value(0) == -1; }, 10000))
        << "the decode instance is still known after max_retry failed relinks";

    // The sim keeps registering it; it stays out, and new work goes to the other decode instance.
    ASSERT_TRUE(m_harness->simFault(kDecode0, R"({"slow_factor":1})"));
    for (auto& client : clients)
        client->abort();
    const int handedToLost = simCounter(*m_harness, kDecode1, "requests_received");
    HttpTestClient::waitUntil([] { return false; }, 1500);
    for (int i = 0; i < 4; ++i) {
        const HttpTestResponse reply = m_harness->predict(kCompletions, kShortPlain, {}, 20000);
        EXPECT_EQ(reply.status, 200) << i << reply.body.toStdString();
    }
    EXPECT_EQ(m_harness->tasks({kDecode1}).value(0), -1);
    EXPECT_EQ(simCounter(*m_harness, kDecode1, "requests_received"), handedToLost);
}

INSTANTIATE_TEST_SUITE_P(Placements, PdDecodeFaults,
                         ::testing::Values(Placement::RoundRobin, Placement::Digs), placementTestName);

} // namespace
} // namespace pdtest
