// Every user route through a prefill then a decode instance answers what one single-node
// instance answers: the sim spells the same text after a P->D handoff as a single instance with
// the same seed, so a direct request to a single instance is the reference, under both ways of
// pairing P with D.
#include <gtest/gtest.h>

#include "pdharness.h"
#include "routecases.h"

namespace pdtest {
namespace {

using dptest::RouteCase;

// The shared route table plus one request P answers alone (isLastResp): its only answer goes out
// unchunked even for a stream (spec §3.2); every other request crosses to D.
QList<RouteCase> routeCases()
{
    QList<RouteCase> cases = dptest::userRouteCases();
    cases.append({"/v1/completions",
                  R"({"model":"llama_65b","prompt":"Only one token","max_tokens":1,"stream":true})", false});
    return cases;
}

class PdRoutes : public ::testing::TestWithParam<Placement>
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(startPdCluster(m_harness, {QStringLiteral("--timing"), QStringLiteral("fast")}))
            << m_harness.coordinatorOutput().toStdString();
        ASSERT_TRUE(
            m_reference.start({QStringLiteral("--single"), QStringLiteral("1"), QStringLiteral("--timing"),
                               QStringLiteral("fast"), QStringLiteral("--quiet")}));
    }
    HttpTestResponse reference(const QByteArray& target, const QByteArray& body)
    {
        return HttpTestClient::oneShot(QStringLiteral("127.0.0.1"), m_reference.port(0), "POST", target,
                                       body);
    }

    DataPlaneHarness m_harness{pdConfig(GetParam())};
    simtest::SimProcess m_reference;
};

TEST_P(PdRoutes, EveryFlavourAnswersLikeOneSingleInstance)
{
    for (const RouteCase& route : routeCases()) {
        SCOPED_TRACE(std::string(route.target) + " " + route.body.toStdString());
        const HttpTestResponse relayed = m_harness.predict(route.target, route.body);
        const HttpTestResponse expected = reference(route.target, route.body);
        ASSERT_EQ(expected.status, 200) << expected.body.toStdString();
        ASSERT_EQ(relayed.status, 200) << relayed.body.toStdString();
        EXPECT_TRUE(relayed.complete);
        EXPECT_EQ(relayed.chunked, route.streamed);
        if (route.streamed) {
            EXPECT_TRUE(relayed.header("Content-Type").startsWith("text/event-stream"));
        }
        EXPECT_EQ(dptest::withoutRequestStamps(relayed.body).toStdString(),
                  dptest::withoutRequestStamps(expected.body).toStdString());
    }
    // Every request but the one-token one crossed to a decode instance.
    const int handedOver = simCounter(m_harness, kDecode0, "requests_received") +
                           simCounter(m_harness, kDecode1, "requests_received");
    EXPECT_EQ(handedOver, routeCases().size() - 1);
    EXPECT_EQ(m_harness.tasks({kPrefill0, kPrefill1, kDecode0, kDecode1}), (QList<qint64>{0, 0, 0, 0}));
}

TEST_P(PdRoutes, TokenizerIsAnsweredByAnInstance)
{
    const QByteArray body = R"({"inputs":"count these tokens please"})";
    const HttpTestResponse relayed = m_harness.predict("/v1/tokenizer", body);
    ASSERT_EQ(relayed.status, 200) << relayed.body.toStdString();
    EXPECT_EQ(relayed.body, reference("/v1/tokenizer", body).body);
}

INSTANTIATE_TEST_SUITE_P(Placements, PdRoutes, ::testing::Values(Placement::RoundRobin, Placement::Digs),
                         placementTestName);

} // namespace
} // namespace pdtest
