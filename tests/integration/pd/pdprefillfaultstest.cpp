// What the user sees when the prefill side fails (spec §3.2, §5.3): a P that refuses a request
// has answered it, so its status and body are relayed; a P that dies before answering is
// replaced by another one (or the user gets a clear 500), never a hang.
#include <gtest/gtest.h>

#include "pdharness.h"
#include "recordinginstance.h"
#include "refreshbody.h"

namespace pdtest {
namespace {

const QByteArray kRequest = R"({"prompt":"prefill me","max_tokens":5})";

class PdPrefillFaults : public ::testing::TestWithParam<Placement>
{
protected:
    DataPlaneHarness m_harness{pdConfig(GetParam())};
};

TEST_P(PdPrefillFaults, PrefillErrorStatusAndBodyReachTheUser)
{
    ASSERT_TRUE(startPdCluster(m_harness, {QStringLiteral("--timing"), QStringLiteral("fast")}));
    for (const int prefill : {kPrefill0, kPrefill1})
        ASSERT_TRUE(m_harness.simFault(prefill, R"({"error_rate":1})"));
    const HttpTestResponse reference = m_harness.direct(kPrefill0, kCompletions, kRequest);
    ASSERT_EQ(reference.status, 500);
    const HttpTestResponse reply = m_harness.predict(kCompletions, kRequest);
    EXPECT_EQ(reply.status, 500);
    EXPECT_EQ(reply.body, reference.body);
}

// Prefill 0 closes every socket when its second request arrives, without a byte of answer.
// Returns how many of `count` requests were answered 200; every one must be answered.
int sendThroughCrashingPrefill(DataPlaneHarness& harness, int count)
{
    EXPECT_TRUE(harness.simFault(kPrefill0, R"({"crash_after":1})"));
    int succeeded = 0;
    for (int i = 0; i < count; ++i) {
        const HttpTestResponse reply = harness.predict(kCompletions, kRequest, {}, 20000);
        EXPECT_TRUE(reply.complete) << "request " << i << " hangs";
        if (reply.status == 200) {
            ++succeeded;
            continue;
        }
        EXPECT_EQ(reply.status, 500) << i;
        EXPECT_TRUE(reply.body == "Read messages from instance failed\r\n" ||
                    reply.body == "Connect to MindIE-Server failed\r\n")
            << reply.body.toStdString();
    }
    return succeeded;
}

TEST_P(PdPrefillFaults, PrefillCrashBeforeAnsweringNeverHangs)
{
    ASSERT_TRUE(startPdCluster(m_harness, {QStringLiteral("--timing"), QStringLiteral("fast")}));
    sendThroughCrashingPrefill(m_harness, 6);
}

TEST(PdPrefillCrash, RoundRobinRetriesOnTheOtherPrefill)
{
    DataPlaneHarness harness(pdConfig(Placement::RoundRobin));
    ASSERT_TRUE(startPdCluster(harness, {QStringLiteral("--timing"), QStringLiteral("fast")}));
    EXPECT_EQ(sendThroughCrashingPrefill(harness, 6), 6);
    EXPECT_GT(simCounter(harness, kPrefill1, "requests_succeeded"), 0);
}

// A DIGS retry avoids the prefill it failed on: with idle instances load balance would otherwise
// pick prefill 0 again on every retry and the user would get a 500 after max_retry.
TEST(PdPrefillCrash, DigsRetriesOnTheOtherPrefill)
{
    DataPlaneHarness harness(pdConfig(Placement::Digs));
    ASSERT_TRUE(startPdCluster(harness, {QStringLiteral("--timing"), QStringLiteral("fast")}));
    EXPECT_EQ(sendThroughCrashingPrefill(harness, 6), 6);
}

INSTANTIATE_TEST_SUITE_P(Placements, PdPrefillFaults,
                         ::testing::Values(Placement::RoundRobin, Placement::Digs), placementTestName);

TEST(PdPrefillRefusal, FourHundredFromPrefillIsRelayed)
{
    // A stand-in P that refuses everything with 422, paired with a real decode instance.
    DataPlaneHarness harness(pdConfig(Placement::RoundRobin));
    ASSERT_TRUE(harness.startCoordinator());
    ASSERT_TRUE(harness.startSim({QStringLiteral("--prefill"), QStringLiteral("1"),
                                  QStringLiteral("--decode"), QStringLiteral("1"), QStringLiteral("--timing"),
                                  QStringLiteral("fast"), QStringLiteral("--quiet")},
                                 false));
    dptest::RecordingInstance fakePrefill;
    const QByteArray refusal = R"({"error":"input too long","error_type":"validation"})";
    fakePrefill.answerInferenceWith(422, refusal);
    simtest::SimProcess& sim = harness.sim();
    const QByteArray body = dptest::refreshBody({
        pdInstanceEntry(0, true, fakePrefill.port(), fakePrefill.port(), {1}),
        pdInstanceEntry(1, false, sim.port(1), sim.metricPort(1), {0}),
    });
    ASSERT_EQ(harness.manage("POST", "/v1/instances/refresh", body).status, 200);
    ASSERT_TRUE(waitForDecodeLinks(harness, {1}));

    const HttpTestResponse reply = harness.predict(kCompletions, kRequest);
    EXPECT_EQ(reply.status, 422);
    EXPECT_EQ(reply.body, refusal);
    ASSERT_EQ(fakePrefill.received().size(), 1);
    EXPECT_EQ(fakePrefill.received().first().header("req-type"), "prefill");
}

} // namespace
} // namespace pdtest
